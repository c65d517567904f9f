// GET /.well-known/oauth-authorization-server: the authorization server metadata (RFC
// 8414) that OAuth libraries discover the token endpoint and the keys from. The issuer is
// JWT_ISSUER, the `iss` of every token we sign; endpoints are absolute, under PUBLIC_URL.
import type { ServerResponse } from 'node:http';
import { VALID_SCOPES } from '../auth/scopes.ts';
import type { App } from '../platform/app.ts';
import { json } from './json.ts';

export const METADATA_PATH = '/.well-known/oauth-authorization-server';

export function authorizationServerMetadata(app: App) {
  const base = app.config.publicUrl.replace(/\/+$/, '');
  return {
    issuer: app.config.JWT_ISSUER,
    token_endpoint: `${base}/oauth/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    scopes_supported: VALID_SCOPES,
    // Required by RFC 8414 §2; there is no authorization endpoint, so no response type.
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}

export const serveMetadata = (app: App, res: ServerResponse) =>
  json(res, 200, authorizationServerMetadata(app), { 'cache-control': 'public, max-age=300' });
