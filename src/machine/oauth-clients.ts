// OAuth clients of service accounts, for the client credentials grant (RFC 6749 §4.4).
// Managed like API tokens: the secret is returned once and stored as its SHA-256, a client
// is never given scopes its creator does not hold, and revoking it (or rotating its secret,
// or disabling or deleting its service account) stops the access tokens already issued to
// it on every instance at once.

import { z } from 'zod';
import { actorOf, auditAs, type Caller, refuse, revokedBy } from '../auth/caller.ts';
import { newClientId, newClientSecret, secretDisplayPrefix } from '../auth/oauth-client-format.ts';
import type { Scope } from '../auth/scopes.ts';
import { sha256 } from '../auth/secrets.ts';
import type { OAuthClient, Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { changesLimits, credentialLimitColumns, credentialLimitsInput } from '../platform/credential-limits.ts';
import { AppError, badInput, notFound } from '../platform/errors.ts';
import { isUuid, name, parseInput } from '../platform/validation.ts';
import { declaredModulesOf } from '../products/request-product.ts';
import { alertPrivilegedToken, holdsWriteAll } from '../security/causes.ts';
import { parseScopes } from './api-tokens.ts';
import { assertMayActOn, assertMayHandOut } from './credential-authority.ts';
import { serviceAccountOrFail } from './service-accounts.ts';

export interface OAuthClientCredentials {
  clientId: string;
  /** The secret, shown this once. */
  clientSecret: string;
  oauthClient: OAuthClient;
}

function secretFields() {
  const clientSecret = newClientSecret();
  return { clientSecret, data: { secretHash: sha256(clientSecret), secretPrefix: secretDisplayPrefix(clientSecret) } };
}

export async function oauthClientOrFail(app: App, organizationId: string, id: string): Promise<OAuthClient> {
  const client = isUuid(id) ? await app.db.oAuthClient.findFirst({ where: { id, organizationId } }) : null;
  if (!client) throw notFound('OAuthClient', 'id');
  return client;
}

const createInput = z.object({
  serviceAccountSlug: z.string().min(1),
  name: name(),
  scopes: z.array(z.string()),
  ...credentialLimitsInput,
});

export async function createOAuthClient(caller: Caller, input: unknown): Promise<OAuthClientCredentials> {
  const { app, principal } = caller;
  const data = parseInput(createInput, input);
  const scopes = parseScopes(data.scopes, await declaredModulesOf(app, principal.organizationId));
  const account = await serviceAccountOrFail(
    app,
    principal.organizationId,
    data.serviceAccountSlug,
    'serviceAccountSlug',
  );
  await assertMayHandOut(caller, scopes, { type: 'ServiceAccount', id: account.id });
  const { clientSecret, data: secret } = secretFields();
  const oauthClient = await app.db.$transaction(async (tx) => {
    const created = await tx.oAuthClient.create({
      data: {
        ...secret,
        clientId: newClientId(),
        organizationId: principal.organizationId,
        serviceAccountId: account.id,
        name: data.name,
        scopes,
        createdById: principal.id,
        createdByType: actorOf(principal).actorType,
        ...credentialLimitColumns(data),
      },
    });
    await clientAudit(caller, tx, 'oauth_client.created', created, { scopes: created.scopes });
    return created;
  });
  if (holdsWriteAll(oauthClient.scopes)) {
    const credential = { ...oauthClient, prefix: oauthClient.secretPrefix };
    app.background(() => alertPrivilegedToken(app, caller, credential, 'oauth_client_created'));
  }
  return { clientId: oauthClient.clientId, clientSecret, oauthClient };
}

const updateInput = z.object({ id: z.string(), name: name().nullish(), ...credentialLimitsInput });

/**
 * Renames a client or changes its own limits (a field left out stays, null removes a limit);
 * needs every scope the client holds. A client never changes its own limits.
 */
export async function updateOAuthClient(caller: Caller, input: unknown): Promise<OAuthClient> {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  const current = await oauthClientOrFail(app, principal.organizationId, data.id);
  const target = { type: 'OAuthClient', id: current.id };
  await assertMayActOn(caller, current.scopes as Scope[], target);
  if (principal.oauthClientId === current.clientId && changesLimits(data)) {
    throw await refuse(
      caller,
      'client_changes_own_limits',
      target,
      new AppError('FORBIDDEN', 'forbiddenOwnLimits', { extensions: { field: 'rateLimit' } }),
    );
  }
  const updated = await app.db.$transaction(async (tx) => {
    const updated = await tx.oAuthClient.update({
      where: { id: current.id },
      data: { name: data.name ?? undefined, ...credentialLimitColumns(data) },
    });
    await clientAudit(caller, tx, 'oauth_client.updated', updated);
    return updated;
  });
  await app.oauthClients.changed([current.clientId]);
  return updated;
}

/**
 * Stops the client at once: its secret and every access token issued to it. Needs every
 * scope the client holds, except for the client itself (through one of its access tokens),
 * which may always stop itself.
 */
export async function revokeOAuthClient(caller: Caller, input: { id: string }): Promise<OAuthClient> {
  const { app, principal } = caller;
  const current = await oauthClientOrFail(app, principal.organizationId, input.id);
  if (principal.oauthClientId !== current.clientId) {
    await assertMayActOn(caller, current.scopes as Scope[], { type: 'OAuthClient', id: current.id });
  }
  if (current.revokedAt) return current;
  const revoked = await app.db.$transaction(async (tx) => {
    const revoked = await tx.oAuthClient.update({
      where: { id: current.id },
      data: { revokedAt: new Date(), ...revokedBy(principal) },
    });
    await clientAudit(caller, tx, 'oauth_client.revoked', revoked);
    return revoked;
  });
  await app.oauthClients.changed([current.clientId]);
  return revoked;
}

/**
 * A new secret for the same client id, name and scopes. The old secret stops at once, and
 * so do the access tokens issued with it: a secret is rotated because it may have leaked,
 * and a token obtained with a leaked secret is as suspect as the secret.
 */
export async function rotateOAuthClientSecret(caller: Caller, input: { id: string }): Promise<OAuthClientCredentials> {
  const { app, principal } = caller;
  const current = await oauthClientOrFail(app, principal.organizationId, input.id);
  if (current.revokedAt) throw badInput('id', 'invalidOAuthClient');
  // Handing out a secret anew hands out its scopes anew.
  await assertMayHandOut(caller, current.scopes as Scope[], { type: 'OAuthClient', id: current.id });
  const { clientSecret, data: secret } = secretFields();
  await app.db.$transaction(async (tx) => {
    const claimed = await tx.oAuthClient.updateMany({
      where: { id: current.id, revokedAt: null },
      data: { ...secret, secretRotatedAt: new Date() },
    });
    if (claimed.count === 0) throw badInput('id', 'invalidOAuthClient');
    await clientAudit(caller, tx, 'oauth_client.secret_rotated', current);
  });
  // Once the new secret is committed: a token issued after a check of the old secret counts
  // as issued before this instant, and nobody has the new secret until this answers.
  const oauthClient = await app.db.oAuthClient.update({
    where: { id: current.id },
    data: { tokensNotBefore: new Date() },
  });
  await app.oauthClients.changed([current.clientId]);
  return { clientId: oauthClient.clientId, clientSecret, oauthClient };
}

function clientAudit(
  caller: Caller,
  tx: Prisma.TransactionClient,
  action: string,
  client: OAuthClient,
  extra: Record<string, Prisma.InputJsonValue> = {},
) {
  return auditAs(
    caller,
    tx,
    action,
    { type: 'OAuthClient', id: client.id },
    { serviceAccountId: client.serviceAccountId, clientId: client.clientId, name: client.name, ...extra },
  );
}
