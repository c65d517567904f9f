// Idle keep-alive connections: open past Node's 5 s default by default (a load balancer with a
// 60 s idle timeout must never reuse a connection the server is closing), and closed after
// HTTP_KEEP_ALIVE_TIMEOUT_MS when it is set.
import { connect, type Socket } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.ts';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

/** One keep-alive request on a raw connection: the response head, and when the server hangs up. */
async function idleConnection(server: TestServer) {
  const { port } = new URL(server.url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  let received = '';
  const head = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk;
      if (received.includes('\r\n\r\n')) resolve(received.slice(0, received.indexOf('\r\n\r\n')));
    });
  });
  const hungUp = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now())));
  socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  const answered = head.then(() => performance.now());
  return { head, answered, hungUp, socket };
}

it('keeps an idle connection for 65 s by default and says so in the Keep-Alive header', async () => {
  const server = await startServer();
  servers.push(server);
  const connection = await idleConnection(server);
  expect(await connection.head).toMatch(/^keep-alive: timeout=65$/im);
  const closedEarly = await Promise.race([
    connection.hungUp.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5500)),
  ]);
  expect(closedEarly).toBe(false);
  connection.socket.destroy();
});

it('closes an idle connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
  const server = await startServer({ env: { HTTP_KEEP_ALIVE_TIMEOUT_MS: '1500' } });
  servers.push(server);
  const connection = await idleConnection(server);
  expect(await connection.head).toMatch(/^keep-alive: timeout=1$/im);
  const idleFor = (await connection.hungUp) - (await connection.answered);
  expect(idleFor).toBeGreaterThan(1200);
  expect(idleFor).toBeLessThan(4000);
});
