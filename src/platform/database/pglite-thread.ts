// The embedded database, reached in its own thread (pglite-worker.ts) through a Prisma driver
// adapter that forwards each call as a message. Prisma, the migration engine and the rest of
// Herald see an ordinary adapter; PGlite's work happens on another core.
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import { workerModule } from '../worker-module.ts';
import type { Call, Reply } from './pglite-worker.ts';

type Request = Call extends infer C ? (C extends Call ? Omit<C, 'id'> : never) : never;

export interface PGliteThread {
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
}

const startWorker = (dataDir: string, createOnly: boolean) =>
  new Worker(workerModule('pglite-worker', import.meta.url), {
    workerData: { dataDir, createOnly },
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });

/** Runs initdb in a thread of its own, which ends after, taking initdb's memory with it. */
async function createCluster(dataDir: string) {
  const creating = startWorker(dataDir, true);
  await new Promise<void>((resolve, reject) => {
    creating.once('error', reject);
    creating.once('message', (reply: Reply) => (reply.ok ? resolve() : reject(new Error('PGlite'))));
  });
  await once(creating, 'exit');
}

export async function startPGliteThread(dataDir: string): Promise<PGliteThread> {
  const created = await access(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!created) await createCluster(dataDir);
  const worker = startWorker(dataDir, false);
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextCall = 1;
  let failure: Error | undefined;

  const adapterName = await new Promise<string>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (reply: Reply) => (reply.ok ? resolve(String(reply.value)) : reject(new Error('PGlite'))));
  });
  worker.on('message', (reply: Reply) => {
    const caller = pending.get(reply.id);
    pending.delete(reply.id);
    if (!caller) return;
    if (reply.ok) caller.resolve(reply.value);
    else caller.reject(reply.driverError ? new DriverAdapterError(reply.driverError) : new Error(reply.message));
  });
  const fail = (error: Error) => {
    failure = error;
    for (const caller of pending.values()) caller.reject(error);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the database thread stopped (exit code ${code})`)));

  const call = <T>(request: Request) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextCall++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...request, id });
    });

  const info = { provider: 'postgres' as const, adapterName };
  const queryable = (tx?: number) => ({
    ...info,
    queryRaw: (query: SqlQuery) => call<SqlResultSet>({ op: 'queryRaw', tx, query }),
    executeRaw: (query: SqlQuery) => call<number>({ op: 'executeRaw', tx, query }),
  });
  const adapter: SqlDriverAdapter = {
    ...queryable(),
    executeScript: (script) => call<void>({ op: 'executeScript', script }),
    async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
      const { id, options } = await call<{ id: number; options: TransactionOptions }>({
        op: 'startTransaction',
        isolationLevel,
      });
      return {
        ...queryable(id),
        options,
        commit: () => call<void>({ op: 'commit', tx: id }),
        rollback: () => call<void>({ op: 'rollback', tx: id }),
      };
    },
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };

  return {
    adapterFactory: {
      ...info,
      connect: async () => adapter,
      connectToShadowDb: () => Promise.reject(new Error('no shadow database for the embedded database')),
    },
    async close() {
      if (!failure) await call<void>({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
}
