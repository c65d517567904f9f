// What a page of another site can make a visitor's browser do with Herald: read nothing unless
// its origin is allowed (CORS), run nothing through a form's content type (415), and open no
// WebSocket from a disallowed origin.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LoginDocument, RegisterDocument } from './generated/graphql.ts';
import { wsUrl } from './helpers/live.ts';
import { createOwner, PASSWORD, uniqueEmail } from './helpers/seed.ts';
import { failure, startServer, type TestServer } from './helpers/server.ts';

const LOOPBACK = 'http://localhost:5173';
const ELSEWHERE = 'https://evil.example';
const LISTED = 'https://app.example.com';

/** A browser's preflight for a JSON POST with an Authorization header. */
const preflight = (server: TestServer, origin: string) =>
  fetch(`${server.url}/graphql`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });

const query = (server: TestServer, origin: string) => server.post({ query: '{ __typename }' }, { headers: { origin } });

const cors = (response: Response) => ({
  origin: response.headers.get('access-control-allow-origin'),
  credentials: response.headers.get('access-control-allow-credentials'),
});

const allowed = (origin: string) => ({ origin, credentials: 'true' });
const refused = { origin: null, credentials: null };

/**
 * Opens a socket as a browser on `origin` would (none: a server-side client) and answers how
 * it went: acknowledged by graphql-ws, or the HTTP status of a refused upgrade.
 */
function openSocket(url: string, origin?: string): Promise<'acknowledged' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type !== 'connection_ack') return;
      resolve('acknowledged');
      socket.close();
    });
    socket.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
}

describe('development defaults (no CORS_ORIGINS, NODE_ENV not production)', () => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startServer();
    token = (await createOwner(server)).accessToken;
  });
  afterAll(() => server?.close());

  it('answers the preflight and the request of a loopback origin, with credentials', async () => {
    const answer = await preflight(server, LOOPBACK);
    expect(answer.status).toBe(204);
    expect(cors(answer)).toEqual(allowed(LOOPBACK));
    expect(answer.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const response = await query(server, LOOPBACK);
    expect(cors(response)).toEqual(allowed(LOOPBACK));
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it.each([
    ['another site', ELSEWHERE],
    ['a sandboxed page (null)', 'null'],
    ['a site named like loopback', 'https://localhost.evil.example'],
  ])('gives %s no CORS headers, on the preflight or the request', async (_name, origin) => {
    expect(cors(await preflight(server, origin))).toEqual(refused);
    const response = await query(server, origin);
    expect(cors(response)).toEqual(refused);
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  describe('a POST in a content type any page can send', () => {
    const login = (email: string, password: string) => ({
      query: print(LoginDocument),
      variables: JSON.stringify({ input: { email, password } }),
    });

    it('refuses a form POST of login with 415, signing nobody in', async () => {
      const owner = await createOwner(server);
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { origin: ELSEWHERE },
        body: new URLSearchParams(login(owner.email, owner.password)),
      });
      expect(response.status).toBe(415);
      const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: object }[] };
      expect(body.data).toBeUndefined();
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
      expect(body.errors[0]?.message).toMatch(/application\/json/);
      expect(JSON.stringify(body)).not.toContain('accessToken');
    });

    it('refuses a form POST of register with 415 and creates no account', async () => {
      const email = uniqueEmail('form');
      const input = { email, password: PASSWORD, name: 'Victim', organizationName: 'Forms' };
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        body: new URLSearchParams({ query: print(RegisterDocument), variables: JSON.stringify({ input }) }),
      });
      expect(response.status).toBe(415);
      const after = await server.gql(LoginDocument, { input: { email, password: PASSWORD } });
      expect(failure(after).extensions?.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['text/plain', 'text/plain;charset=UTF-8'],
      ['a list that a browser reads as text/plain', 'application/json, text/plain'],
      ['a list hidden in a parameter', 'application/json; a=1, text/plain'],
      ['no type at all', null],
    ])('refuses %s with 415', async (_name, contentType) => {
      const headers = new Headers();
      const body = new Blob([JSON.stringify({ query: '{ __typename }' })]);
      if (contentType !== null) headers.set('content-type', contentType);
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers, body });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' } }] });
    });

    const multipart = () => {
      const form = new FormData();
      form.set('operations', JSON.stringify({ query: '{ __typename }' }));
      form.set('map', '{}');
      return form;
    };

    it('refuses a multipart POST without the upload preflight header with 415', async () => {
      const response = await fetch(`${server.url}/graphql`, { method: 'POST', body: multipart() });
      expect(response.status).toBe(415);
    });

    it('runs a multipart POST that carries the upload preflight header (a browser asked first)', async () => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'x-graphql-yoga-csrf': '1' },
        body: multipart(),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    });
  });

  it('runs no mutation sent as a GET (a link or an image can send one)', async () => {
    const mutation = 'mutation { requestPasswordReset(input: { email: "a@example.test" }) }';
    const response = await fetch(`${server.url}/graphql?query=${encodeURIComponent(mutation)}`, {
      headers: { accept: 'application/json' },
    });
    expect(response.status).toBe(405);
    expect(JSON.stringify(await response.json())).not.toContain('"data"');
  });

  describe('WebSocket', () => {
    it('refuses a browser socket from another site or a sandboxed page', async () => {
      expect(await openSocket(wsUrl(server, token), ELSEWHERE)).toBe(403);
      expect(await openSocket(wsUrl(server, token), 'null')).toBe(403);
    });

    it('accepts a socket from an allowed origin, from its own origin, and from a client that names none', async () => {
      expect(await openSocket(wsUrl(server, token), LOOPBACK)).toBe('acknowledged');
      expect(await openSocket(wsUrl(server, token), server.url)).toBe('acknowledged');
      expect(await openSocket(wsUrl(server, token))).toBe('acknowledged');
    });
  });
});

describe('CORS_ORIGINS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { CORS_ORIGINS: `${LISTED}, https://admin.example.com:443` } });
  });
  afterAll(() => server?.close());

  it('answers the listed origins only: loopback, other sites and null get no CORS headers', async () => {
    for (const origin of [LISTED, 'https://admin.example.com']) {
      expect(cors(await preflight(server, origin))).toEqual(allowed(origin));
      expect(cors(await query(server, origin))).toEqual(allowed(origin));
    }
    for (const origin of [LOOPBACK, ELSEWHERE, 'null', `${LISTED}.evil.example`, 'http://app.example.com']) {
      expect(cors(await preflight(server, origin))).toEqual(refused);
      expect(cors(await query(server, origin))).toEqual(refused);
    }
  });

  it('opens sockets for listed origins only', async () => {
    const { accessToken } = await createOwner(server);
    expect(await openSocket(wsUrl(server, accessToken), LISTED)).toBe('acknowledged');
    expect(await openSocket(wsUrl(server, accessToken), LOOPBACK)).toBe(403);
  });
});

describe('production default (NODE_ENV=production, no CORS_ORIGINS)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => server?.close());

  it('allows no cross-origin call, loopback included', async () => {
    for (const origin of [LOOPBACK, 'http://127.0.0.1:3000', ELSEWHERE, 'null']) {
      expect(cors(await preflight(server, origin))).toEqual(refused);
      expect(cors(await query(server, origin))).toEqual(refused);
    }
  });

  it('opens sockets for its own pages and for clients that name no origin, and no others', async () => {
    const { accessToken } = await createOwner(server);
    expect(await openSocket(wsUrl(server, accessToken), server.url)).toBe('acknowledged');
    expect(await openSocket(wsUrl(server, accessToken))).toBe('acknowledged');
    expect(await openSocket(wsUrl(server, accessToken), LOOPBACK)).toBe(403);
  });
});
