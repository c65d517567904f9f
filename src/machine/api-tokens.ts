// API tokens of service accounts. The secret is returned once and stored as its SHA-256.
// Nobody hands out or touches more than they hold: creating, changing, rotating and revoking
// a token all need every scope it holds (see credential-authority.ts).
import { z } from 'zod';
import { displayPrefix, newApiTokenSecret } from '../auth/api-token-format.ts';
import { actorOf, auditAs, type Caller, refuse, revokedBy } from '../auth/caller.ts';
import { isScopeOf, MODULES, type Scope, VALID_SCOPES } from '../auth/scopes.ts';
import { sha256 } from '../auth/secrets.ts';
import type { ApiToken, Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import {
  type CredentialLimitColumns,
  changesLimits,
  credentialLimitColumns,
  credentialLimitsInput,
} from '../platform/credential-limits.ts';
import { AppError, badInput, notFound } from '../platform/errors.ts';
import { isUuid, name, parseInput } from '../platform/validation.ts';
import { declaredModulesOf } from '../products/request-product.ts';
import { alertPrivilegedToken, holdsWriteAll } from '../security/causes.ts';
import type { WebhookEvent } from '../webhooks/events.ts';
import { enqueueWebhookEvent, enqueueWebhookEvents } from '../webhooks/outbox.ts';
import { assertMayActOn, assertMayHandOut } from './credential-authority.ts';
import { serviceAccountOrFail } from './service-accounts.ts';

export interface CreatedApiToken {
  /** The secret, shown this once. */
  token: string;
  apiToken: ApiToken;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Validates requested scopes against the grammar, the product's own feature modules included;
 * an unknown one is named with the valid list.
 */
export function parseScopes(values: readonly string[], productModules: readonly string[] = []): Scope[] {
  if (values.length === 0) throw badInput('scopes', 'required');
  const unknown = values.find((value) => !isScopeOf(value, productModules));
  if (unknown !== undefined) {
    const own = productModules
      .filter((module) => !(MODULES as readonly string[]).includes(module))
      .flatMap((module) => [`read:${module}`, `write:${module}`]);
    throw badInput('scopes', 'unknownScope', { scope: unknown, allowed: [...VALID_SCOPES, ...own].join(', ') });
  }
  return [...new Set(values as Scope[])];
}

/** An expiry in the future and within API_TOKEN_MAX_TTL_DAYS; none given means the maximum. */
function parseExpiry(app: App, value: Date | null | undefined): Date {
  const maxDays = app.config.API_TOKEN_MAX_TTL_DAYS;
  const latest = Date.now() + maxDays * DAY_MS;
  if (value == null) return new Date(latest);
  if (value.getTime() <= Date.now()) throw badInput('expiresAt', 'mustBeInFuture');
  if (value.getTime() > latest) throw badInput('expiresAt', 'tooFarInFuture', { days: maxDays });
  return value;
}

function secretFields() {
  const token = newApiTokenSecret();
  return { token, data: { tokenHash: sha256(token), prefix: displayPrefix(token) } };
}

export async function apiTokenOrFail(app: App, organizationId: string, id: string): Promise<ApiToken> {
  const token = isUuid(id) ? await app.db.apiToken.findFirst({ where: { id, organizationId } }) : null;
  if (!token) throw notFound('ApiToken', 'id');
  return token;
}

const createInput = z.object({
  serviceAccountSlug: z.string().min(1),
  name: name(),
  scopes: z.array(z.string()),
  expiresAt: z.date().nullish(),
  ...credentialLimitsInput,
});

export async function createApiToken(caller: Caller, input: unknown): Promise<CreatedApiToken> {
  const { app, principal } = caller;
  const data = parseInput(createInput, input);
  const scopes = parseScopes(data.scopes, await declaredModulesOf(app, principal.organizationId));
  const expiresAt = parseExpiry(app, data.expiresAt);
  const account = await serviceAccountOrFail(
    app,
    principal.organizationId,
    data.serviceAccountSlug,
    'serviceAccountSlug',
  );
  await assertMayHandOut(caller, scopes, { type: 'ServiceAccount', id: account.id });
  const { token, data: secret } = secretFields();
  const apiToken = await app.db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: {
        ...secret,
        organizationId: principal.organizationId,
        serviceAccountId: account.id,
        name: data.name,
        scopes,
        expiresAt,
        createdById: principal.id,
        createdByType: actorOf(principal).actorType,
        ...credentialLimitColumns(data),
      },
    });
    await tokenAudit(caller, tx, 'api_token.created', created);
    await enqueueWebhookEvent(tx, tokenEvent('api_token.created', created));
    return created;
  });
  if (holdsWriteAll(apiToken.scopes)) app.background(() => alertPrivilegedToken(app, caller, apiToken, 'created'));
  return { token, apiToken };
}

const updateInput = z.object({
  id: z.string(),
  name: name().nullish(),
  scopes: z.array(z.string()).nullish(),
  expiresAt: z.date().nullish(),
  ...credentialLimitsInput,
});

/**
 * Changes name, scopes or expiry; the change reaches every instance's cache at once. Any
 * change needs the token's scopes, not only a change of scopes: a longer life hands the same
 * scopes out for longer.
 */
export async function updateApiToken(caller: Caller, input: unknown): Promise<ApiToken> {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  const scopes =
    data.scopes == null ? undefined : parseScopes(data.scopes, await declaredModulesOf(app, principal.organizationId));
  const expiresAt = data.expiresAt == null ? undefined : parseExpiry(app, data.expiresAt);
  const current = await apiTokenOrFail(app, principal.organizationId, data.id);
  const target = { type: 'ApiToken', id: current.id };
  await assertMayActOn(caller, current.scopes as Scope[], target);
  if (scopes) await assertMayHandOut(caller, scopes, target);
  if (expiresAt && principal.tokenId === current.id && outlives(expiresAt, current.expiresAt)) {
    throw await refuse(caller, 'token_extends_itself', target, ownExpiryRefused());
  }
  // Nor may a token lift its own rate limit or refill its own budget.
  if (principal.tokenId === current.id && changesLimits(data)) {
    throw await refuse(caller, 'token_changes_own_limits', target, ownLimitsRefused());
  }
  const updated = await app.db.$transaction(async (tx) => {
    const updated = await tx.apiToken.update({
      where: { id: current.id },
      data: { name: data.name ?? undefined, scopes, expiresAt, ...credentialLimitColumns(data) },
    });
    await tokenAudit(caller, tx, 'api_token.updated', updated, { scopes: updated.scopes });
    return updated;
  });
  await app.apiTokens.invalidate([current]);
  if (holdsWriteAll(updated.scopes) && !holdsWriteAll(current.scopes)) {
    app.background(() => alertPrivilegedToken(app, caller, updated, 'updated'));
  }
  return updated;
}

/**
 * A token may always revoke itself, whatever its scopes today: a token that finds itself
 * leaked needs no one else to stop it, and stopping only takes power away.
 */
export async function revokeApiToken(caller: Caller, input: { id: string }): Promise<ApiToken> {
  const { app, principal } = caller;
  const current = await apiTokenOrFail(app, principal.organizationId, input.id);
  if (principal.tokenId !== current.id) {
    await assertMayActOn(caller, current.scopes as Scope[], { type: 'ApiToken', id: current.id });
  }
  if (current.revokedAt) return current;
  const revoked = await app.db.$transaction(async (tx) => {
    const revoked = await tx.apiToken.update({
      where: { id: current.id },
      data: { revokedAt: new Date(), ...revokedBy(principal) },
    });
    await tokenAudit(caller, tx, 'api_token.revoked', revoked);
    await enqueueWebhookEvent(tx, tokenEvent('api_token.revoked', revoked));
    return revoked;
  });
  await app.apiTokens.invalidate([current]);
  return revoked;
}

/** A new secret with the same name, scopes and expiry; the old one stops working at once. */
export async function rotateApiToken(caller: Caller, input: { id: string }): Promise<CreatedApiToken> {
  const { app, principal } = caller;
  const current = await apiTokenOrFail(app, principal.organizationId, input.id);
  if (current.revokedAt || (current.expiresAt && current.expiresAt <= new Date())) {
    throw badInput('id', 'invalidApiToken');
  }
  await assertMayHandOut(caller, current.scopes as Scope[], { type: 'ApiToken', id: current.id });
  const { token, data: secret } = secretFields();
  const apiToken = await app.db.$transaction(async (tx) => {
    const claimed = await tx.apiToken.updateMany({
      where: { id: current.id, revokedAt: null },
      data: { revokedAt: new Date(), ...revokedBy(principal) },
    });
    if (claimed.count === 0) throw badInput('id', 'invalidApiToken');
    const created = await tx.apiToken.create({
      data: {
        ...secret,
        organizationId: current.organizationId,
        serviceAccountId: current.serviceAccountId,
        name: current.name,
        scopes: current.scopes,
        expiresAt: current.expiresAt,
        ...limitColumnsOf(current),
        createdById: principal.id,
        createdByType: actorOf(principal).actorType,
      },
    });
    await tokenAudit(caller, tx, 'api_token.rotated', created, { replaces: current.id });
    // A rotation revokes one token and creates another.
    await enqueueWebhookEvents(tx, [
      tokenEvent('api_token.revoked', { ...current, revokedAt: new Date(), ...revokedBy(principal) }),
      tokenEvent('api_token.created', created, { replaces: current.id }),
    ]);
    return created;
  });
  await app.apiTokens.invalidate([current]);
  if (holdsWriteAll(apiToken.scopes)) app.background(() => alertPrivilegedToken(app, caller, apiToken, 'rotated'));
  return { token, apiToken };
}

/**
 * A token that could push back its own expiry would outlive what its creator allowed, one
 * renewal at a time; shortening its own life is fine.
 */
const outlives = (requested: Date, current: Date | null) => current !== null && requested > current;

const ownLimitsRefused = () => new AppError('FORBIDDEN', 'forbiddenOwnLimits', { extensions: { field: 'rateLimit' } });

/** A token's limits, carried over to the token that replaces it. */
const limitColumnsOf = (token: CredentialLimitColumns): CredentialLimitColumns => ({
  rateLimit: token.rateLimit,
  rateLimitWindowSeconds: token.rateLimitWindowSeconds,
  remaining: token.remaining,
  remainingSetAt: token.remainingSetAt,
  refillAmount: token.refillAmount,
  refillIntervalSeconds: token.refillIntervalSeconds,
});

const ownExpiryRefused = () => new AppError('FORBIDDEN', 'forbiddenOwnExpiry', { extensions: { field: 'expiresAt' } });

function tokenAudit(
  caller: Caller,
  tx: Prisma.TransactionClient,
  action: string,
  token: ApiToken,
  extra: Record<string, Prisma.InputJsonValue> = {},
) {
  return auditAs(
    caller,
    tx,
    action,
    { type: 'ApiToken', id: token.id },
    {
      serviceAccountId: token.serviceAccountId,
      name: token.name,
      ...extra,
    },
  );
}

/** What api_token.* messages say: never the secret nor its hash. */
function tokenEvent(
  type: 'api_token.created' | 'api_token.revoked',
  token: ApiToken,
  extra: Record<string, unknown> = {},
): WebhookEvent {
  return {
    organizationId: token.organizationId,
    type,
    data: {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scopes: token.scopes,
      serviceAccountId: token.serviceAccountId,
      expiresAt: token.expiresAt?.toISOString() ?? null,
      revokedAt: token.revokedAt?.toISOString() ?? null,
      ...extra,
    },
  };
}
