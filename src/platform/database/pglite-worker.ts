// The embedded database's thread: PGlite and its Prisma adapter run here, so that their
// work (PostgreSQL compiled to WebAssembly, and parsing its results) never holds up the
// event loop that serves requests. pglite-thread.ts forwards the adapter's calls.
import { mkdir } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import type { DriverAdapterError, SqlDriverAdapter, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { parsersFoldedOnce } from './pglite-parsers.ts';

export type Call =
  | { id: number; op: 'queryRaw' | 'executeRaw'; tx?: number; query: SqlQuery }
  | { id: number; op: 'executeScript'; script: string }
  | { id: number; op: 'startTransaction'; isolationLevel?: string }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

export type Reply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; driverError?: DriverAdapterError['cause']; message?: string };

// PGlite's defaults, but with 16 MiB of shared buffers instead of 128: an embedded database
// of one instance's size stays well within that, and the buffers are resident memory.
const startParams = [
  '--single',
  '-F',
  '-O',
  '-j',
  ...['-c', 'search_path=public', '-c', 'exit_on_error=false', '-c', 'log_checkpoints=false'],
  ...['-c', 'max_worker_processes=0', '-c', 'max_parallel_workers=0', '-c', 'max_parallel_workers_per_gather=0'],
  ...['-c', 'max_parallel_maintenance_workers=0', '-c', 'io_method=sync', '-c', 'shared_buffers=16MB'],
];

const { dataDir, createOnly } = workerData as { dataDir: string; createOnly?: boolean };
const port = parentPort as NonNullable<typeof parentPort>;
await mkdir(dataDir, { recursive: true, mode: 0o700 });
const pglite = await PGlite.create({ dataDir, startParams });
if (createOnly) {
  // Creating the cluster runs initdb, whose memory an instance keeps (hundreds of MiB): this
  // thread only creates it and ends, and the one that serves opens the files afresh.
  await pglite.close();
  port.postMessage({ id: 0, ok: true, value: 'created' } satisfies Reply);
  process.exit(0);
}
// The adapter makes only the calls AdapterClient names (see pglite-parsers.ts).
const adapter: SqlDriverAdapter = await new PrismaPGlite(parsersFoldedOnce(pglite) as PGlite).connect();
const transactions = new Map<number, Transaction>();
let nextTransaction = 1;

async function perform(call: Call): Promise<unknown> {
  switch (call.op) {
    case 'queryRaw':
    case 'executeRaw': {
      const target = call.tx === undefined ? adapter : transactions.get(call.tx);
      if (!target) throw new Error('transaction already closed');
      return call.op === 'queryRaw' ? target.queryRaw(call.query) : target.executeRaw(call.query);
    }
    case 'executeScript':
      return adapter.executeScript(call.script);
    case 'startTransaction': {
      const transaction = await adapter.startTransaction(call.isolationLevel as never);
      const id = nextTransaction++;
      transactions.set(id, transaction);
      return { id, options: transaction.options };
    }
    case 'commit':
    case 'rollback': {
      const transaction = transactions.get(call.tx);
      transactions.delete(call.tx);
      if (!transaction) throw new Error('transaction already closed');
      return call.op === 'commit' ? transaction.commit() : transaction.rollback();
    }
    case 'close':
      await pglite.close();
      return undefined;
  }
}

// By name: the adapter may throw the class of its own copy of driver-adapter-utils.
const isDriverAdapterError = (error: unknown): error is DriverAdapterError =>
  error instanceof Error && error.name === 'DriverAdapterError' && typeof error.cause === 'object';

port.on('message', (call: Call) => {
  perform(call).then(
    (value) => port.postMessage({ id: call.id, ok: true, value } satisfies Reply),
    (error: unknown) =>
      port.postMessage({
        id: call.id,
        ok: false,
        ...(isDriverAdapterError(error)
          ? { driverError: error.cause }
          : { message: error instanceof Error ? error.message : String(error) }),
      } satisfies Reply),
  );
});
port.postMessage({ id: 0, ok: true, value: adapter.adapterName } satisfies Reply);
