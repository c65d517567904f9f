import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Query strings may carry secrets: `token=`, and GraphQL documents and variables (the email
 * link pages open GraphiQL with the token inside `query=`). They are cut from every URL that
 * is logged.
 */
export function redactUrl(url: string): string {
  return url.replace(
    /([?&](?:token|access_token|refresh_token|client_secret|query|variables)=)[^&#]*/gi,
    '$1[REDACTED]',
  );
}

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Readable lines for a person at a terminal; JSON for everything that collects logs. pino-pretty
 * is loaded only when it is used.
 */
function destination(format: LogFormat): DestinationStream | undefined {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return undefined;
  const build = createRequire(import.meta.url)('pino-pretty') as (options: object) => DestinationStream;
  return build({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

export function createLogger(level: string, format: LogFormat = 'auto'): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'password',
        '*.password',
        'token',
        '*.token',
        'refreshToken',
        '*.refreshToken',
        'variables',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      url: (url: string) => redactUrl(url),
    },
  };
  const stream = destination(format);
  return stream ? pino(options, stream) : pino(options);
}
