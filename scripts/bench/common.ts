// Shared by the benchmarks: a Herald on loopback in a temporary data directory, and a raw
// graphql-transport-ws client cheap enough to open thousands of.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import WebSocket from 'ws';

export async function gql<T>(base: string, query: string, variables: object, token?: string): Promise<T> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function register(base: string, label: string) {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.test`;
  const { register } = await gql<{
    register: { accessToken: string; user: { id: string }; organization: { id: string } };
  }>(base, 'mutation($i: RegisterInput!) { register(input: $i) { accessToken user { id } organization { id } } }', {
    i: { email, password: 'correct horse battery staple', name: label, organizationName: `${label} org` },
  });
  return { ...register, email };
}

/** A port free on loopback now, for a server started in another process. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

export const benchEnv = async () => ({
  DATA_DIR: await mkdtemp(path.join(tmpdir(), 'herald-bench-')),
  LOG_LEVEL: 'warn',
  SLA_SWEEP_INTERVAL_MS: '0',
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  // Every simulated client connects from loopback: one address holds them all.
  WS_MAX_SOCKETS_PER_IP: '1000000',
});

/** Opens a socket, authenticates, subscribes; resolves with the socket once acknowledged. */
export function openSubscriber(url: string, query: string, onNext?: (data: unknown) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; payload?: { data?: unknown } };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query } }));
        resolve(socket);
      } else if (message.type === 'next') onNext?.(message.payload?.data);
      else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
    socket.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
}

export const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

/** The Node options of `npm start`, so that the server under test runs as it does. */
const startOptions = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(/\s+/)
  .filter((word) => word.startsWith('--'));

/**
 * Starts a script in a child process and resolves once `ready` answers true for its output.
 * Herald (dist/main.js) gets the options of `npm start`; the baselines, Node's defaults.
 */
export function startProcess(script: string, env: NodeJS.ProcessEnv, ready: (output: string) => boolean) {
  const options = script === 'dist/main.js' ? startOptions : ['--disable-warning=ExperimentalWarning'];
  const child = spawn(process.execPath, [...options, script], { env });
  let output = '';
  return new Promise<{ child: ChildProcess; output: () => string }>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      if (output.length < 100_000) output += chunk;
      if (ready(output)) resolve({ child, output: () => output });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

/** The resident set of a process, from /proc. */
export async function residentMiB(pid: number) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/**
 * Herald as `npm start` runs it (dist/main.js), on a free port, with an owner and a service
 * account `bench` whose API tokens `token(name)` makes. Its request log is drained, not read:
 * the figures are about serving.
 */
export async function startHeraldWithBenchAccount(env: NodeJS.ProcessEnv, databaseUrl: string | undefined) {
  const port = await freePort();
  const herald = await startProcess(
    'dist/main.js',
    { ...process.env, ...env, PORT: String(port), DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
    (out) => out.includes('Herald listening'),
  );
  herald.child.stdout?.resume();
  const base = `http://127.0.0.1:${port}`;
  const owner = await register(base, 'bench');
  await gql(
    base,
    'mutation { createServiceAccount(input: { name: "Bench", slug: "bench" }) { id } }',
    {},
    owner.accessToken,
  );
  const token = async (name: string) =>
    (
      await gql<{ createApiToken: { token: string } }>(
        base,
        `mutation { createApiToken(input: { serviceAccountSlug: "bench", name: "${name}", scopes: ["read:organization"] }) { token } }`,
        {},
        owner.accessToken,
      )
    ).createApiToken.token;
  return { child: herald.child, base, owner, token };
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

export interface Load {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  /** A JSON body (sent with its content type). */
  body?: string;
  headers?: Record<string, string>;
  /** Per connection, in turn: its own headers and body, instead of the load's. */
  perConnection?: { headers?: Record<string, string>; body: string }[];
  /** Told when the measured run starts, after the warm-up. */
  measuring?: () => void;
}

/** Requests per second under `load`, after a one-second warm-up (JIT, caches, connections); any non-2xx fails it. */
export async function throughput(load: Load) {
  const json = (headers?: Record<string, string>) => ({ 'content-type': 'application/json', ...headers });
  const run = (duration: number) => {
    let connection = 0;
    return autocannon({
      url: load.url,
      connections: load.connections,
      duration,
      method: load.method ?? (load.body ? 'POST' : 'GET'),
      headers: load.body ? json(load.headers) : { ...load.headers },
      body: load.body,
      setupClient: (client) => {
        const own = load.perConnection?.[connection++ % load.perConnection.length];
        if (own) client.setHeadersAndBody(json(own.headers), own.body);
      },
    });
  };
  await run(1);
  load.measuring?.();
  const result = await run(load.seconds);
  if (result.non2xx || result.errors)
    throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors at ${load.url}`);
  return result.requests.average;
}
