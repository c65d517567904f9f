// Behind a reverse proxy (TRUST_PROXY=1) the client address is the one the proxy saw, whatever
// X-Forwarded-For the client sends: it cannot escape its per-IP budget by naming a new
// address each time, spend a neighbour's budget by naming theirs, or forge the address of
// audit events. Played with real proxies, an appending one (nginx) and a replacing one, and
// clients on distinct loopback addresses.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  type ForwardingMode,
  type ForwardingProxy,
  graphqlFrom,
  requestFrom,
  startForwardingProxy,
} from './helpers/forwarding-proxy.ts';
import { createMachineToken, eventually } from './helpers/machine.ts';
import { createTestClient } from './helpers/oauth.ts';
import { type Account, createOwner, uniqueEmail } from './helpers/seed.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const BUDGET = 5;
const LOGIN = 'mutation ($input: LoginInput!) { login(input: $input) { __typename } }';

describe.each(['append', 'replace'] as ForwardingMode[])('behind one proxy that %ss X-Forwarded-For', (mode) => {
  let server: TestServer;
  let proxy: ForwardingProxy;
  let owner: Account;
  let neighbour: Account;
  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '1', RATE_LIMIT_IP_PER_MINUTE: String(BUDGET) } });
    proxy = await startForwardingProxy(server.url, mode);
    // Registered from 127.0.0.1 directly, with budget to spare.
    owner = await createOwner(server);
    neighbour = await createOwner(server);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  const login = (from: string, claimed: string, input: { email: string; password: string }) =>
    graphqlFrom(from, proxy.url, { query: LOGIN, variables: { input } }, { 'x-forwarded-for': claimed });
  const codeOf = (answer: Awaited<ReturnType<typeof login>>) => answer.errors?.[0]?.extensions?.code;

  it('a client naming a new address on every request still runs out of its own budget', async () => {
    const codes = [];
    for (let i = 0; i < BUDGET + 2; i++) {
      const claimed = `198.51.100.${i + 1}`;
      codes.push(codeOf(await login('127.0.0.11', claimed, { email: uniqueEmail(), password: 'a guess' })));
    }
    expect(codes.slice(0, BUDGET)).toEqual(Array(BUDGET).fill('UNAUTHENTICATED'));
    expect(codes.slice(BUDGET)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('a client naming its neighbour’s address spends its own budget, not the neighbour’s', async () => {
    for (let i = 0; i < BUDGET + 1; i++) {
      await login('127.0.0.12', '127.0.0.13', { email: uniqueEmail(), password: 'a guess' });
    }
    const answer = await login('127.0.0.13', '127.0.0.13', { email: neighbour.email, password: neighbour.password });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.login).toBeTruthy();
  });

  it.each([
    ['203.0.113.9', '127.0.0.31'],
    ['admin', '127.0.0.32'],
    ['', '127.0.0.33'],
    [' , ', '127.0.0.34'],
    ['127.0.0.1, garbage', '127.0.0.35'],
  ])('an audit event records the address the proxy saw, not X-Forwarded-For: %j', async (claimed, from) => {
    expect(codeOf(await login(from, claimed, { email: owner.email, password: 'not the password' }))).toBe(
      'UNAUTHENTICATED',
    );
    const events = await server.app.db.auditEvent.findMany({
      where: { action: 'login.failed', actorId: owner.userId, ip: { not: { startsWith: '127.0.0.3' } } },
      select: { ip: true },
    });
    expect(events).toEqual([]);
    expect(
      await server.app.db.auditEvent.count({ where: { action: 'login.failed', actorId: owner.userId, ip: from } }),
    ).toBe(1);
  });
});

describe('every way in reads the client address the same way', () => {
  let server: TestServer;
  let proxy: ForwardingProxy;
  beforeAll(async () => {
    server = await startServer({ env: { TRUST_PROXY: '1' } });
    proxy = await startForwardingProxy(server.url, 'append');
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  /** Where a machine credential was recorded as used from (written off the request path). */
  const usedFrom = (credentialId: string, count: number) =>
    eventually(async () => {
      const rows = await server.app.db.credentialIp.findMany({ where: { credentialId }, select: { ip: true } });
      expect(rows).toHaveLength(count);
      return rows.map((row) => row.ip).sort();
    });

  const ways: [string, (from: string, claimed: string, token: string) => Promise<unknown>][] = [
    [
      'GraphQL over HTTP',
      (from, claimed, token) =>
        graphqlFrom(
          from,
          proxy.url,
          { query: '{ __typename }' },
          { authorization: `Bearer ${token}`, 'x-forwarded-for': claimed },
        ),
    ],
    [
      'GraphQL over SSE',
      (from, claimed, token) =>
        requestFrom(from, `${proxy.url}/graphql`, {
          method: 'POST',
          headers: {
            accept: 'text/event-stream',
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'x-forwarded-for': claimed,
          },
          body: JSON.stringify({ query: 'subscription { unreadCountChanged }' }),
          headersOnly: true,
        }),
    ],
    [
      'forward-auth',
      (from, claimed, token) =>
        requestFrom(from, `${proxy.url}/api/tokens/validate`, {
          headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': claimed },
        }),
    ],
    [
      'a WebSocket',
      (from, claimed, token) =>
        new Promise<void>((resolve, reject) => {
          const url = `${proxy.url.replace(/^http/, 'ws')}/graphql?token=${encodeURIComponent(token)}`;
          const socket = new WebSocket(url, 'graphql-transport-ws', {
            localAddress: from,
            headers: { 'x-forwarded-for': claimed },
          });
          socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
          socket.on('message', (data) => {
            expect(JSON.parse(String(data))).toMatchObject({ type: 'connection_ack' });
            socket.close();
            resolve();
          });
          socket.on('error', reject);
        }),
    ],
  ];

  it.each(ways)('%s', async (_way, send) => {
    const owner = await createOwner(server);
    const robot = await createMachineToken(server, owner, ['read:organization']);
    await send('127.0.0.21', '198.51.100.21', robot.token);
    await send('127.0.0.22', '127.0.0.21, 198.51.100.22', robot.token);
    expect(await usedFrom(robot.tokenId, 2)).toEqual(['127.0.0.21', '127.0.0.22']);
  });

  it('the OAuth token endpoint', async () => {
    const owner = await createOwner(server);
    const client = await createTestClient(server, owner, ['read:organization']);
    for (const [from, claimed] of [
      ['127.0.0.23', '198.51.100.23'],
      ['127.0.0.24', 'admin'],
    ] as const) {
      const answer = await requestFrom(from, `${proxy.url}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
          'x-forwarded-for': claimed,
        },
        body: 'grant_type=client_credentials',
      });
      expect(answer.status).toBe(200);
    }
    expect(await usedFrom(client.id, 2)).toEqual(['127.0.0.23', '127.0.0.24']);
  });
});
