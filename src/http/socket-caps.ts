// How many WebSockets one client address, and one user or token, may hold open on this
// instance. Each socket costs memory and a share of every publish, and nothing else bounds how
// many one caller opens (MAX_SUBSCRIPTIONS bounds the operations of each). The counts are this
// instance's own: a count shared in Redis would outlive the sockets of an instance that dies,
// and a balancer spreading one caller over N instances lets it hold at most N times the cap.
import type { WebSocket } from 'ws';
import type { Principal } from '../auth/principal.ts';
import type { App } from '../platform/app.ts';

/** The close code of a socket over a cap: graphql-ws does not retry it on its own. */
export const TOO_MANY_SOCKETS = 4429;
/**
 * When a refused client may try again. A slot frees when one of the caller's own sockets
 * closes, which no one can foresee; half a minute keeps a reconnect loop from hammering.
 */
export const SOCKET_RETRY_AFTER_SECONDS = 30;

export type SocketLimit = 'sockets.ip' | 'sockets.user';

/** The close reason: JSON a client can read `retryAfter` from (a close reason holds 123 bytes). */
export const tooManySocketsReason = (limit: SocketLimit) =>
  JSON.stringify({ code: 'RATE_LIMITED', limit, retryAfter: SOCKET_RETRY_AFTER_SECONDS });

/** Open sockets per key, up to `max`; a key with none left is forgotten. */
class Slots {
  readonly #open = new Map<string, number>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  take(key: string): boolean {
    const open = this.#open.get(key) ?? 0;
    if (open >= this.#max) return false;
    this.#open.set(key, open + 1);
    return true;
  }

  release(key: string) {
    const open = (this.#open.get(key) ?? 1) - 1;
    if (open > 0) this.#open.set(key, open);
    else this.#open.delete(key);
  }
}

/** Whom a socket counts against: the user, or the one API token or OAuth client a service account uses. */
function holderOf(principal: Principal): string {
  if (principal.tokenId) return `token:${principal.tokenId}`;
  if (principal.oauthClientId) return `oauth:${principal.oauthClientId}`;
  return `${principal.kind}:${principal.id}`;
}

export interface SocketCaps {
  /** Counts an opened socket against its client address; over the cap, closes it with 4429. */
  admitAddress(socket: WebSocket, ip: string): boolean;
  /** Counts an authenticated socket against its user or token; over the cap, closes it with 4429. */
  admitPrincipal(socket: WebSocket, principal: Principal): boolean;
}

export function socketCaps(app: App): SocketCaps {
  const slots: Record<SocketLimit, Slots> = {
    'sockets.ip': new Slots(app.config.WS_MAX_SOCKETS_PER_IP),
    'sockets.user': new Slots(app.config.WS_MAX_SOCKETS_PER_USER),
  };
  const admit = (limit: SocketLimit, socket: WebSocket, key: string) => {
    if (!slots[limit].take(key)) {
      app.metrics.rateLimitRefusals.inc({ limit });
      app.logger.info({ limit }, 'socket refused: too many open');
      socket.close(TOO_MANY_SOCKETS, tooManySocketsReason(limit));
      return false;
    }
    socket.once('close', () => slots[limit].release(key));
    return true;
  };
  return {
    admitAddress: (socket, ip) => admit('sockets.ip', socket, ip),
    admitPrincipal: (socket, principal) => admit('sockets.user', socket, holderOf(principal)),
  };
}
