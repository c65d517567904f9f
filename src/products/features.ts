// A product's features are scope modules: Herald's own and any the product adds (`dsar`,
// `reports`), each read and written as `read:X` / `write:X`. An organization's subscription
// enables some of them; Herald's core modules are always on, and the modules of operators
// (products, subscriptions) and of extensions are never a feature.
import { MODULES } from '../auth/scopes.ts';

/** Always enabled, whatever the subscription says: without them nobody could manage anything. */
export const CORE_MODULES: readonly string[] = ['organization', 'members', 'service_accounts', 'tokens'];

/** Never gated by a subscription, and never declared as a feature. */
export const UNGATED_MODULES: readonly string[] = ['products', 'subscriptions', 'extensions'];

/** Held only in an organization that operates a product, by its owners, admins and service accounts. */
export const OPERATOR_MODULES: readonly string[] = ['products', 'subscriptions'];

/** Herald's modules that a product may declare as features: the default product declares them all. */
export const HERALD_FEATURES: readonly string[] = MODULES.filter((module) => !UNGATED_MODULES.includes(module));

/** The syntax of a feature module a product adds: the scope grammar's `<module>`. */
export const FEATURE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** The feature modules a product declares; the default product declares all of Herald's besides its own. */
export function declaredFeatures(product: { features: readonly string[] }, isDefault: boolean): string[] {
  return isDefault ? [...new Set([...HERALD_FEATURES, ...product.features])] : [...product.features];
}

/**
 * The modules an organization may use, in a stable order (Herald's first): the core and ungated
 * modules always, the features its subscription enables among those its product declares.
 */
export function enabledModules(declared: readonly string[], subscribed: readonly string[], operator = true): string[] {
  const on = new Set(subscribed.filter((feature) => declared.includes(feature)));
  const herald = MODULES.filter(
    (module) =>
      (operator || !OPERATOR_MODULES.includes(module)) &&
      (CORE_MODULES.includes(module) || UNGATED_MODULES.includes(module) || on.has(module)),
  );
  return [...herald, ...[...on].filter((feature) => !(MODULES as readonly string[]).includes(feature))];
}

/**
 * Scopes limited to the enabled modules, wildcards expanded: `write:X` for each module the
 * scopes write, else `read:X` for each they read. What an issued JWT lists, and what a request
 * may do, whatever the token was given.
 */
export function effectiveScopes(granted: readonly string[], modules: readonly string[]): string[] {
  const held = (action: 'read' | 'write', module: string) =>
    granted.some(
      (scope) =>
        scope === `${action}:${module}` ||
        scope === 'write:*' ||
        (action === 'read' && (scope === 'read:*' || scope === `write:${module}`)),
    );
  return modules.flatMap((module) =>
    held('write', module) ? [`write:${module}`] : held('read', module) ? [`read:${module}`] : [],
  );
}

/**
 * The modules the product knows that its subscription leaves off (a refusal says
 * FEATURE_DISABLED for them); the operator modules are a matter of who acts, not of features.
 */
export function disabledModules(declared: readonly string[], enabled: readonly string[]): string[] {
  return [...new Set([...MODULES, ...declared])].filter(
    (module) => !enabled.includes(module) && !OPERATOR_MODULES.includes(module),
  );
}
