import { z } from 'zod';
import { parseTrustProxy, TrustProxyError } from './client-address.ts';
import { isProductSlug, RESERVED_PRODUCT_SLUGS } from './product-slug.ts';

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

/**
 * Origins as browsers send them in `Origin`: `https://app.example.com`, `http://localhost:3000`.
 * Written with a default port or a trailing slash they are read as the browser's form; a path,
 * `*` or `null` stops the start, since none of them can mean what was intended.
 */
/** An origin in the form browsers send it, or null when `entry` is not one (a path, `*`, `null`). */
export function asOrigin(entry: string): string | null {
  const url = URL.parse(entry);
  const isOrigin =
    url !== null &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    url.pathname === '/' &&
    !url.search &&
    !url.hash &&
    !url.username &&
    !url.password &&
    !entry.endsWith('?') &&
    !entry.endsWith('#');
  return isOrigin ? url.origin : null;
}

const originList = z
  .string()
  .transform((value, ctx) => {
    const origins: string[] = [];
    for (const entry of value.split(',').map((part) => part.trim())) {
      if (entry === '') continue;
      const origin = asOrigin(entry);
      if (origin === null) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(entry)} is not an origin: give scheme, host and port only, e.g. https://app.example.com (never * or null)`,
        });
        return z.NEVER;
      }
      origins.push(origin);
    }
    return origins;
  })
  .optional();

/** A frontend page that takes an emailed token: an absolute http(s) URL with `{token}` where it goes. */
export const tokenLinkTemplate = z
  .string()
  .trim()
  .refine((value) => value.includes('{token}'), 'must contain {token}, where the token goes')
  .refine((value) => {
    const url = URL.parse(value.replaceAll('{token}', 'token'));
    return !/\s/.test(value) && (url?.protocol === 'http:' || url?.protocol === 'https:');
  }, 'must be an absolute http(s) URL, e.g. https://app.example.com/invite?token={token}')
  .optional();

/**
 * What the configuration reference says of a variable: `description` (one or two sentences for a
 * newcomer), `group` (its section), and, where the schema alone cannot tell, `unset` (what
 * happens when it is not set) and `accepts` (the values it takes).
 */
export type Documentation = { description: string; group: Group; unset?: string; accepts?: string };
export const GROUPS = [
  'Server',
  'Database and pub/sub',
  'Tokens and keys',
  'Email',
  'Sign-in limits and API tokens',
  'Webhooks',
  'Products',
  'Request bounds',
  'Observability',
] as const;
type Group = (typeof GROUPS)[number];
const doc = <T extends z.ZodType>(type: T, documentation: Documentation): T => type.meta(documentation);

export const configSchema = z.object({
  PORT: doc(z.coerce.number().int().min(0).max(65535).default(4000), {
    group: 'Server',
    description: 'The TCP port to listen on (0: any free port).',
  }),
  HOST: doc(z.string().min(1).default('127.0.0.1'), {
    group: 'Server',
    description: 'The address to listen on: `0.0.0.0` (or `::`) in a container, to be reachable from outside it.',
    accepts: 'an address of this machine',
  }),
  PUBLIC_URL: doc(optionalUrl(['http:', 'https:']), {
    group: 'Server',
    description: 'Where clients reach Herald: the base of the email links and of the OAuth discovery document.',
    unset: '`http://HOST:PORT`',
    accepts: 'an http(s) URL',
  }),
  NODE_ENV: doc(z.string().min(1).optional(), {
    group: 'Server',
    description:
      '`production` turns off what is there for development only: without `CORS_ORIGINS`, browsers on loopback origins (any port of `localhost`, `127.0.0.1`, `[::1]`) may call Herald only when it is not `production`.',
    unset: 'development defaults',
    accepts: '`production`, or anything else (`development`, `test`)',
  }),
  CORS_ORIGINS: doc(originList, {
    group: 'Server',
    description:
      'The browser origins (scheme, host and port, no path) whose pages may call Herald for the default product: CORS answers them and nobody else, and a browser WebSocket from any other origin is refused. Other products list their own (`allowedOrigins`). A page served by Herald itself is always allowed; `null` and `*` never are.',
    unset: 'loopback origins unless `NODE_ENV` is `production`; then none (same-origin only)',
    accepts: 'a comma-separated list of origins, e.g. `https://app.example.com,https://admin.example.com`',
  }),
  CONSOLE: doc(z.stringbool().default(true), {
    group: 'Server',
    description:
      'The admin console at `/console`: organization admins manage service accounts, API tokens and OAuth applications in a browser, through the same GraphQL API as everyone else. `false`: `/console` answers 404.',
    accepts: '`true` or `false`',
  }),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: doc(z.coerce.number().int().min(1000).max(600_000).default(65_000), {
    group: 'Server',
    description:
      "How long an idle HTTP keep-alive connection stays open. Behind a load balancer it must be longer than the balancer's idle timeout (AWS ALB 60 s, nginx upstream keepalive 60 s), or the balancer reuses a connection Herald is closing and answers 502.",
  }),
  TRUST_PROXY: doc(
    z
      .string()
      .transform((value, context) => {
        try {
          return parseTrustProxy(value);
        } catch (error) {
          if (!(error instanceof TrustProxyError)) throw error;
          context.addIssue({ code: 'custom', message: error.message });
          return z.NEVER;
        }
      })
      .optional(),
    {
      group: 'Server',
      description:
        'The reverse proxies in front of Herald, whose `X-Forwarded-For` entries are believed: the client address (for rate limits, audit events and alerts) is read from the right end of that header, past these proxies. A hop count suits a fixed chain (`1`: one proxy, such as nginx, Traefik or a load balancer); a list names the proxies themselves. `true` is refused.',
      unset: 'no proxy: the address the connection comes from',
      accepts: '`false`, a hop count (`0` to `32`), or a comma-separated list of addresses and CIDRs',
    },
  ),
  DATA_DIR: doc(z.string().min(1).default('./.data'), {
    group: 'Database and pub/sub',
    description:
      'Where the embedded database, the generated signing key and the `.eml` files of the mail outbox are kept.',
  }),
  DATABASE_URL: doc(optionalUrl(['postgres:', 'postgresql:']), {
    group: 'Database and pub/sub',
    description:
      'PostgreSQL to use instead of the embedded database: a pool of 20 connections per instance, each keeping its 100 most repeated statements prepared. Add `?pgbouncer=true` behind a pooler in transaction mode (PgBouncer before 1.21), which cannot keep prepared statements.',
    unset: 'the embedded database (PGlite) in `DATA_DIR`',
    accepts: '`postgres://…` or `postgresql://…`',
  }),
  REDIS_URL: doc(optionalUrl(['redis:', 'rediss:']), {
    group: 'Database and pub/sub',
    description:
      'Redis for pub/sub, revocations and rate limits shared by every instance; set it when more than one instance runs.',
    unset: 'in-process pub/sub and limits (one instance)',
    accepts: '`redis://…` or `rediss://…`',
  }),
  JWT_PRIVATE_KEY: doc(z.string().min(1).optional(), {
    group: 'Tokens and keys',
    description: 'The ES256 signing key, as PKCS#8 PEM or a JWK; every instance of one deployment needs the same.',
    unset: 'a key generated on first start and kept in `DATA_DIR/keys/` (mode 0600)',
    accepts: 'PEM or JWK (JSON)',
  }),
  JWT_RETIRED_PUBLIC_KEYS: doc(z.string().min(1).optional(), {
    group: 'Tokens and keys',
    description:
      'Public keys still published and accepted after a rotation; each may carry `exp` (Unix seconds), after which it is dropped.',
    unset: 'none',
    accepts: 'a JSON array of public JWKs',
  }),
  JWT_ISSUER: doc(z.string().min(1).default('herald'), {
    group: 'Tokens and keys',
    description:
      "`iss` of the JWTs Herald signs, and the OAuth `issuer`: set it to Herald's public https origin for OAuth discovery.",
  }),
  JWT_AUDIENCE: doc(z.string().min(1).default('herald'), {
    group: 'Tokens and keys',
    description: '`aud` of access tokens.',
  }),
  FORWARD_AUTH_AUDIENCE: doc(z.string().min(1).default('herald-forward-auth'), {
    group: 'Tokens and keys',
    description:
      "`aud` of the JWTs `/api/tokens/validate` hands a gateway for its upstream (header `typ: herald-forward+jwt`). Distinct from `JWT_AUDIENCE`, so that an upstream checking it never takes a person's access token.",
  }),
  ACCESS_TOKEN_TTL: doc(seconds(3600), {
    group: 'Tokens and keys',
    description: 'Lifetime of an access token, in seconds.',
  }),
  REFRESH_TOKEN_TTL: doc(seconds(30 * 24 * 3600), {
    group: 'Tokens and keys',
    description: 'Lifetime of a refresh token, in seconds; each refresh rotates it.',
  }),
  OAUTH_ACCESS_TOKEN_TTL: doc(z.coerce.number().int().positive().optional(), {
    group: 'Tokens and keys',
    description: 'Lifetime of an access token issued at `/oauth/token`, in seconds.',
    unset: '`ACCESS_TOKEN_TTL`',
  }),
  REFRESH_REUSE_GRACE: doc(z.coerce.number().int().min(0).default(10), {
    group: 'Tokens and keys',
    description:
      'Seconds a rotated refresh token may still be presented (tabs refreshing at once); after that, presenting it revokes its whole family.',
  }),
  API_TOKEN_MAX_TTL_DAYS: doc(z.coerce.number().int().positive().default(365), {
    group: 'Sign-in limits and API tokens',
    description: 'The longest lifetime of an API token, in days; also the lifetime of one created without `expiresAt`.',
  }),
  API_TOKEN_USAGE_FLUSH_MS: doc(z.coerce.number().int().min(10).max(60_000).default(30_000), {
    group: 'Sign-in limits and API tokens',
    description: 'How often API token use is written as `lastUsedAt`, in one batch.',
  }),
  RATE_LIMIT_IP_PER_MINUTE: doc(z.coerce.number().int().positive().default(30), {
    group: 'Sign-in limits and API tokens',
    description:
      'Sign-in requests (`/oauth/token` included) one client address may make per minute; also the number of guessed credentials (malformed, badly signed, unknown) it may present per minute before they are answered RATE_LIMITED. Valid credentials are never refused for it.',
  }),
  RATE_LIMIT_LOGIN_FAILURES: doc(z.coerce.number().int().positive().default(10), {
    group: 'Sign-in limits and API tokens',
    description:
      'Failed sign-ins to one account from one client address (and failed authentications of one OAuth client id from one address) before that address must wait `RATE_LIMIT_LOGIN_DELAY` seconds, twice as long after each further failure, up to `RATE_LIMIT_LOGIN_WINDOW`. Counted over a day at least; a success from the address clears its count. Other addresses are not affected.',
  }),
  RATE_LIMIT_LOGIN_DELAY: doc(seconds(30), {
    group: 'Sign-in limits and API tokens',
    description: 'The first wait of an address past `RATE_LIMIT_LOGIN_FAILURES`, in seconds.',
  }),
  RATE_LIMIT_ACCOUNT_FAILURES: doc(z.coerce.number().int().positive().default(50), {
    group: 'Sign-in limits and API tokens',
    description:
      "Failed sign-ins to one account (or authentications of one OAuth client id) from all addresses together within `RATE_LIMIT_LOGIN_WINDOW`, past which only addresses it succeeded from in the last 21 days may try until the window ends; the account's owners and admins are alerted. Keep it above `RATE_LIMIT_LOGIN_FAILURES`.",
  }),
  RATE_LIMIT_LOGIN_WINDOW: doc(seconds(15 * 60), {
    group: 'Sign-in limits and API tokens',
    description: 'The window of `RATE_LIMIT_ACCOUNT_FAILURES`, and the longest wait of one address, in seconds.',
  }),
  LIMITS_FAIL_OPEN_SECONDS: doc(z.coerce.number().int().min(0).max(3600).default(60), {
    group: 'Sign-in limits and API tokens',
    description:
      "How long tenants' limits admit requests unchecked while Redis does not answer (logged once per outage, counted in `herald_rate_limit_fail_open_total`); past it each instance enforces the limits from its own memory until Redis answers again. Limits never refuse every tenant because Redis is away.",
  }),
  LIMITS_REFUSAL_ALERT_THRESHOLD: doc(z.coerce.number().int().min(0).default(1000), {
    group: 'Sign-in limits and API tokens',
    description:
      "Refusals by an organization's limits (its own and its credentials') in one clock hour past which its owners and admins get one `requests_refused` security alert that hour; 0 turns the alert off.",
  }),
  SLA_SWEEP_INTERVAL_MS: doc(z.coerce.number().int().min(0).default(5000), {
    group: 'Server',
    description: 'How often this instance sweeps for SLA warnings and breaches (0: never, on this instance).',
  }),
  WS_KEEPALIVE_MS: doc(z.coerce.number().int().min(100).max(600_000).default(12_000), {
    group: 'Server',
    description: 'WebSocket ping period; a client that has not answered the last ping (it stopped reading) is cut off.',
  }),
  MAX_SUBSCRIPTIONS: doc(z.coerce.number().int().positive().default(20), {
    group: 'Request bounds',
    description: 'Operations one WebSocket runs at once; SSE subscription streams one user holds open per instance.',
  }),
  WS_MAX_SOCKETS_PER_IP: doc(z.coerce.number().int().positive().default(500), {
    group: 'Request bounds',
    description:
      'WebSockets one client address may hold open on this instance (an office behind one NAT shares it); the next is closed with 4429.',
  }),
  WS_MAX_SOCKETS_PER_USER: doc(z.coerce.number().int().positive().default(50), {
    group: 'Request bounds',
    description:
      'WebSockets one user, API token or OAuth client may hold open on this instance (tabs, devices); the next is closed with 4429.',
  }),
  SMTP_URL: doc(optionalUrl(['smtp:', 'smtps:']), {
    group: 'Email',
    description: 'The SMTP server that sends email, e.g. `smtp://user:pass@host:587`.',
    unset: '`.eml` files under `DATA_DIR/mail/`',
    accepts: '`smtp://…` or `smtps://…`',
  }),
  MAIL_FROM: doc(z.string().min(3).default('Herald <no-reply@herald.local>'), {
    group: 'Email',
    description: "The sender of the default product's emails, and of other products' that set no `mailFrom`.",
  }),
  INVITATION_URL: doc(tokenLinkTemplate, {
    group: 'Email',
    description:
      "The default product's page that takes an invitation token: `{token}` marks where the token goes (other products set `invitationUrl`).",
    unset: "Herald's own landing page, `PUBLIC_URL/accept-invitation?token=…`",
    accepts: 'an absolute http(s) URL with `{token}`',
  }),
  PASSWORD_RESET_URL: doc(tokenLinkTemplate, {
    group: 'Email',
    description:
      "The default product's page that takes a password reset token: `{token}` marks where the token goes (other products set `passwordResetUrl`).",
    unset: "Herald's own landing page, `PUBLIC_URL/reset-password?token=…`",
    accepts: 'an absolute http(s) URL with `{token}`',
  }),
  DEFAULT_PRODUCT: doc(
    z
      .string()
      .trim()
      .refine(isProductSlug, 'must be a product slug: a-z, 0-9 and -, at most 63')
      .refine((slug) => !RESERVED_PRODUCT_SLUGS.includes(slug), `is reserved (${RESERVED_PRODUCT_SLUGS.join(', ')})`)
      .default('default'),
    {
      group: 'Products',
      description:
        'The product of requests that name none (no `X-Product-Slug` header): every client written before products keeps working in it. Created at start when missing; the first start with products moves every existing organization into it.',
      accepts: 'a product slug (`a-z`, `0-9`, `-`; at most 63 characters)',
    },
  ),
  OPERATOR_ORGANIZATION: doc(z.string().trim().min(1).optional(), {
    group: 'Products',
    description:
      "The slug of the organization of the default product that operates it: its owners, admins and service accounts (with `write:products` or `write:subscriptions`) manage products and organizations' subscriptions.",
    unset:
      'the oldest organization of the default product (on a new instance, the first registered), chosen once, recorded, and logged as a warning',
    accepts: 'an organization slug',
  }),
  WEBHOOK_DELIVERY_INTERVAL_MS: doc(z.coerce.number().int().min(0).max(600_000).default(1000), {
    group: 'Webhooks',
    description: 'How often this instance claims and sends due webhook deliveries (0: never, on this instance).',
  }),
  WEBHOOK_TIMEOUT_MS: doc(z.coerce.number().int().min(100).max(60_000).default(10_000), {
    group: 'Webhooks',
    description: 'The longest one webhook attempt may take, from resolving the host to the end of the answer.',
  }),
  WEBHOOK_DISABLE_AFTER_HOURS: doc(
    z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(120),
    {
      group: 'Webhooks',
      description:
        "An endpoint whose every attempt has failed for this long is disabled, and its organization's owners and admins are told.",
    },
  ),
  WEBHOOK_ALLOW_PRIVATE_TARGETS: doc(z.stringbool().default(false), {
    group: 'Webhooks',
    description:
      'Let webhooks and the Slack URL of security alerts reach loopback, private and link-local addresses and plain `http://`: for development and tests only.',
    accepts: '`true` or `false`',
  }),
  MAX_QUERY_DEPTH: doc(z.coerce.number().int().positive().default(10), {
    group: 'Request bounds',
    description: 'The deepest selection one GraphQL operation may make.',
  }),
  MAX_ALIASES: doc(z.coerce.number().int().positive().default(15), {
    group: 'Request bounds',
    description: 'Aliases one GraphQL operation may use.',
  }),
  MAX_QUERY_COST: doc(z.coerce.number().int().positive().default(5000), {
    group: 'Request bounds',
    description: 'The highest estimated cost of one GraphQL operation.',
  }),
  MAX_QUERY_TOKENS: doc(z.coerce.number().int().positive().default(2000), {
    group: 'Request bounds',
    description: 'Tokens one GraphQL document may have.',
  }),
  MAX_BATCH_SIZE: doc(z.coerce.number().int().positive().default(10), {
    group: 'Request bounds',
    description: 'Operations one batched HTTP request may carry.',
  }),
  MAX_REQUEST_BODY_BYTES: doc(
    z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    {
      group: 'Request bounds',
      description:
        'The largest GraphQL request body; a larger one is answered 413 before anything in it runs, whether it declares its length or arrives chunked.',
    },
  ),
  LOG_LEVEL: doc(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), {
    group: 'Observability',
    description: 'The lowest level of log line written (pino levels).',
  }),
  LOG_FORMAT: doc(z.enum(['auto', 'json', 'pretty']).default('auto'), {
    group: 'Observability',
    description:
      '`auto`: readable, coloured lines when stdout is a terminal, one JSON object per line otherwise (pipes, containers, log collectors).',
  }),
  METRICS: doc(z.stringbool().default(true), {
    group: 'Observability',
    description: 'Prometheus metrics at `/metrics`; `false` loads none of the metrics modules.',
    accepts: '`true` or `false`',
  }),
  OTEL_EXPORTER_OTLP_ENDPOINT: doc(optionalUrl(['http:', 'https:']), {
    group: 'Observability',
    description:
      'An OTLP/HTTP collector for OpenTelemetry traces, e.g. `http://otel-collector:4318`; the other `OTEL_*` variables of the exporter apply too, and `OTEL_SERVICE_NAME` defaults to `herald`.',
    unset: 'no traces (their modules are never loaded)',
    accepts: 'an http(s) URL',
  }),
});

export type Config = z.infer<typeof configSchema> & {
  publicUrl: string;
  /** The variables the environment sets (not empty), as opposed to those left to their default. */
  setInEnvironment: ReadonlySet<string>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the configuration; an unusable value throws a ConfigError naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "unset", as it does in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = parsed.data;
  return {
    ...config,
    publicUrl: config.PUBLIC_URL ?? listeningUrl(config.HOST, config.PORT),
    setInEnvironment: new Set(Object.keys(present).filter((name) => name in configSchema.shape)),
  };
}

/** Herald's address when PUBLIC_URL is unset: where it listens, as a browser on this machine reaches it. */
export function listeningUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
