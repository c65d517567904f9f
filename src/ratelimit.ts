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
import type { Metrics } from './metrics.ts';

export interface RateLimits {
  /** Counts one request from `ip` against the per-IP budget of auth endpoints. */
  hitIp(ip: string): Promise<void>;
  /**
   * Refuses when the account has had too many failed logins lately; otherwise answers how many
   * it has had, so that a success clears the count only when there is one to clear.
   */
  assertLoginAllowed(email: string): Promise<number>;
  /** Counts a failed login; answers true for the one failure that reaches the limit. */
  loginFailed(email: string): Promise<boolean>;
  loginSucceeded(email: string): Promise<void>;
  /** Counts a password reset request for an email, existing or not. */
  hitPasswordReset(email: string): Promise<void>;
  /** Refuses when an OAuth client id has had too many failed authentications lately (as logins). */
  assertClientAllowed(clientId: string): Promise<number>;
  clientFailed(clientId: string): Promise<void>;
  clientSucceeded(clientId: string): Promise<void>;
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
  const refuse =
    (limit: string) =>
    (error: unknown): never => {
      if (!(error instanceof RateLimiterRes)) throw error;
      metrics.rateLimitRefusals.inc({ limit });
      throw rateLimited(error.msBeforeNext / 1000);
    };

  const make = (keyPrefix: string, points: number, duration: number): RateLimiterAbstract => {
    const options: IRateLimiterOptions = { keyPrefix: `${namespace}:rl:${keyPrefix}`, points, duration };
    if (!redis) return new RateLimiterMemory(options);
    // When Redis is unreachable each instance falls back to its own memory limits.
    return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
  };
  const ip = make('ip', config.RATE_LIMIT_IP_PER_MINUTE, 60);
  const logins = make('login', config.RATE_LIMIT_LOGIN_FAILURES, config.RATE_LIMIT_LOGIN_WINDOW);
  const clients = make('oauth_client', config.RATE_LIMIT_LOGIN_FAILURES, config.RATE_LIMIT_LOGIN_WINDOW);
  const resets = make('reset', 5, 3600);
  const badTokens = make('token', config.RATE_LIMIT_IP_PER_MINUTE, 60);

  /** Refuses at the limit; otherwise answers the points consumed so far. */
  const assertBelow = async (limiter: RateLimiterAbstract, key: string, limit: string) => {
    const state = await limiter.get(key);
    if (state && state.consumedPoints >= limiter.points) refuse(limit)(state);
    return state?.consumedPoints ?? 0;
  };

  return {
    hitIp: (address) => ip.consume(address).then(() => undefined, refuse('ip')),
    assertLoginAllowed: (email) => assertBelow(logins, email, 'login_failures'),
    // The counter is incremented atomically (in Redis across instances), so exactly one
    // failure sees it reach the limit.
    loginFailed: (email) => logins.penalty(email).then((state) => state.consumedPoints === logins.points),
    loginSucceeded: (email) => logins.delete(email).then(() => undefined),
    assertClientAllowed: (clientId) => assertBelow(clients, clientId, 'oauth_client_failures'),
    clientFailed: (clientId) => clients.penalty(clientId).then(() => undefined),
    clientSucceeded: (clientId) => clients.delete(clientId).then(() => undefined),
    hitPasswordReset: (email) => resets.consume(email).then(() => undefined, refuse('password_reset')),
    tokenGuessed: (address) => badTokens.consume(address).then(() => undefined, refuse('token_failures')),
  };
}
