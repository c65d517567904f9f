// The client credentials grant (RFC 6749 §4.4), apart from HTTP: authenticates a client by
// its id and secret, narrows the scopes it asks for, and issues an ES256 access token (RFC
// 9068 shape) that acts as the client's service account. Errors carry the RFC 6749 §5.2
// codes; the endpoint (http/oauth-token.ts) turns them into responses.

import { signAccessToken } from '../auth/jwt.ts';
import { isWellFormedClientId, isWellFormedClientSecret } from '../auth/oauth-client-format.ts';
import { CLIENT_CREDENTIALS_TOKEN_TYPE } from '../auth/principal.ts';
import { grants, isScopeOf, type Scope } from '../auth/scopes.ts';
import { safeEqual, sha256 } from '../auth/secrets.ts';
import type { OAuthClient } from '../generated/prisma/client.ts';
import { admitRequest } from '../limits/request-limits.ts';
import type { App } from '../platform/app.ts';
import { audit } from '../platform/audit.ts';
import { credentialLimitsOf } from '../platform/credential-limits.ts';
import type { Product } from '../products/catalog.ts';
import { effectiveScopes } from '../products/features.ts';
import { credentialStanding, holdsOperatorRights, modulesOf } from '../products/request-product.ts';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope';

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  constructor(code: OAuthErrorCode, description: string) {
    super(description);
    this.code = code;
  }
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface AuthenticatedClient {
  client: OAuthClient;
  /** When the client's secret was read from the database (ms). */
  checkedAtMs: number;
}

/** Compared against when the client id is unknown, so that a miss costs what a hit costs. */
const NO_SECRET_HASH = sha256('no client has this secret');

const badClient = () => new OAuthError('invalid_client', 'Client authentication failed.');

/**
 * The client whose id and secret these are, if it may receive tokens. Failures count
 * against the client id and the caller's address as failed logins count against an account
 * (RATE_LIMITED once over budget), so that a stranger's failures never take an integration
 * offline at the address it authenticated from before; a failure on a known client is
 * audited in its organization.
 */
export async function authenticateClient(
  app: App,
  credentials: { clientId: string; clientSecret: string },
  ip: string,
): Promise<AuthenticatedClient> {
  const { clientId, clientSecret } = credentials;
  // Malformed ids and secrets are refused before any lookup or counting.
  if (!isWellFormedClientId(clientId) || !isWellFormedClientSecret(clientSecret)) throw badClient();
  await app.limits.oauthClients.assertAllowed(clientId, ip);
  // A token counts as issued before the secret was checked: should a rotation commit between
  // the check and the signing, the token still falls before the rotation and is refused.
  const checkedAtMs = Date.now();
  const client = await app.db.oAuthClient.findUnique({
    where: { clientId },
    include: { serviceAccount: { select: { disabledAt: true } } },
  });
  const secretMatches = safeEqual(sha256(clientSecret), client?.secretHash ?? NO_SECRET_HASH);
  if (!client || !secretMatches || client.revokedAt || client.serviceAccount.disabledAt) {
    await app.limits.oauthClients.failed(clientId, ip);
    if (client) {
      await audit(app.db, {
        organizationId: client.organizationId,
        actorType: 'ANONYMOUS',
        actorId: null,
        action: 'oauth_client.authentication_failed',
        targetType: 'OAuthClient',
        targetId: client.id,
        ip,
        metadata: { clientId, reason: !secretMatches ? 'secret' : client.revokedAt ? 'revoked' : 'account_disabled' },
      });
    }
    throw badClient();
  }
  await app.limits.oauthClients.succeeded(clientId, ip);
  const { serviceAccount: _account, ...row } = client;
  return { client: row, checkedAtMs };
}

/**
 * The scopes a token gets: all of the client's when none are asked for (RFC 6749 §3.3),
 * else exactly those asked for, each of which the client must hold (`read:X` is held
 * through `write:X`, as everywhere).
 */
export function grantedScopes(
  client: Pick<OAuthClient, 'scopes'>,
  requested: string | undefined,
  productModules: readonly string[] = [],
): string[] {
  if (requested === undefined) return [...client.scopes];
  const asked = requested.split(' ');
  if (asked.some((scope) => scope === '')) {
    throw new OAuthError('invalid_scope', 'Scopes are separated by single spaces.');
  }
  const unknown = asked.find((scope) => !isScopeOf(scope, productModules));
  if (unknown !== undefined) throw new OAuthError('invalid_scope', `Unknown scope "${unknown}".`);
  const beyond = asked.find((scope) => !grants(client.scopes, scope as Scope));
  if (beyond !== undefined) throw new OAuthError('invalid_scope', `The client does not hold the scope "${beyond}".`);
  return [...new Set(asked)];
}

/** Signs the access token and records that the client received it. */
export async function issueClientToken(
  app: App,
  { client, checkedAtMs }: AuthenticatedClient,
  scopes: readonly string[],
  ip: string,
  /** The product the request named, if any: a client of another product is refused. */
  named: Product | null = null,
): Promise<TokenResponse> {
  const { product, standing } = await credentialStanding(app, client.organizationId, named);
  // A token request spends the client's own budget and its organization's, as any request does.
  const principal = {
    kind: 'serviceAccount' as const,
    id: client.serviceAccountId,
    organizationId: client.organizationId,
    scopes,
    oauthClientId: client.clientId,
    credentialLimits: credentialLimitsOf(client),
  };
  await admitRequest(app, { principal, product, standing }, 'check');
  const ttl = app.config.OAUTH_ACCESS_TOKEN_TTL ?? app.config.ACCESS_TOKEN_TTL;
  // The token lists what the client may use now: its scopes, within the enabled features.
  const operator = await holdsOperatorRights(app, client.organizationId, null);
  const effective = effectiveScopes(scopes, modulesOf(app, product, standing, operator).enabled);
  const scope = effective.join(' ');
  const { token, jti, exp } = await signAccessToken(
    app.jwt,
    { sub: client.serviceAccountId, org: client.organizationId, product: product.slug, scopes: effective },
    ttl,
    CLIENT_CREDENTIALS_TOKEN_TYPE,
    { typ: 'at+jwt', claims: { client_id: client.clientId, scope }, issuedAtMs: checkedAtMs },
  );
  await clientAuthenticated(app, { client, ip, scopes: effective, jti, expiresAt: exp });
  return { access_token: token, token_type: 'Bearer', expires_in: ttl, scope };
}

/**
 * Everything that follows a client's successful authentication at the token endpoint, with
 * the client, its service account, organization and the caller's IP in hand: the audit
 * event, lastUsedAt, and whatever else must watch clients in use.
 */
async function clientAuthenticated(
  app: App,
  event: { client: OAuthClient; ip: string; scopes: readonly string[]; jti: string; expiresAt: number },
) {
  const { client, ip } = event;
  app.credentialUse.note({
    kind: 'oauth_client',
    id: client.id,
    organizationId: client.organizationId,
    ip,
    label: `"${client.name}" (${client.clientId})`,
  });
  await audit(app.db, {
    organizationId: client.organizationId,
    actorType: 'SERVICE_ACCOUNT',
    actorId: client.serviceAccountId,
    action: 'oauth_token.issued',
    targetType: 'OAuthClient',
    targetId: client.id,
    ip,
    metadata: {
      clientId: client.clientId,
      scopes: [...event.scopes],
      jti: event.jti,
      expiresAt: new Date(event.expiresAt * 1000).toISOString(),
    },
  });
  // Off the request path; written at most once a minute per client.
  const staleBefore = new Date(Date.now() - 60_000);
  app.background(() =>
    app.db.oAuthClient.updateMany({
      where: { id: client.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: new Date() },
    }),
  );
}
