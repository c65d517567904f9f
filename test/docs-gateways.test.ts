// The gateway configurations of docs/forward-auth.md, run in the real Caddy and nginx: the
// blocks as written, with only the addresses of the example deployment replaced by local ones.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Tokens } from 'marked';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateLimitedApiTokenDocument, CreateServiceAccountDocument } from './generated/graphql.ts';
import { createMachineToken } from './helpers/machine.ts';
import { lex } from './helpers/markdown.ts';
import { closedPort } from './helpers/process.ts';
import { type Account, createOwner } from './helpers/seed.ts';
import { ok, startServer, type TestServer } from './helpers/server.ts';

const page = await lex('docs/forward-auth.md');
const block = (lang: string) => {
  const code = page.find(
    (token): token is Tokens.Code => token.type === 'code' && (token as Tokens.Code).lang === lang,
  );
  if (!code) throw new Error(`docs/forward-auth.md has no \`\`\`${lang} block`);
  return code.text;
};

const installed = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
// CI installs both (.ci/run); elsewhere a missing one is said, and its tests skipped.
const gateways = [
  { name: 'caddy', present: installed('caddy') },
  { name: 'nginx', present: installed('nginx') },
];
for (const gateway of gateways) {
  if (!gateway.present && process.env.CI === 'true') throw new Error(`${gateway.name} is missing in CI`);
  if (!gateway.present)
    console.warn(`skipped: the ${gateway.name} example of docs/forward-auth.md (${gateway.name} is not installed)`);
}

let server: TestServer;
let upstream: Server;
let upstreamPort: number;
let apiToken: string;
let work: string;
let owner: Account;
beforeAll(async () => {
  server = await startServer();
  owner = await createOwner(server);
  apiToken = (await createMachineToken(server, owner, ['read:work_items'])).token;
  // The service behind the gateway: it answers with the Authorization header it received.
  upstream = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ path: request.url, authorization: request.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as { port: number }).port;
  work = await mkdtemp(path.join(tmpdir(), 'herald-gateways-'));
});
afterAll(async () => {
  await server?.close();
  upstream?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const heraldHostPort = () => new URL(server.url).host;

async function start(
  command: string,
  args: string[],
  env: Record<string, string>,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answered = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (answered) return child;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`${command} did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const configs = {
  async caddy(port: number) {
    const dir = path.join(work, 'caddy');
    await mkdir(dir, { recursive: true });
    const site = block('caddyfile')
      .replace(/^api\.example\.com\b/m, `http://127.0.0.1:${port}`)
      .replaceAll('herald:4000', heraldHostPort())
      .replaceAll('internal-api:80', `127.0.0.1:${upstreamPort}`);
    const file = path.join(dir, 'Caddyfile');
    await writeFile(file, `{\n\tadmin off\n}\n\n${site}\n`);
    return start(
      'caddy',
      ['run', '--config', file, '--adapter', 'caddyfile'],
      { XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir, HOME: dir },
      port,
    );
  },
  async nginx(port: number) {
    const dir = path.join(work, 'nginx');
    await mkdir(path.join(dir, 'logs'), { recursive: true });
    const locations = block('nginx')
      .replaceAll('herald:4000', heraldHostPort())
      .replaceAll('internal-api:80', `127.0.0.1:${upstreamPort}`);
    const file = path.join(dir, 'nginx.conf');
    await writeFile(
      file,
      `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/logs/error.log;\n` +
        `events {}\nhttp {\n  access_log off;\n` +
        ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
          .map((kind) => `  ${kind}_temp_path ${dir}/${kind};\n`)
          .join('') +
        `  server {\n    listen 127.0.0.1:${port};\n${locations}\n  }\n}\n`,
    );
    return start('nginx', ['-p', dir, '-c', file], {}, port);
  },
};

describe.each(gateways)('the $name example of docs/forward-auth.md', ({ name, present }) => {
  let gateway: ChildProcess | undefined;
  let base: string;
  beforeAll(async () => {
    if (!present) return;
    const port = await closedPort();
    base = `http://127.0.0.1:${port}`;
    gateway = await configs[name as keyof typeof configs](port);
  }, 30_000);
  afterAll(() => {
    gateway?.kill();
  });

  it.skipIf(!present)(
    'passes a request with an API token on, carrying a JWT that the JWKS verifies in its place',
    async () => {
      const response = await fetch(`${base}/internal-api/reports`, {
        headers: { authorization: `Bearer ${apiToken}` },
      });
      expect(response.status).toBe(200);
      const seen = (await response.json()) as { path: string; authorization: string };
      expect(seen.path).toBe('/internal-api/reports');
      expect(seen.authorization).toMatch(/^Bearer ey/);
      const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
      // The checks docs/forward-auth.md tells an upstream to make.
      const { payload } = await jwtVerify(seen.authorization.slice('Bearer '.length), jwks, {
        issuer: 'herald',
        audience: 'herald-forward-auth',
        typ: 'herald-forward+jwt',
        algorithms: ['ES256'],
      });
      expect(payload).toMatchObject({ type: 'service_account', scopes: ['read:work_items'] });
    },
  );

  it.skipIf(!present)(
    'passes Herald’s 429 for a token over its budget on to the client, with Retry-After and the RateLimit fields',
    async () => {
      const { createServiceAccount } = ok(
        await server.gql(
          CreateServiceAccountDocument,
          { input: { name: `Budget ${name}` } },
          { token: owner.accessToken },
        ),
      );
      const { createApiToken } = ok(
        await server.gql(
          CreateLimitedApiTokenDocument,
          {
            input: {
              serviceAccountSlug: createServiceAccount.slug,
              name: 'budget',
              scopes: ['read:work_items'],
              remaining: 1,
            },
          },
          { token: owner.accessToken },
        ),
      );
      const headers = { authorization: `Bearer ${createApiToken.token}` };
      const first = await fetch(`${base}/internal-api/reports`, { headers });
      expect(first.status).toBe(200);
      const refused = await fetch(`${base}/internal-api/reports`, { headers });
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('3600');
      expect(refused.headers.get('ratelimit-policy')).toBe('"apiToken.remaining";q=1');
      expect(refused.headers.get('ratelimit')).toBe('"apiToken.remaining";r=0;t=3600');
      const body = await refused.text();
      expect(body).toContain('rate_limited');
      expect(body).not.toContain('/internal-api/reports');
    },
  );

  it.skipIf(!present)(
    'refuses a request without a token, or with a bad one, with 401, and the service sees nothing',
    async () => {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer hld_notatoken' },
        { authorization: `Bearer ${apiToken}x` },
      ];
      for (const headers of attempts) {
        const response = await fetch(`${base}/internal-api/reports`, { headers });
        expect(response.status).toBe(401);
        expect(await response.text()).not.toContain('/internal-api/reports');
      }
    },
  );
});
