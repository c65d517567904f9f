import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Query strings may carry secrets: `token=`, and GraphQL documents and variables (the email
 * link pages open GraphiQL with the token inside `query=`). They are cut from every URL that
 * is logged.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|refresh_token|query|variables)=)[^&#]*/gi, '$1[REDACTED]');
}

export function createLogger(level: string): Logger {
  return pino({
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
  });
}
