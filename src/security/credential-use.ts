// Which addresses each machine credential (an API token, an OAuth client) is used from, and
// the `new_ip` alert when one is used from an address it has never been used from. The
// request path only looks the (credential, address) pair up in memory: a pair this instance
// has recorded within the hour costs nothing more, and a new one is queued and written after
// the response, like lastUsedAt. The first address a credential is ever seen from raises
// nothing (it has to be used from somewhere); every later new address does.
import type { App } from '../platform/app.ts';
import { outsideRequests } from '../platform/audit.ts';
import { raiseSecurityAlert } from './alerts.ts';

export interface CredentialUse {
  kind: 'api_token' | 'oauth_client';
  /** The API token's or the OAuth client's id. */
  id: string;
  organizationId: string;
  ip: string;
  /** How the alert names the credential; for API tokens it is read from the token. */
  label?: string;
  /** Who the credential belongs to (a service account's name), for the alert text. */
  owner?: string;
}

export interface CredentialUseTracker {
  /** Notes a use; never waits for the database. */
  note(use: CredentialUse): void;
}

/** An instance records a known pair again after this long, which keeps lastSeenAt within it. */
const REMEMBER_MS = 3600_000;
const MAX_REMEMBERED = 50_000;

export function createCredentialUseTracker(getApp: () => App): CredentialUseTracker {
  const remembered = new Map<string, number>();
  let queued = new Map<string, CredentialUse>();
  let scheduled = false;
  // One pass at a time, in order: an address is recorded before any address noted after it.
  let passes: Promise<void> = Promise.resolve();

  const flush = async () => {
    // Uses arriving in the same tick share one pass.
    await new Promise((resolve) => setImmediate(resolve));
    scheduled = false;
    const batch = queued;
    queued = new Map();
    const app = getApp();
    for (const [key, use] of batch) {
      try {
        await record(app, use);
      } catch (error) {
        remembered.delete(key);
        app.logger.warn({ err: error, credentialId: use.id }, 'could not record where a credential was used');
      }
    }
  };

  return {
    note(use) {
      if (!use.ip || use.ip === 'unknown') return;
      const key = `${use.kind}:${use.id}:${use.ip}`;
      const now = Date.now();
      const at = remembered.get(key);
      if (at !== undefined && now - at < REMEMBER_MS) return;
      remembered.delete(key);
      if (remembered.size >= MAX_REMEMBERED) remembered.delete(remembered.keys().next().value as string);
      remembered.set(key, now);
      queued.set(key, use);
      if (!scheduled) {
        scheduled = true;
        // The batch holds what several requests queued: its alerts are no one request's.
        outsideRequests(() =>
          getApp().background(() => {
            passes = passes.then(flush);
            return passes;
          }),
        );
      }
    },
  };
}

/** Records the pair; a first sighting of an address, when the credential had others before, alerts. */
async function record(app: App, use: CredentialUse) {
  const now = new Date();
  const inserted = await app.db.$queryRaw<{ firstSeenAt: Date }[]>`
    INSERT INTO "CredentialIp" (kind, "credentialId", ip, "organizationId", "firstSeenAt", "lastSeenAt")
    VALUES (${use.kind}, ${use.id}::uuid, ${use.ip}, ${use.organizationId}::uuid,
      ${now.toISOString()}::timestamp, ${now.toISOString()}::timestamp)
    ON CONFLICT (kind, "credentialId", ip) DO NOTHING
    RETURNING "firstSeenAt"`;
  if (inserted.length === 0) {
    await app.db.credentialIp.update({
      where: { kind_credentialId_ip: { kind: use.kind, credentialId: use.id, ip: use.ip } },
      data: { lastSeenAt: now },
    });
    return;
  }
  // Seen from somewhere before? Two first addresses recorded at the same moment (two
  // instances) are ordered by address, so exactly one of them counts as the first.
  const earlier = await app.db.credentialIp.findFirst({
    where: {
      kind: use.kind,
      credentialId: use.id,
      ip: { not: use.ip },
      OR: [{ firstSeenAt: { lt: now } }, { firstSeenAt: now, ip: { lt: use.ip } }],
    },
    select: { ip: true },
  });
  if (!earlier) return;
  const named = use.kind === 'api_token' ? await apiTokenNames(app, use.id) : await oauthClientNames(app, use.id);
  await raiseSecurityAlert(app, {
    organizationId: use.organizationId,
    cause: 'new_ip',
    subject: `${use.kind}:${use.id}:${use.ip}`,
    text: `new_ip:${use.kind}`,
    params: {
      credential: named?.credential ?? use.label ?? use.id,
      owner: named?.owner ?? use.owner ?? '',
      ip: use.ip,
    },
    actor: { type: 'SERVICE_ACCOUNT', id: named?.ownerId ?? null },
    ip: use.ip,
  });
}

async function apiTokenNames(app: App, tokenId: string) {
  const token = await app.db.apiToken.findUnique({
    where: { id: tokenId },
    select: { name: true, prefix: true, serviceAccount: { select: { id: true, name: true, slug: true } } },
  });
  if (!token) return null;
  return {
    credential: `"${token.name}" (${token.prefix}…)`,
    owner: `${token.serviceAccount.name} (${token.serviceAccount.slug})`,
    ownerId: token.serviceAccount.id,
  };
}

async function oauthClientNames(app: App, id: string) {
  const client = await app.db.oAuthClient.findUnique({
    where: { id },
    select: { name: true, clientId: true, serviceAccount: { select: { id: true, name: true, slug: true } } },
  });
  if (!client) return null;
  return {
    credential: `"${client.name}" (${client.clientId})`,
    owner: `${client.serviceAccount.name} (${client.serviceAccount.slug})`,
    ownerId: client.serviceAccount.id,
  };
}

declare module '../platform/app.ts' {
  interface App {
    /** Where machine credentials are used from (the new_ip security alert). */
    credentialUse: CredentialUseTracker;
  }
}
