import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .min(1)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(' or ')})`,
    )
    .optional();

/** A frontend page that takes an emailed token: an absolute http(s) URL with `{token}` where it goes. */
const tokenLinkTemplate = z
  .string()
  .trim()
  .refine((value) => value.includes('{token}'), 'must contain {token}, where the token goes')
  .refine((value) => {
    const url = URL.parse(value.replaceAll('{token}', 'token'));
    return !/\s/.test(value) && (url?.protocol === 'http:' || url?.protocol === 'https:');
  }, 'must be an absolute http(s) URL, e.g. https://app.example.com/invite?token={token}')
  .optional();

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:']),
  REDIS_URL: optionalUrl(['redis:', 'rediss:']),
  DATA_DIR: z.string().min(1).default('./.data'),
  JWT_PRIVATE_KEY: z.string().min(1).optional(),
  /** JSON array of retired public JWKs; each may carry `exp` (Unix seconds) after which it is dropped. */
  JWT_RETIRED_PUBLIC_KEYS: z.string().min(1).optional(),
  JWT_ISSUER: z.string().min(1).default('herald'),
  JWT_AUDIENCE: z.string().min(1).default('herald'),
  ACCESS_TOKEN_TTL: seconds(3600),
  REFRESH_TOKEN_TTL: seconds(30 * 24 * 3600),
  /** Lifetime of access tokens issued at /oauth/token; ACCESS_TOKEN_TTL when unset. */
  OAUTH_ACCESS_TOKEN_TTL: z.coerce.number().int().positive().optional(),
  REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).default(10),
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** Ping period of WebSockets; a client that misses a ping (it stopped reading) is cut off. */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).max(600_000).default(12_000),
  /** Operations one WebSocket runs at once; subscription streams one principal holds over HTTP. */
  MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(20),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).default('Herald <no-reply@herald.local>'),
  /** Where Herald is reached: the base of the email links unless the two below are set. */
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /** The product's pages that take an invitation or a password reset token. */
  INVITATION_URL: tokenLinkTemplate,
  PASSWORD_RESET_URL: tokenLinkTemplate,
  /**
   * How long an idle keep-alive connection stays open. Behind a load balancer it must be longer
   * than the balancer's idle timeout (60 s on common ones), or the balancer reuses a connection
   * the server is closing and a request fails with a 502.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(65_000),
  /** Prometheus metrics at /metrics. */
  METRICS: z.stringbool().default(true),
  /** OTLP/HTTP collector; traces are off (and their modules never loaded) while it is unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl(['http:', 'https:']),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Readable lines when stdout is a terminal (auto), or always one format. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** Trust X-Forwarded-For from a reverse proxy when computing the client IP. */
  TRUST_PROXY: z.stringbool().default(false),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_LOGIN_FAILURES: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_LOGIN_WINDOW: seconds(15 * 60),
  API_TOKEN_MAX_TTL_DAYS: z.coerce.number().int().positive().default(365),
  /** How often collected API token usage is written as lastUsedAt (at most a minute). */
  API_TOKEN_USAGE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(30_000),
  /** How often due webhook deliveries are claimed and sent (0: never, on this instance). */
  WEBHOOK_DELIVERY_INTERVAL_MS: z.coerce.number().int().min(0).max(600_000).default(1000),
  /** The longest one webhook attempt may take, from resolving the host to the end of the answer. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** An endpoint whose every attempt has failed for this long is disabled. */
  WEBHOOK_DISABLE_AFTER_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(120),
  /**
   * Webhooks and the Slack URL of security alerts may target loopback, private and link-local
   * addresses, and plain http (development, tests).
   */
  WEBHOOK_ALLOW_PRIVATE_TARGETS: z.stringbool().default(false),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
  MAX_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(5000),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(2000),
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(10),
  MAX_REQUEST_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
});

export type Config = z.infer<typeof schema> & { publicUrl: string };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration; an unusable value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "unset", as it does in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  return { ...config, publicUrl: config.PUBLIC_URL ?? listeningUrl(config.HOST, config.PORT) };
}

/** Herald's address when PUBLIC_URL is unset: where it listens, as a browser on this machine reaches it. */
export function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
