// What a person sees when `npm start` cannot start: one line on stderr that names the problem
// and what to do, no stack trace, exit code 1. And the log format: JSON into a pipe, readable
// lines when asked for (or at a terminal).
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closedPort, dataDirectory, run } from './helpers/process.ts';

let data: Awaited<ReturnType<typeof dataDirectory>>;
beforeAll(async () => {
  data = await dataDirectory();
});
afterAll(() => data?.remove());

const base = () => ({ DATA_DIR: data.dir, SLA_SWEEP_INTERVAL_MS: '0' });

/** Exactly one line, and nothing that looks like a stack frame. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] as string;
}

it('says the port is taken, when it is', async () => {
  const occupant = createServer();
  occupant.listen(0, '127.0.0.1');
  await once(occupant, 'listening');
  const { port } = occupant.address() as { port: number };
  try {
    const result = await run('src/main.ts', { ...base(), PORT: String(port) });
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      `Port ${port} on 127.0.0.1 is already in use (another Herald?): stop that process, or start with PORT set to a free port.`,
    );
  } finally {
    occupant.close();
  }
});

it.each([
  [
    'DATABASE_URL',
    (port: number) => `postgresql://postgres@127.0.0.1:${port}/herald`,
    /Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(DATABASE_URL\)/,
  ],
  ['REDIS_URL', (port: number) => `redis://127.0.0.1:${port}`, /Cannot reach Redis at 127\.0\.0\.1:\d+ \(REDIS_URL\)/],
])('says %s does not answer, when it does not', async (name, url, message) => {
  const result = await run('src/main.ts', { ...base(), PORT: '0', [name]: url(await closedPort()) });
  expect(result.code).toBe(1);
  expect(oneLine(result.stderr)).toMatch(message);
  expect(result.stdout).toBe('');
});

it('logs JSON into a pipe', async () => {
  const result = await run('src/main.ts', { ...base(), PORT: '0' }, { until: /Herald listening/ });
  const first = result.stdout.split('\n')[0] as string;
  expect(JSON.parse(first)).toMatchObject({ level: 30, msg: expect.stringContaining('Herald listening') });
  expect([result.code, result.signal]).toEqual([0, null]);
});

it('logs readable lines with LOG_FORMAT=pretty (the default at a terminal)', async () => {
  const result = await run(
    'src/main.ts',
    { ...base(), PORT: '0', LOG_FORMAT: 'pretty' },
    { until: /Herald listening/ },
  );
  expect(result.stdout).toMatch(
    /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Herald listening: GraphiQL at http:\/\/127\.0\.0\.1:\d+\/graphql$/m,
  );
  expect(result.stdout).not.toMatch(/^\{/m);
  expect([result.code, result.signal]).toEqual([0, null]);
});
