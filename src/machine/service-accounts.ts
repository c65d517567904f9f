// Service accounts: machine users of one organization, named by a slug unique there.
// Disabling one revokes every API token and OAuth client it has, and deleting one removes
// them, on every instance at once; enabling it again revives none of them. Each of these acts
// on the account's credentials, so it needs every scope they hold (credential-authority.ts); a
// new name or description changes what nobody can do, and needs write:service_accounts alone.
import { z } from 'zod';
import { slugify } from '../accounts/slug.ts';
import { auditAs, type Caller, revokedBy, scopeHolder } from '../auth/caller.ts';
import type { Scope } from '../auth/scopes.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { App } from '../platform/app.ts';
import { conflict, notFound } from '../platform/errors.ts';
import { name, parseInput, slug } from '../platform/validation.ts';
import { assertMayActOn, liveCredentialScopes, refusedActing } from './credential-authority.ts';

const description = z.string().trim().max(500).nullish();

function findServiceAccount(app: App, organizationId: string, accountSlug: string) {
  return app.db.serviceAccount.findUnique({ where: { organizationId_slug: { organizationId, slug: accountSlug } } });
}

export async function serviceAccountOrFail(app: App, organizationId: string, accountSlug: string, field = 'slug') {
  const account = await findServiceAccount(app, organizationId, accountSlug);
  if (!account) throw notFound('ServiceAccount', field);
  return account;
}

/**
 * Which of the organization's machine credentials (API tokens, OAuth clients) a listing
 * shows: optionally one account's, revoked ones only when asked, and only those unused since
 * an instant when asked (to prune: made before it, and not used since). An unknown slug is
 * NOT_FOUND naming it.
 */
export async function credentialsWhere(
  app: App,
  organizationId: string,
  filter: { serviceAccountSlug?: string | null; includeRevoked: boolean; unusedSince?: Date | null },
) {
  const account =
    filter.serviceAccountSlug == null
      ? null
      : await serviceAccountOrFail(app, organizationId, filter.serviceAccountSlug, 'serviceAccountSlug');
  const since = filter.unusedSince;
  return {
    organizationId,
    ...(account ? { serviceAccountId: account.id } : {}),
    ...(filter.includeRevoked ? {} : { revokedAt: null }),
    ...(since == null ? {} : { createdAt: { lt: since }, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: since } }] }),
  };
}

const createInput = z.object({ name: name(), slug: slug.nullish(), description });

export async function createServiceAccount(caller: Caller, input: unknown) {
  const { app, principal } = caller;
  const data = parseInput(createInput, input);
  const accountSlug = data.slug ?? slugify(data.name);
  try {
    return await app.db.$transaction(async (tx) => {
      const account = await tx.serviceAccount.create({
        data: {
          organizationId: principal.organizationId,
          name: data.name,
          slug: accountSlug,
          description: data.description ?? null,
          createdById: principal.id,
        },
      });
      await auditAs(
        caller,
        tx,
        'service_account.created',
        { type: 'ServiceAccount', id: account.id },
        {
          slug: account.slug,
        },
      );
      return account;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw conflict('slugTaken', { slug: accountSlug }, 'slug');
    }
    throw error;
  }
}

const updateInput = z.object({ slug, name: name().nullish(), description, disabled: z.boolean().nullish() });

export async function updateServiceAccount(caller: Caller, input: unknown) {
  const { app, principal } = caller;
  const data = parseInput(updateInput, input);
  const account = await serviceAccountOrFail(app, principal.organizationId, data.slug);
  const togglesDisabled = data.disabled != null && data.disabled !== !!account.disabledAt;
  const disabling = data.disabled === true && !account.disabledAt;
  if (togglesDisabled) {
    const target = { type: 'ServiceAccount', id: account.id };
    await assertMayActOn(caller, await liveCredentialScopes(app.db, account.id), target);
  }
  const { updated, tokens, clientIds } = await app.db.$transaction(async (tx) => {
    // Locked, as for a deletion: a token created meanwhile is either revoked here or made after.
    await tx.$queryRaw`SELECT id FROM "ServiceAccount" WHERE id = ${account.id}::uuid FOR UPDATE`;
    const updated = await tx.serviceAccount.update({
      where: { id: account.id },
      data: {
        name: data.name ?? undefined,
        description: data.description === undefined ? undefined : data.description,
        disabledAt: data.disabled == null ? undefined : data.disabled ? (account.disabledAt ?? new Date()) : null,
      },
    });
    if (togglesDisabled) {
      const action = data.disabled ? 'service_account.disabled' : 'service_account.enabled';
      await auditAs(caller, tx, action, { type: 'ServiceAccount', id: account.id });
    }
    const revoked = disabling ? await revokeCredentials(caller, tx, account.id) : { tokens: [], clients: [] };
    return { updated, tokens: revoked.tokens, clientIds: revoked.clients.map((c) => c.clientId) };
  });
  await app.apiTokens.invalidate(tokens);
  await app.oauthClients.changed(clientIds);
  return updated;
}

/**
 * Disabling is what an incident calls for, so it revokes every credential the account has
 * (API tokens, OAuth clients and with them their access tokens), each audited: enabling the
 * account again brings none of them back, and new ones are made for it. Tokens made while it
 * is disabled are not touched by a later enable.
 */
async function revokeCredentials(caller: Caller, tx: Prisma.TransactionClient, serviceAccountId: string) {
  const now = new Date();
  const revoker = revokedBy(caller.principal);
  const tokens = await tx.apiToken.findMany({
    where: { serviceAccountId, revokedAt: null },
    select: { id: true, tokenHash: true, name: true },
  });
  const clients = await tx.oAuthClient.findMany({
    where: { serviceAccountId, revokedAt: null },
    select: { id: true, clientId: true, name: true },
  });
  await tx.apiToken.updateMany({
    where: { id: { in: tokens.map((t) => t.id) } },
    data: { revokedAt: now, ...revoker },
  });
  await tx.oAuthClient.updateMany({
    where: { id: { in: clients.map((c) => c.id) } },
    data: { revokedAt: now, ...revoker },
  });
  for (const token of tokens) {
    await auditAs(
      caller,
      tx,
      'api_token.revoked',
      { type: 'ApiToken', id: token.id },
      { serviceAccountId, name: token.name, reason: 'service_account_disabled' },
    );
  }
  for (const client of clients) {
    await auditAs(
      caller,
      tx,
      'oauth_client.revoked',
      { type: 'OAuthClient', id: client.id },
      { serviceAccountId, clientId: client.clientId, name: client.name, reason: 'service_account_disabled' },
    );
  }
  return { tokens, clients };
}

const deleteInput = z.object({ slug });

/**
 * Deletes the account and, in the same transaction, its tokens and OAuth clients (each
 * audited as revoked);
 * audit events keep their ids. The account's row is locked first, so a token created
 * meanwhile is either among those revoked or refused for want of its account, and the
 * caller's scopes are checked against exactly the credentials deleted.
 */
export async function deleteServiceAccount(caller: Caller, input: unknown) {
  const { app, principal } = caller;
  const data = parseInput(deleteInput, input);
  const account = await serviceAccountOrFail(app, principal.organizationId, data.slug);
  const holds = await scopeHolder(caller);
  let missing: Scope[] = [];
  const deleting = app.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "ServiceAccount" WHERE id = ${account.id}::uuid FOR UPDATE`;
    missing = (await liveCredentialScopes(tx, account.id)).filter((scope) => !holds(scope));
    if (missing.length > 0) throw new CredentialsBeyondCaller();
    const tokens = await tx.apiToken.findMany({ where: { serviceAccountId: account.id } });
    const clients = await tx.oAuthClient.findMany({ where: { serviceAccountId: account.id } });
    for (const client of clients.filter((c) => !c.revokedAt)) {
      await auditAs(
        caller,
        tx,
        'oauth_client.revoked',
        { type: 'OAuthClient', id: client.id },
        {
          serviceAccountId: account.id,
          clientId: client.clientId,
          name: client.name,
          reason: 'service_account_deleted',
        },
      );
    }
    for (const token of tokens.filter((t) => !t.revokedAt)) {
      await auditAs(
        caller,
        tx,
        'api_token.revoked',
        { type: 'ApiToken', id: token.id },
        { serviceAccountId: account.id, name: token.name, reason: 'service_account_deleted' },
      );
    }
    await tx.serviceAccount.delete({ where: { id: account.id } });
    await auditAs(
      caller,
      tx,
      'service_account.deleted',
      { type: 'ServiceAccount', id: account.id },
      {
        slug: account.slug,
      },
    );
    return { tokens, clientIds: clients.map((c) => c.clientId) };
  });
  const { tokens, clientIds } = await deleting.catch(async (error: unknown) => {
    // Refused once the transaction has rolled back: the refusal's audit is written outside it.
    if (error instanceof CredentialsBeyondCaller) {
      throw await refusedActing(caller, missing, { type: 'ServiceAccount', id: account.id });
    }
    throw error;
  });
  await app.apiTokens.invalidate(tokens);
  await app.oauthClients.changed(clientIds);
  return account;
}

class CredentialsBeyondCaller extends Error {}
