// What a FORBIDDEN answer from a field's authScopes says: the scopes the field needs and, when
// it is meant for one kind of principal only, which one, so that a client knows what to fix
// (another token, another role) instead of guessing.
import type { GraphQLResolveInfo } from 'graphql';
import type { MessageKey } from '../i18n/messages.ts';
import { AppError } from '../platform/errors.ts';
import type { Principal } from './principal.ts';
import { grants, type Scope } from './scopes.ts';

interface Requirement {
  user?: boolean;
  serviceAccount?: boolean;
  scope?: Scope;
  $all?: Requirement;
}

/** The authScopes the refused field declares. */
function declared(info: GraphQLResolveInfo): Requirement {
  const field = info.parentType.getFields()[info.fieldName];
  const options = field?.extensions?.pothosOptions as { authScopes?: Requirement } | undefined;
  return options?.authScopes ?? {};
}

export function refusalFor(principal: Principal, info: GraphQLResolveInfo): AppError {
  const requirement = declared(info);
  const needs = requirement.$all ?? requirement;
  const requiredScopes = needs.scope ? [needs.scope] : [];
  // `{ user: true }` alone, or combined with a scope under $all: the kind is a must.
  const kind = needs.user ? 'user' : needs.serviceAccount ? 'serviceAccount' : null;
  const onlyKind = kind && (requirement.$all || !needs.scope);
  let key: MessageKey;
  if (onlyKind && principal.kind !== kind) {
    if (kind === 'user') key = 'forbiddenUsersOnly';
    else key = needs.scope ? 'forbiddenServiceAccountsWithScope' : 'forbiddenServiceAccountsOnly';
  } else if (needs.scope && principal.disabledModules?.includes(needs.scope.split(':')[1] as string)) {
    key = 'featureDisabled';
  } else if (needs.scope && !grants(principal.scopes, needs.scope)) {
    key = principal.kind === 'user' ? 'forbiddenScopeRole' : 'forbiddenScopeToken';
  } else {
    key = 'forbidden';
  }
  const missingScope = key === 'forbiddenScopeRole' || key === 'forbiddenScopeToken';
  return new AppError('FORBIDDEN', key, {
    params: { scopes: requiredScopes.join(', ') },
    extensions: {
      ...(missingScope ? { reason: 'MISSING_SCOPE' } : {}),
      ...(key === 'featureDisabled' ? { reason: 'FEATURE_DISABLED' } : {}),
      requiredScopes,
      ...(onlyKind ? { requiredPrincipal: kind === 'user' ? 'USER' : 'SERVICE_ACCOUNT' } : {}),
    },
  });
}
