// Per-IP and per-account limits on the endpoints that attackers hammer. In memory on one
// instance; in Redis, and so shared by every instance, when REDIS_URL is set.
import type { Redis } from 'ioredis';
import {
  type IRateLimiterOptions,
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Config } from './config.ts';
import { rateLimited } from './errors.ts';
import { createFailureGuard, type FailureGuard } from './failure-guard.ts';
import type { Metrics } from './observability/metrics.ts';
import type { LimitName } from './rate-limit-headers.ts';

export interface RateLimits {
  /** Counts one request from `ip` against the per-IP budget of auth endpoints. */
  hitIp(ip: string): Promise<void>;
  /** Failed password checks, per account (its email) and address. */
  logins: FailureGuard;
  /** Failed OAuth client authentications, per client id and address. */
  oauthClients: FailureGuard;
  /** Counts a password reset request for an email, existing or not. */
  hitPasswordReset(email: string): Promise<void>;
  /**
   * Counts a credential from `ip` that proves guessing (malformed, badly signed, unknown);
   * refuses once the address is over budget.
   */
  tokenGuessed(ip: string): Promise<void>;
}

export function createRateLimits(
  config: Config,
  redis: Redis | undefined,
  namespace: string,
  metrics: Pick<Metrics, 'rateLimitRefusals'>,
): RateLimits {
  /**
   * Throws RATE_LIMITED for a refusal by `rule` (the metric's `rule` label, Herald's own name
   * for the counter), which the design names `name` towards clients.
   */
  const refuse =
    (rule: string, name: LimitName, quota: number, windowSeconds: number) =>
    (error: unknown): never => {
      if (!(error instanceof RateLimiterRes)) throw error;
      metrics.rateLimitRefusals.inc({ limit: name, rule });
      const resetSeconds = error.msBeforeNext / 1000;
      throw rateLimited(resetSeconds, name, [{ name, quota, windowSeconds, remaining: 0, resetSeconds }]);
    };

  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const options: IRateLimiterOptions = { keyPrefix: `${namespace}:rl:${keyPrefix}`, points, duration };
    if (!redis) return new RateLimiterMemory(options);
    // When Redis is unreachable each instance falls back to its own memory limits.
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
  };
  const ip = make('ip', config.RATE_LIMIT_IP_PER_MINUTE, 60);
  const resets = make('reset', 5, 3600);
  const badTokens = make('token', config.RATE_LIMIT_IP_PER_MINUTE, 60);
  const failures = {
    perAddress: config.RATE_LIMIT_LOGIN_FAILURES,
    perSubject: config.RATE_LIMIT_ACCOUNT_FAILURES,
    windowSeconds: config.RATE_LIMIT_LOGIN_WINDOW,
    firstWaitSeconds: config.RATE_LIMIT_LOGIN_DELAY,
  };
  type Labels = Record<'address' | 'subject', string>;
  const guard = (prefix: string, rules: Labels) =>
    createFailureGuard(
      (name, points, duration) => make(`${prefix}:${name}`, points, duration),
      failures,
      (limit, state) =>
        limit === 'address'
          ? refuse(rules.address, 'signIn.ip', failures.perAddress, failures.windowSeconds)(state)
          : refuse(rules.subject, 'signIn.account', failures.perSubject, failures.windowSeconds)(state),
    );

  return {
    hitIp: (address) =>
      ip.consume(address).then(() => undefined, refuse('ip', 'signIn.ip', config.RATE_LIMIT_IP_PER_MINUTE, 60)),
    logins: guard('login', { address: 'login_failures', subject: 'login_account_failures' }),
    oauthClients: guard('oauth_client', { address: 'oauth_client_failures', subject: 'oauth_client_all_failures' }),
    hitPasswordReset: (email) =>
      resets.consume(email).then(() => undefined, refuse('password_reset', 'signIn.account', 5, 3600)),
    tokenGuessed: (address) =>
      badTokens
        .consume(address)
        .then(() => undefined, refuse('token_failures', 'signIn.ip', config.RATE_LIMIT_IP_PER_MINUTE, 60)),
  };
}
