import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../platform/app.ts';
import { FORWARD_AUTH_PATH, validateApiToken } from './forward-auth.ts';
import { json } from './json.ts';
import { linkPages } from './link-pages.ts';
import { METADATA_PATH, serveMetadata } from './oauth-metadata.ts';
import { tokenEndpoint } from './oauth-token.ts';
import { checkingProduct } from './product-header.ts';

type Route = (app: App, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

async function ready(app: App): Promise<Record<string, 'ok' | 'down'>> {
  const timeout = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
  const check = (probe: () => Promise<unknown>) =>
    timeout(probe()).then(
      () => 'ok' as const,
      () => 'down' as const,
    );
  const checks: Record<string, 'ok' | 'down'> = { database: await check(() => app.db.$queryRaw`SELECT 1`) };
  if (app.redis) checks.pubsub = await check(() => (app.redis as NonNullable<App['redis']>).ping());
  return checks;
}

const checked = (table: Record<string, Route>): Record<string, Route> =>
  Object.fromEntries(Object.entries(table).map(([path, route]) => [path, checkingProduct(route)]));

/** Plain HTTP endpoints beside GraphQL; each checks the product its request names first. */
export const routes: Record<string, Route> = checked({
  '/.well-known/jwks.json': (app, _req, res) =>
    // Short cache: a rotated key must reach verifiers well before its first token expires.
    json(res, 200, app.jwt.keys.jwks(), { 'cache-control': 'public, max-age=300' }),
  '/healthz': (_app, _req, res) => json(res, 200, { status: 'ok' }),
  [FORWARD_AUTH_PATH]: validateApiToken,
  [METADATA_PATH]: (app, _req, res) => serveMetadata(app, res),
  ...linkPages,
  '/readyz': async (app, _req, res) => {
    const checks = await ready(app);
    const ok = Object.values(checks).every((state) => state === 'ok');
    json(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks });
  },
});

/** Endpoints that answer every method themselves (the OAuth token endpoint refuses all but POST). */
export const anyMethodRoutes: Record<string, Route> = checked({
  '/oauth/token': tokenEndpoint,
});
