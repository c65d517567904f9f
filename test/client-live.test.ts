// How @herald/client's subscriptions answer each way Herald closes a socket, against a scripted
// stand-in that speaks graphql-transport-ws: 4429 with retryAfter (which graphql-ws would not
// retry), 4403 TOKEN_EXPIRED (reconnect with a renewed token) and 4403 SESSION_ENDED (the end,
// once the refresh is refused too).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHeraldClient, type HeraldError } from '@herald/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

type Step = { close: [number, string] } | { tick: number; closeAfter?: [number, string] };

let server: Server;
let url: string;
const script: Step[] = [
  { close: [4429, JSON.stringify({ code: 'RATE_LIMITED', limit: 'sockets.user', retryAfter: 1 })] },
  { tick: 1, closeAfter: [4403, 'TOKEN_EXPIRED'] },
  { tick: 2, closeAfter: [4403, 'SESSION_ENDED'] },
];
/** The token each socket came with, and when. */
const sockets: { token: string | null; at: number }[] = [];
let refreshes = 0;

const payload = (n: number) => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 3600,
  scopes: ['write:*'],
  user: { id: 'u1', email: 'ada@example.test', name: 'Ada' },
  organization: { id: 'o1', name: 'Engines', slug: 'engines' },
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const { query } = JSON.parse(body) as { query: string };
      let answer: unknown;
      if (query.includes('HeraldSignIn')) answer = { data: { login: { __typename: 'AuthPayload', ...payload(1) } } };
      else if (query.includes('HeraldRefresh')) {
        refreshes++;
        // The second refresh comes after SESSION_ENDED: the session is over for good.
        answer =
          refreshes === 1
            ? { data: { refresh: payload(2) } }
            : {
                data: null,
                errors: [{ message: 'ended', extensions: { code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' } }],
              };
      } else answer = { data: { logout: true } };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  const wss = new WebSocketServer({ server, handleProtocols: () => 'graphql-transport-ws' });
  wss.on('connection', (socket, request) => {
    sockets.push({ token: new URL(request.url ?? '/', 'http://x').searchParams.get('token'), at: Date.now() });
    const step = script[sockets.length - 1];
    if (!step || 'close' in step) {
      socket.close(...(step?.close ?? [4500, 'unscripted']));
      return;
    }
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; id?: string };
      if (message.type === 'connection_init') socket.send(JSON.stringify({ type: 'connection_ack' }));
      if (message.type === 'subscribe') {
        socket.send(JSON.stringify({ type: 'next', id: message.id, payload: { data: { tick: step.tick } } }));
        if (step.closeAfter) setTimeout(() => socket.close(...(step.closeAfter as [number, string])), 20);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server?.close(resolve)));

it('waits retryAfter after 4429, renews after TOKEN_EXPIRED, and ends with the reason after SESSION_ENDED', async () => {
  const herald = createHeraldClient({ url, storageKey: 'live-test' });
  await herald.signIn({ email: 'ada@example.test', password: 'whatever it is' });
  const ticks: number[] = [];
  const ended = await new Promise<HeraldError>((resolve) => {
    herald.subscribe<{ tick: number }>(
      'subscription { tick }',
      {},
      {
        next: ({ tick }) => ticks.push(tick),
        error: resolve,
      },
    );
  });
  herald.close();
  expect(ticks).toEqual([1, 2]);
  expect(sockets.map((socket) => socket.token)).toEqual(['access-1', 'access-1', 'access-2']);
  // A floor, not a measurement: the second socket came no sooner than the retryAfter of the 4429.
  expect((sockets[1]?.at ?? 0) - (sockets[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  expect(ended).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_ENDED' });
  expect(herald.session).toBeNull();
  expect(refreshes).toBe(2);
});
