// Subscriptions over graphql-ws, loaded on the first `subscribe` (pages that never subscribe
// never download it). Reconnecting is done here rather than by graphql-ws: Herald closes a
// socket with 4403 and a reason word, and what to do depends on the word (a fresh token for
// TOKEN_EXPIRED, the end for a session that ended), and with 4429 after `retryAfter`, which
// graphql-ws treats as fatal. This module imports only types from the rest of the client,
// which hands it what it needs, so that it shares no code chunk with it.
import { type Client, createClient, type ExecutionResult } from 'graphql-ws';
import type { GraphQLErrorShape, HeraldError } from './errors.ts';

export interface LiveSink<TResult> {
  next(value: TResult): void;
  /**
   * The socket carrying the subscription is connected: on the first connection and after every
   * reconnection (a dropped network, a renewed token), when what was missed is to be fetched.
   */
  connected?(): void;
  error?(error: HeraldError): void;
  complete?(): void;
}

export interface LiveHost {
  /** The socket's address for this access token (with `?token=`, and `product`, `locale`). */
  url(token: string): string;
  accessToken(stale?: string): Promise<string | null>;
  fromClose(code: number, reason: string): HeraldError;
  fromErrors(errors: readonly GraphQLErrorShape[]): HeraldError;
  network(cause: unknown): HeraldError;
  signedOut(): HeraldError;
  /** Waits, and stops waiting early when the browser comes back online. */
  wait(ms: number): Promise<void>;
  webSocket?: unknown;
}

export interface Live {
  subscribe<TResult>(query: string, variables: unknown, sink: LiveSink<TResult>): () => void;
  /** Reconnects every subscription with the token now in hand (another organization, another person). */
  restart(): void;
  /** Ends every subscription with `error`. */
  end(error: HeraldError): void;
  close(): void;
}

interface Run {
  connected(): void;
  restart(): void;
  fail(error: HeraldError): void;
  stop(): void;
}

const MAX_BACKOFF_MS = 30_000;
/** Refusals of fresh tokens in a row after which a subscription gives up. */
const MAX_AUTH_REFUSALS = 3;

/**
 * Closes a client that is done with. graphql-ws's dispose waits for a connection in progress and
 * rejects with its CloseEvent when that connection fails (a session that ended closes it with
 * 4403): nobody waits for a discarded client, so that would surface as an unhandled rejection.
 */
function discard(client: Client) {
  Promise.resolve(client.dispose()).catch(() => {});
}

const isClose = (value: unknown): value is CloseEvent =>
  typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;

export function createLive(host: LiveHost): Live {
  const tokenOf = new WeakMap<object, string>();
  let lastToken = '';
  let failures = 0;
  let authRefusals = 0;
  const runs = new Set<Run>();

  const connect = () =>
    createClient({
      url: () => host.url(lastToken),
      retryAttempts: 0,
      webSocketImpl: host.webSocket,
      on: {
        opened: (socket) => tokenOf.set(socket as object, lastToken),
        connected: () => {
          failures = 0;
          authRefusals = 0;
          for (const run of [...runs]) run.connected();
        },
      },
    });
  let client: Client = connect();

  function subscribe<TResult>(query: string, variables: unknown, sink: LiveSink<TResult>): () => void {
    let active = true;
    /** Each attempt's callbacks stop counting once a newer attempt has started. */
    let attempt = 0;
    let dispose: (() => void) | null = null;

    const stop = () => {
      active = false;
      attempt++;
      dispose?.();
      dispose = null;
      runs.delete(run);
    };
    const fail = (error: HeraldError) => {
      if (!active) return;
      stop();
      sink.error?.(error);
    };

    const start = async (stale?: string) => {
      const mine = ++attempt;
      let token: string | null;
      try {
        token = await host.accessToken(stale);
      } catch (error) {
        return retryOrFail(error as HeraldError, mine);
      }
      if (mine !== attempt) return;
      if (!token) return fail(host.signedOut());
      lastToken = token;
      dispose = client.subscribe<TResult>(
        { query, variables: variables as Record<string, unknown> },
        {
          next: (value: ExecutionResult<TResult>) => {
            if (mine !== attempt) return;
            if (value.errors?.length) fail(host.fromErrors(value.errors));
            else sink.next(value.data as TResult);
          },
          error: (raw: unknown) => {
            if (mine !== attempt) return;
            dispose = null;
            void failed(raw, mine);
          },
          complete: () => {
            if (mine !== attempt || !active) return;
            stop();
            sink.complete?.();
          },
        },
      );
    };

    const failed = async (raw: unknown, mine: number) => {
      const error = isClose(raw)
        ? host.fromClose(raw.code, raw.reason)
        : Array.isArray(raw)
          ? host.fromErrors(raw as GraphQLErrorShape[])
          : host.network(raw);
      if (error.code === 'UNAUTHENTICATED' && (error.reason === 'TOKEN_EXPIRED' || error.reason === 'SESSION_ENDED')) {
        if (++authRefusals > MAX_AUTH_REFUSALS) return fail(error);
        // The token the closed socket carried is the one to replace (a renewal may have replaced it already).
        const refused = isClose(raw) ? tokenOf.get((raw as { target?: object }).target ?? {}) : undefined;
        return start(refused ?? (authRefusals > 1 ? lastToken : undefined));
      }
      return retryOrFail(error, mine);
    };

    const retryOrFail = async (error: HeraldError, mine: number) => {
      if (mine !== attempt) return;
      if (error.code !== 'NETWORK' && error.code !== 'UNAVAILABLE' && error.code !== 'RATE_LIMITED') return fail(error);
      failures++;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      await host.wait(error.retryAfter ? error.retryAfter * 1000 : backoff);
      if (mine === attempt && active) await start();
    };

    const run: Run = {
      connected: () => sink.connected?.(),
      restart() {
        dispose?.();
        dispose = null;
        void start();
      },
      fail,
      stop,
    };
    runs.add(run);
    void start();
    return stop;
  }

  return {
    subscribe,
    restart() {
      const previous = client;
      client = connect();
      for (const run of [...runs]) run.restart();
      discard(previous);
    },
    end(error) {
      for (const run of [...runs]) run.fail(error);
    },
    close() {
      for (const run of [...runs]) run.stop();
      discard(client);
    },
  };
}
