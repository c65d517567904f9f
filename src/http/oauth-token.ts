// POST /oauth/token: the token endpoint of the client credentials grant, to the letter of
// RFC 6749 (§2.3.1 client authentication, §3.2 the endpoint, §4.4 the grant, §5.1 and §5.2
// the answers). Every answer is JSON and never cached.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientIp, headersOf } from '../graphql/context.ts';
import { authenticateClient, grantedScopes, issueClientToken, OAuthError } from '../machine/oauth-token-grant.ts';
import type { App } from '../platform/app.ts';
import { AppError, httpHeadersOf } from '../platform/errors.ts';
import { declaredModulesOf } from '../products/request-product.ts';
import { json } from './json.ts';
import { plainRequestProduct } from './product-header.ts';

const MAX_BODY_BYTES = 16 * 1024;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const BASIC_CHALLENGE = 'Basic realm="herald", charset="UTF-8"';

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  json(res, status, body, { ...NO_STORE, ...headers });

function sendError(res: ServerResponse, error: OAuthError) {
  // invalid_client is a failed HTTP authentication: 401 with the scheme we accept (RFC 6749 §5.2).
  const unauthorized = error.code === 'invalid_client';
  send(
    res,
    unauthorized ? 401 : 400,
    { error: error.code, error_description: error.message },
    unauthorized ? { 'www-authenticate': BASIC_CHALLENGE } : {},
  );
}

const invalidRequest = (description: string) => new OAuthError('invalid_request', description);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw invalidRequest('The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request's parameters. Parameters without a value count as omitted, and none may be
 * given twice (RFC 6749 §3.2).
 */
function parameters(body: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (found.has(name)) throw invalidRequest(`The parameter "${name}" is given more than once.`);
    found.set(name, value);
  }
  for (const [name, value] of found) if (value === '') found.delete(name);
  return found;
}

/** Decodes one half of Basic credentials, which clients form-urlencode first (RFC 6749 §2.3.1). */
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are not form-urlencoded.');
  }
}

/** The client's credentials: HTTP Basic (client_secret_basic) or the body (client_secret_post), never both. */
function clientCredentials(authorization: string | null, params: Map<string, string>) {
  const bodySecret = params.get('client_secret');
  const bodyId = params.get('client_id');
  if (authorization !== null) {
    const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
    if (!match) {
      throw new OAuthError('invalid_client', 'The Authorization header takes HTTP Basic client credentials only.');
    }
    if (bodySecret !== undefined) {
      throw invalidRequest('The client authenticates with one method only: HTTP Basic or client_secret in the body.');
    }
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'The Basic credentials have no colon.');
    const clientId = formDecoded(decoded.slice(0, colon));
    if (bodyId !== undefined && bodyId !== clientId) {
      throw invalidRequest('client_id in the body differs from the authenticated client.');
    }
    return { clientId, clientSecret: formDecoded(decoded.slice(colon + 1)) };
  }
  if (bodySecret === undefined || bodyId === undefined) {
    throw new OAuthError(
      'invalid_client',
      'Client authentication is required (HTTP Basic, or client_id and client_secret).',
    );
  }
  return { clientId: bodyId, clientSecret: bodySecret };
}

async function grant(app: App, req: IncomingMessage, ip: string) {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  if (query.has('client_secret')) throw invalidRequest('Client credentials must not be sent in the URL.');
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw invalidRequest('The request body must be application/x-www-form-urlencoded.');
  }
  const params = parameters(await readBody(req));
  const grantType = params.get('grant_type');
  if (grantType === undefined) throw invalidRequest('The parameter "grant_type" is required.');
  if (grantType !== 'client_credentials') {
    throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported.');
  }
  const credentials = clientCredentials(headersOf(req).get('authorization'), params);
  const authenticated = await authenticateClient(app, credentials, ip);
  const modules = await declaredModulesOf(app, authenticated.client.organizationId);
  const scopes = grantedScopes(authenticated.client, params.get('scope'), modules);
  return issueClientToken(app, authenticated, scopes, ip, await plainRequestProduct(app, req));
}

export async function tokenEndpoint(app: App, req: IncomingMessage, res: ServerResponse) {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return send(res, 405, { error: 'invalid_request', error_description: 'The token endpoint takes POST only.' });
  }
  const ip = clientIp(app, { url: req.url ?? '/', headers: headersOf(req), remoteAddress: req.socket.remoteAddress });
  try {
    await app.limits.hitIp(ip);
    send(res, 200, await grant(app, req, ip));
  } catch (error) {
    if (error instanceof OAuthError) return sendError(res, error);
    if (error instanceof AppError && error.extensions.reason === 'SUBSCRIPTION_INACTIVE') {
      // RFC 6749 §5.2: the client may not use this grant (now); suspended, not revoked.
      return send(res, 400, {
        error: 'unauthorized_client',
        error_description: "The client's organization is suspended: its subscription is cancelled.",
        reason: 'SUBSCRIPTION_INACTIVE',
      });
    }
    if (error instanceof AppError && error.extensions.reason === 'PRODUCT_MISMATCH') {
      return send(res, 401, {
        error: 'invalid_client',
        error_description: 'The client belongs to another product than the one the request names.',
        reason: 'PRODUCT_MISMATCH',
      });
    }
    if (error instanceof AppError && error.extensions.code === 'RATE_LIMITED') {
      // RFC 6749 has no code for this; 429 and Retry-After (RFC 6585) say it over HTTP.
      const seconds = String(error.extensions.retryAfter);
      return send(
        res,
        429,
        {
          error: 'temporarily_unavailable',
          error_description: `Too many requests; retry in ${seconds} s.`,
          ...(error.extensions.limit ? { limit: error.extensions.limit } : {}),
        },
        httpHeadersOf(error),
      );
    }
    app.logger.error({ err: error }, 'token endpoint failed');
    send(res, 500, { error: 'server_error', error_description: 'The token could not be issued; try again.' });
  }
}
