// One caller cannot hold an unbounded number of WebSockets: past the per-address and the
// per-user (or per-token) cap the next socket is closed with 4429 and a reason carrying
// retryAfter, the refusal is counted in /metrics, and closing a socket frees its slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { wsUrl } from './helpers/live.ts';
import { createMachineToken, eventually } from './helpers/machine.ts';
import { createOwner } from './helpers/seed.ts';
import { startServer, type TestServer } from './helpers/server.ts';

interface Opened {
  socket: WebSocket;
  /** Acknowledged by graphql-ws, or the close frame of a refusal. */
  outcome: Promise<'acknowledged' | { code: number; reason: string }>;
}

function open(url: string): Opened {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const outcome = new Promise<'acknowledged' | { code: number; reason: string }>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('acknowledged');
    });
    socket.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  return { socket, outcome };
}

async function openAll(url: string, count: number): Promise<WebSocket[]> {
  const opened = Array.from({ length: count }, () => open(url));
  for (const { outcome } of opened) expect(await outcome).toBe('acknowledged');
  return opened.map(({ socket }) => socket);
}

const closeAll = (sockets: WebSocket[]) => {
  for (const socket of sockets) socket.close();
};

/** The value of a /metrics series with exactly these labels (0 when absent). */
async function metric(server: TestServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

async function expectRefused(url: string, limit: string) {
  const { outcome } = open(url);
  const closed = await outcome;
  expect(closed).not.toBe('acknowledged');
  const { code, reason } = closed as { code: number; reason: string };
  expect(code).toBe(4429);
  expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(123);
  expect(JSON.parse(reason)).toEqual({ code: 'RATE_LIMITED', limit, retryAfter: expect.any(Number) });
  expect(JSON.parse(reason).retryAfter).toBeGreaterThan(0);
}

/** Waits until the server has seen `count` sockets go (a client's close reaches it a moment later). */
const openOnServer = (server: TestServer, count: number) =>
  eventually(async () => expect(await metric(server, 'herald_websockets_open')).toBe(count));

describe('per user and per token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_SOCKETS_PER_USER: '2' } });
  });
  afterAll(() => server?.close());

  it('closes the socket past the cap with 4429, leaves other users alone, and frees the slot on close', async () => {
    const alice = await createOwner(server);
    const bob = await createOwner(server);
    const held = await openAll(wsUrl(server, alice.accessToken), 2);
    await expectRefused(wsUrl(server, alice.accessToken), 'sockets.user');
    // A second sign-in of the same user counts against the same cap.
    const { accessToken: again } = await createOwner(server, { email: alice.email, password: alice.password });
    await expectRefused(wsUrl(server, again), 'sockets.user');
    expect(await metric(server, 'herald_rate_limit_refusals_total', '{limit="sockets.user"}')).toBe(2);
    const others = await openAll(wsUrl(server, bob.accessToken), 2);

    held[0]?.close();
    await openOnServer(server, 3);
    const replacement = await openAll(wsUrl(server, alice.accessToken), 1);
    closeAll([...held, ...others, ...replacement]);
    await openOnServer(server, 0);
  });

  it('caps the sockets of one API token', async () => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['read:notifications']);
    const held = await openAll(wsUrl(server, robot.token), 2);
    await expectRefused(wsUrl(server, robot.token), 'sockets.user');
    closeAll(held);
    await openOnServer(server, 0);
  });
});

describe('per client address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { WS_MAX_SOCKETS_PER_IP: '3' } });
  });
  afterAll(() => server?.close());

  it('closes the socket past the cap with 4429, whoever opens it, and frees the slot on close', async () => {
    const first = await createOwner(server);
    const second = await createOwner(server);
    const held = [
      ...(await openAll(wsUrl(server, first.accessToken), 2)),
      ...(await openAll(wsUrl(server, second.accessToken), 1)),
    ];
    await expectRefused(wsUrl(server, second.accessToken), 'sockets.ip');
    // Counted before authentication: a socket without a token takes a slot too.
    await expectRefused(wsUrl(server), 'sockets.ip');
    expect(await metric(server, 'herald_rate_limit_refusals_total', '{limit="sockets.ip"}')).toBe(2);

    held[0]?.close();
    await openOnServer(server, 2);
    closeAll([...held, ...(await openAll(wsUrl(server, second.accessToken), 1))]);
    await openOnServer(server, 0);
  });
});
