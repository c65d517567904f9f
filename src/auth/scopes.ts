// The scope grammar (fixed by the design): `<action>:<module>`, action read | write,
// module one of MODULES or `*`. `write:X` implies `read:X`; `write:*` implies everything;
// `read:*` implies every read.
import type { Role } from '../generated/prisma/enums.ts';

export const MODULES = [
  'organization',
  'members',
  'service_accounts',
  'tokens',
  'work_items',
  'sla_policies',
  'notifications',
  'audit',
  // Held by the operators of a product (its operator organization's owners, admins and
  // service accounts); never gated by a subscription's features.
  'products',
  'subscriptions',
] as const;

export type Module = (typeof MODULES)[number];
export type Action = 'read' | 'write';
export type Scope = `${Action}:${Module | '*'}`;

export const VALID_SCOPES: readonly Scope[] = (['read', 'write'] as const).flatMap((action) =>
  [...MODULES, '*' as const].map((module) => `${action}:${module}` as Scope),
);

const validScopes = new Set<string>(VALID_SCOPES);

export function isScope(value: string): value is Scope {
  return validScopes.has(value);
}

/**
 * Whether `value` is a scope of Herald's grammar or of one of a product's own feature modules
 * (`read:dsar`, `write:dsar`): those read and grant like Herald's.
 */
export function isScopeOf(value: string, productModules: readonly string[]): value is Scope {
  if (isScope(value)) return true;
  const [action, module, extra] = value.split(':');
  return extra === undefined && (action === 'read' || action === 'write') && productModules.includes(module as string);
}

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  OWNER: ['write:*'],
  ADMIN: ['write:*'],
  MEMBER: ['read:*', 'write:work_items'],
};

/** Whether a set of granted scopes satisfies one required scope. */
export function grants(granted: Iterable<string>, required: Scope): boolean {
  const [action, module] = required.split(':') as [Action, Module | '*'];
  for (const scope of granted) {
    if (scope === required || scope === 'write:*') return true;
    if (action === 'read' && (scope === 'read:*' || scope === `write:${module}`)) return true;
  }
  return false;
}

/** Whether every scope in `requested` is covered by `granted` (no escalation). */
export function coversAll(granted: Iterable<string>, requested: Iterable<Scope>): boolean {
  const held = [...granted];
  for (const scope of requested) if (!grants(held, scope)) return false;
  return true;
}
