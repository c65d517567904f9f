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

/** An absolute http(s) URL of the product's frontend, with `{token}` where the token goes. */
const linkTemplate = z
  .string()
  .trim()
  .refine((value) => value.includes('{token}'), 'must contain {token}, where the token goes')
  .refine((value) => {
    const url = URL.parse(value.replaceAll('{token}', 'token'));
    return url?.protocol === 'http:' || url?.protocol === 'https:';
  }, 'must be an absolute http(s) URL')
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
  REFRESH_REUSE_GRACE: z.coerce.number().int().min(0).default(10),
  SLA_SWEEP_INTERVAL_MS: z.coerce.number().int().min(0).default(5000),
  /** Ping period of WebSockets; a client that misses a ping (it stopped reading) is cut off. */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).max(600_000).default(12_000),
  /** Operations one WebSocket runs at once; subscription streams one principal holds over HTTP. */
  MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().default(20),
  SMTP_URL: optionalUrl(['smtp:', 'smtps:']),
  MAIL_FROM: z.string().min(3).default('Herald <no-reply@herald.local>'),
  /** Where Herald itself is reached; the default email links point at its pages. */
  PUBLIC_URL: optionalUrl(['http:', 'https:']),
  /** The frontend pages that take an invitation or a password reset token. */
  INVITATION_URL: linkTemplate,
  PASSWORD_RESET_URL: linkTemplate,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Trust X-Forwarded-For from a reverse proxy when computing the client IP. */
  TRUST_PROXY: z.stringbool().default(false),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(30),
  RATE_LIMIT_LOGIN_FAILURES: z.coerce.number().int().positive().default(10),
  RATE_LIMIT_LOGIN_WINDOW: seconds(15 * 60),
  API_TOKEN_MAX_TTL_DAYS: z.coerce.number().int().positive().default(365),
  /** How often collected API token usage is written as lastUsedAt (at most a minute). */
  API_TOKEN_USAGE_FLUSH_MS: z.coerce.number().int().min(10).max(60_000).default(30_000),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
  MAX_ALIASES: z.coerce.number().int().positive().default(15),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(5000),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(2000),
  MAX_BATCH_SIZE: z.coerce.number().int().positive().default(10),
});

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  /** Email link templates, `{token}` marking where the token goes. */
  links: { invitation: string; passwordReset: string };
};

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
  return { ...config, ...addressed(config, config.PORT) };
}

/**
 * Where Herald is reached and the email links that follow from it. Without PUBLIC_URL that
 * is the address it listens on, known for sure only once bound (PORT=0 takes any free port).
 */
export function addressed(config: z.infer<typeof schema>, port: number): Pick<Config, 'publicUrl' | 'links'> {
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const publicUrl = config.PUBLIC_URL ?? `http://${host}:${port}`;
  // Without a frontend configured, links lead to Herald's own pages saying what to do.
  const own = (path: string) => `${new URL(path, publicUrl)}?token={token}`;
  return {
    publicUrl,
    links: {
      invitation: config.INVITATION_URL ?? own('/accept-invitation'),
      passwordReset: config.PASSWORD_RESET_URL ?? own('/reset-password'),
    },
  };
}
