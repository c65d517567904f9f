// Starts a real Herald on port 0 for a test file. Embedded PGlite by default; with
// DATABASE_URL set, a fresh PostgreSQL database per server (dropped afterwards), and with
// REDIS_URL set, Redis pub/sub and rate limits under a namespace of its own.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import pg from 'pg';
import { inject } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/observability/logger.ts';
import type { Tracing } from '../../src/platform/observability/tracing.ts';
import { createHeraldServer } from '../../src/server.ts';

export const usingPostgres = !!process.env.DATABASE_URL;
export const usingRedis = !!process.env.REDIS_URL;

// Tests that need PostgreSQL or Redis import the skip helper from here, beside startServer.
export { needing } from './requirements.ts';

export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> & { code?: string } }[];
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  locale?: string;
}

export interface TestServer {
  url: string;
  app: App;
  dataDir: string;
  databaseUrl?: string;
  /** Prefix of this deployment's shared Redis keys. */
  namespace: string;
  /** Sends one operation over HTTP as a frontend would. */
  gql<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<TData>>;
  /** Sends a raw body (for batches, malformed queries…). */
  post(body: unknown, options?: RequestOptions): Promise<Response>;
  close(): Promise<void>;
  /** Stops the server but keeps its data, for restart tests. */
  stop(): Promise<void>;
}

export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `herald_test_${randomUUID().replace(/-/g, '')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Reuse the data (directory and database) of an earlier server. */
  /** Reuse the data, and the shared Redis namespace, of an earlier server: a second instance of one deployment. */
  reuse?: Pick<TestServer, 'dataDir' | 'databaseUrl'> & { namespace?: string };
  namespace?: string;
  /** Traces of this server, as main.ts starts them when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing?: Tracing;
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.reuse?.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'herald-test-')));
  const template = inject('pgliteTemplate');
  if (!options.reuse && !usingPostgres && template) {
    await cp(template, path.join(dataDir, 'pglite'), { recursive: true });
  }
  const database =
    options.reuse || !usingPostgres ? undefined : await createDatabase(process.env.DATABASE_URL as string);
  const databaseUrl = options.reuse?.databaseUrl ?? database?.url;
  const namespace = options.namespace ?? options.reuse?.namespace ?? `test-${randomUUID()}`;

  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    RATE_LIMIT_LOGIN_FAILURES: '1000',
    RATE_LIMIT_ACCOUNT_FAILURES: '1000',
    ...options.env,
  });
  const app = await createApp(config, {
    logger: createLogger(config.LOG_LEVEL),
    namespace,
    tracing: options.tracing,
  });
  const herald = createHeraldServer(app);
  const port = await herald.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;

  const post = (body: unknown, request: RequestOptions = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...request.headers };
    if (request.token) headers.authorization = `Bearer ${request.token}`;
    const query = request.locale ? `?locale=${request.locale}` : '';
    return fetch(`${url}/graphql${query}`, { method: 'POST', headers, body: JSON.stringify(body) });
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await herald.close();
  };

  return {
    url,
    app,
    dataDir,
    databaseUrl,
    namespace,
    post,
    async gql(document, variables, request) {
      const response = await post({ query: print(document), variables }, request);
      return (await response.json()) as GraphQLResponse<never>;
    },
    stop,
    async close() {
      await stop();
      await database?.drop();
      if (!options.reuse) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The data of a response that must have succeeded; fails the test with the errors otherwise. */
export function ok<T>(response: GraphQLResponse<T>): T {
  if (response.errors?.length || !response.data) {
    throw new Error(`expected success, got ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** The single error of a response that must have failed. */
export function failure(response: GraphQLResponse<unknown>) {
  if (!response.errors?.length) throw new Error(`expected an error, got ${JSON.stringify(response.data)}`);
  return response.errors[0] as NonNullable<GraphQLResponse<unknown>['errors']>[number];
}
