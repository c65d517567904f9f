// Runs the `herald` command line as a subprocess, as a person or a script would, with a
// configuration directory of the test's own.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERALD_BIN = fileURLToPath(new URL('../../packages/cli/bin/herald.js', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHome {
  /** XDG_CONFIG_HOME and HOME of the runs. */
  dir: string;
  env: Record<string, string>;
  run(args: string[], options?: { input?: string; env?: Record<string, string | undefined> }): Promise<Ran>;
  start(args: string[], options?: { env?: Record<string, string | undefined> }): Running;
  /** Runs a command that must succeed and parses its --json output. */
  json<T = unknown>(args: string[], options?: { input?: string; env?: Record<string, string | undefined> }): Promise<T>;
}

/** The environment a run gets: no HERALD_* of the machine's, a home of its own, no colours forced. */
function baseEnv(dir: string, url: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('HERALD_') && key !== 'FORCE_COLOR') env[key] = value;
  }
  return { ...env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, 'config'), HERALD_URL: url };
}

export interface Running {
  child: ReturnType<typeof spawn>;
  done: Promise<Ran>;
  stdout(): string;
  stderr(): string;
}

/** Starts `herald args…`; `done` settles when it exits. */
export function startHerald(args: string[], env: Record<string, string | undefined>, input?: string): Running {
  const child = spawn(process.execPath, [HERALD_BIN, ...args], {
    env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as Record<string, string>,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin?.end(input ?? '');
  const done = new Promise<Ran>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

export async function cliHome(url: string): Promise<CliHome> {
  const dir = await mkdtemp(path.join(tmpdir(), 'herald-cli-'));
  const env = baseEnv(dir, url);
  const run: CliHome['run'] = (args, options = {}) => startHerald(args, { ...env, ...options.env }, options.input).done;
  return {
    dir,
    env,
    run,
    start: (args, options = {}) => startHerald(args, { ...env, ...options.env }),
    async json(args, options) {
      const ran = await run([...args, '--json'], options);
      if (ran.code !== 0) throw new Error(`herald ${args.join(' ')} exited ${ran.code}: ${ran.stderr}`);
      return JSON.parse(ran.stdout);
    },
  };
}
