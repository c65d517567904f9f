// GET /api/tokens/validate, for a gateway's forward-auth (e.g. Traefik): an API token in
// `Authorization: Bearer hld_…` is exchanged for a short-lived ES256 JWT the upstream can
// verify against our JWKS. Anything else answers 401.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_TOKEN_PREFIX } from '../auth/api-token-format.ts';
import { signAccessToken } from '../auth/jwt.ts';
import { authenticate, bearer } from '../auth/principal.ts';
import { clientIp, headersOf } from '../graphql/context.ts';
import type { App } from '../platform/app.ts';
import { AppError } from '../platform/errors.ts';
import type { Product } from '../products/catalog.ts';
import { credentialStanding, limitedToFeatures } from '../products/request-product.ts';
import { json } from './json.ts';
import { plainRequestProduct, sendProductRefusal } from './product-header.ts';

const MAX_TTL_SECONDS = 15 * 60;
/**
 * The JWT's `type` claim. Not `access`: Herald itself refuses these, so that a gateway
 * token never outlives a revocation here by acting on Herald directly.
 */
export const FORWARDED_TOKEN_TYPE = 'service_account';

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  json(res, status, body, { 'cache-control': 'no-store', ...headers });

export async function validateApiToken(app: App, req: IncomingMessage, res: ServerResponse) {
  const headers = headersOf(req);
  const ip = clientIp(app, { url: req.url ?? '/', headers, remoteAddress: req.socket.remoteAddress });
  const credential = bearer(headers.get('authorization'));
  const unauthorized = (code: string) =>
    send(res, 401, { status: 'unauthorized', code }, { 'www-authenticate': 'Bearer' });

  if (!credential?.startsWith(API_TOKEN_PREFIX)) return unauthorized('UNAUTHENTICATED');
  let principal: Awaited<ReturnType<typeof authenticate>>;
  try {
    principal = await authenticate(app, credential, ip);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.extensions.code === 'RATE_LIMITED') {
      return send(res, 429, { status: 'rate_limited' }, { 'retry-after': String(error.extensions.retryAfter) });
    }
    return unauthorized(String(error.extensions.code));
  }
  if (!principal) return unauthorized('UNAUTHENTICATED');
  let product: Product;
  try {
    const credential = await credentialStanding(app, principal.organizationId, await plainRequestProduct(app, req));
    product = credential.product;
    principal = limitedToFeatures(app, principal, product, credential.standing);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return sendProductRefusal(res, error);
  }

  const remaining = principal.expiresAt ? principal.expiresAt - Math.floor(Date.now() / 1000) : MAX_TTL_SECONDS;
  const ttl = Math.max(1, Math.min(MAX_TTL_SECONDS, remaining));
  const { token, exp } = await signAccessToken(
    app.jwt,
    { sub: principal.id, org: principal.organizationId, product: product.slug, scopes: principal.scopes },
    ttl,
    FORWARDED_TOKEN_TYPE,
  );
  send(
    res,
    200,
    {
      status: 'ok',
      organizationId: principal.organizationId,
      product: product.slug,
      scopes: principal.scopes,
      expiresAt: exp,
    },
    { authorization: `Bearer ${token}` },
  );
}
