import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.close());

it('/healthz answers while the process is alive', async () => {
  const response = await fetch(`${server.url}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

it('/readyz checks the database (and Redis when configured)', async () => {
  const response = await fetch(`${server.url}/readyz`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { checks: Record<string, string> };
  expect(body.checks.database).toBe('ok');
  if (process.env.REDIS_URL) expect(body.checks.pubsub).toBe('ok');
});

it('serves GraphiQL at /graphql to a browser', async () => {
  const response = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('GraphiQL');
});

it('publishes only public key material in the JWKS', async () => {
  const response = await fetch(`${server.url}/.well-known/jwks.json`);
  expect(response.headers.get('content-type')).toContain('application/json');
  const { keys } = (await response.json()) as { keys: Record<string, string>[] };
  expect(keys).toHaveLength(1);
  expect(Object.keys(keys[0] as object).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
});

it('refuses an Authorization header that is not a bearer token', async () => {
  const response = await server.post({ query: '{ me { id } }' }, { headers: { authorization: 'Basic abc' } });
  const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
  expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
});

it('answers every request with a request id, keeping a sane one the client sent', async () => {
  const generated = await fetch(`${server.url}/healthz`);
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  const kept = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-42' } });
  expect(kept.headers.get('x-request-id')).toBe('trace-42');
  const replaced = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
  expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
});
