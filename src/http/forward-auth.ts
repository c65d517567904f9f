// GET /api/tokens/validate, for a gateway's forward-auth (e.g. Traefik): an API token in
// `Authorization: Bearer hld_…` is exchanged for a short-lived ES256 JWT the upstream can
// verify against our JWKS (its own `typ` and `aud`, see machine/forward-auth-jwts.ts).
// Anything else answers 401.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_TOKEN_PREFIX } from '../auth/api-token-format.ts';
import { authenticate, bearer } from '../auth/principal.ts';
import { clientIp, headersOf } from '../graphql/context.ts';
import { type Admission, admitRequest } from '../limits/request-limits.ts';
import type { App } from '../platform/app.ts';
import { AppError, httpHeadersOf } from '../platform/errors.ts';
import { rateLimitHeaders } from '../platform/rate-limit-headers.ts';
import type { Product } from '../products/catalog.ts';
import { credentialStanding, limitedToFeatures } from '../products/request-product.ts';
import type { Standing } from '../products/standing.ts';
import { json } from './json.ts';
import { plainRequestProduct, sendProductRefusal } from './product-header.ts';

export const FORWARD_AUTH_PATH = '/api/tokens/validate';

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  json(res, status, body, { 'cache-control': 'no-store', ...headers });

export async function validateApiToken(app: App, req: IncomingMessage, res: ServerResponse) {
  const headers = headersOf(req);
  const ip = clientIp(app, { url: req.url ?? '/', headers, remoteAddress: req.socket.remoteAddress });
  const credential = bearer(headers.get('authorization'));
  const unauthorized = (code: string) =>
    send(res, 401, { status: 'unauthorized', code }, { 'www-authenticate': 'Bearer' });

  const refused = (error: AppError) =>
    send(res, 429, { status: 'rate_limited', limit: error.extensions.limit }, httpHeadersOf(error));

  if (!credential?.startsWith(API_TOKEN_PREFIX)) return unauthorized('UNAUTHENTICATED');
  let principal: Awaited<ReturnType<typeof authenticate>>;
  try {
    principal = await authenticate(app, credential, ip);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.extensions.code === 'RATE_LIMITED') return refused(error);
    return unauthorized(String(error.extensions.code));
  }
  if (!principal) return unauthorized('UNAUTHENTICATED');
  let product: Product;
  let standing: Standing;
  try {
    const credential = await credentialStanding(app, principal.organizationId, await plainRequestProduct(app, req));
    product = credential.product;
    standing = credential.standing;
    principal = await limitedToFeatures(app, principal, product, standing);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return sendProductRefusal(res, error);
  }
  // The organization's and the token's limits hold here too: a gateway in front of the
  // product's own API enforces the same plan.
  let admission: Admission;
  try {
    admission = await admitRequest(app, { principal, product, standing }, 'check');
  } catch (error) {
    if (error instanceof AppError && error.extensions.code === 'RATE_LIMITED') return refused(error);
    throw error;
  }

  // Herald itself refuses these JWTs (their audience and `type` are not an access token's), so
  // that a gateway token never outlives a revocation here by acting on Herald directly.
  const { token, exp } = await app.forwardAuthJwts.issue({
    tokenId: principal.tokenId as string,
    sub: principal.id,
    org: principal.organizationId,
    product: product.slug,
    scopes: principal.scopes,
    credentialExpiresAt: principal.expiresAt,
  });
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
    { authorization: `Bearer ${token}`, ...rateLimitHeaders(admission.policies) },
  );
}
