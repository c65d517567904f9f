// The examples a reader pastes into a terminal, run as they stand in the Markdown against a
// fresh server: the blocks of one page run in order in one bash process, as in one terminal.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentationPages, type Example, lex, ROOT, runnableExamples } from './helpers/markdown.ts';
import { startServer, type TestServer } from './helpers/server.ts';

const BLOCK_TIMEOUT_MS = 30_000;
const BACKGROUND_TIMEOUT_MS = 10_000;

const pages = await documentationPages();
const examplesByPage = (
  await Promise.all(pages.map(async (page) => [page, runnableExamples(page, await lex(page))] as const))
).filter(([, examples]) => examples.length > 0);

let server: TestServer;
beforeAll(async () => {
  // The products page registers the operator of the default product under this name.
  server = await startServer({ env: { OPERATOR_ORGANIZATION: 'docs-operators' } });
});
afterAll(() => server?.close());

/** A bash process fed one block at a time, each block's output kept in a file of its own. */
class Terminal {
  private readonly bash: ChildProcess;
  private stdout = '';
  private exited: number | null = null;
  private readonly waiters = new Set<() => void>();
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd: ROOT,
      env: { ...process.env, HERALD_URL: server.url, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      // A group of its own, so that listeners the examples leave running end with it.
      detached: true,
    });
    this.bash.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      for (const wake of this.waiters) wake();
    });
    this.bash.on('exit', (code) => {
      this.exited = code ?? 1;
      for (const wake of this.waiters) wake();
    });
    this.bash.stdin?.write('set -euo pipefail\n');
  }

  output(example: Example): Promise<string> {
    return readFile(path.join(this.dir, `${example.index}.out`), 'utf8').catch(() => '');
  }

  async failure(example: Example, why: string): Promise<string> {
    const err = await readFile(path.join(this.dir, `${example.index}.err`), 'utf8').catch(() => '');
    return `${example.page}, runnable example ${example.index}: ${why}\n--- the example ---\n${example.code}\n--- its output ---\n${await this.output(example)}\n--- its errors ---\n${err}`;
  }

  /** Runs one block, then waits for its `until`; a background one is left running. */
  async run(example: Example): Promise<void> {
    const files = `> "${this.dir}/${example.index}.out" 2> "${this.dir}/${example.index}.err" < /dev/null`;
    const done = `::done ${example.index}::`;
    this.bash.stdin?.write(`{\n${example.code}\n} ${files}${example.background ? ' &' : ''}\necho '${done}'\n`);
    await this.until(() => this.stdout.includes(done) || this.exited !== null, BLOCK_TIMEOUT_MS);
    if (this.exited !== null) throw new Error(await this.failure(example, `it failed (exit ${this.exited})`));
    if (!this.stdout.includes(done)) throw new Error(await this.failure(example, 'it did not finish in time'));
    if (example.until) await this.waitFor(example, example.until);
  }

  async waitFor(example: Example, pattern: RegExp): Promise<void> {
    const deadline = Date.now() + BACKGROUND_TIMEOUT_MS;
    while (!pattern.test(await this.output(example))) {
      if (Date.now() > deadline) throw new Error(await this.failure(example, `its output never matched ${pattern}`));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private until(done: () => boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve();
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    try {
      if (this.bash.pid) process.kill(-this.bash.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

describe('runnable examples', () => {
  it('are found in the README and docs/', () => {
    expect(examplesByPage.map(([page]) => page)).toContain('README.md');
  });

  it.each(examplesByPage)(
    '%s runs as written',
    async (_page, examples) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'herald-docs-'));
      const terminal = new Terminal(dir);
      try {
        for (const example of examples) await terminal.run(example);
        // Checked once every block has run: a listener's output arrives after the blocks that cause it.
        for (const example of examples.filter((e) => e.expect)) {
          await terminal.waitFor(example, example.expect as RegExp);
        }
      } finally {
        terminal.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
