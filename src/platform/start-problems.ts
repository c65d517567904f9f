// What stops a start, said in one line with what to do about it: the common mistakes of a
// first run (a port taken by another server, a database or Redis that is not running) are
// not bugs, and a stack trace hides the one fact that matters.
import type { Config } from './config.ts';

/** A failure to start whose message is the whole story. */
export class StartProblem extends Error {
  override name = 'StartProblem';
}

const hostPort = (url: string) => {
  const parsed = URL.parse(url);
  return parsed ? `${parsed.hostname}:${parsed.port || '(default port)'}` : 'the configured address';
};

export function databaseUnreachable(config: Config): StartProblem {
  return new StartProblem(
    `Cannot reach PostgreSQL at ${hostPort(config.DATABASE_URL ?? '')} (DATABASE_URL): start it or correct the URL, or unset DATABASE_URL to use the embedded database.`,
  );
}

export function redisUnreachable(config: Config): StartProblem {
  return new StartProblem(
    `Cannot reach Redis at ${hostPort(config.REDIS_URL ?? '')} (REDIS_URL): start it or correct the URL, or unset REDIS_URL to run one instance with in-process pub/sub.`,
  );
}

/** The one-line explanation of a failed listen, when it is a matter of configuration. */
export function listenProblem(error: unknown, port: number, host: string): StartProblem | undefined {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'EADDRINUSE':
      return new StartProblem(
        `Port ${port} on ${host} is already in use (another Herald?): stop that process, or start with PORT set to a free port.`,
      );
    case 'EACCES':
      return new StartProblem(
        `Not allowed to listen on port ${port} on ${host}: ports below 1024 need privileges; use PORT=4000 (or any port from 1024) behind a proxy.`,
      );
    case 'EADDRNOTAVAIL':
      return new StartProblem(
        `HOST=${host} is not an address of this machine: use 127.0.0.1, or 0.0.0.0 to listen on every interface.`,
      );
    default:
      return undefined;
  }
}

/** Whether a start-up error says the database server did not answer. */
export function isUnreachableDatabase(error: unknown): boolean {
  const text = String((error as { message?: unknown } | undefined)?.message ?? error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'P1001' ||
    /Can't reach database server|ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(text)
  );
}
