// Organizations' limits on every operation, for HTTP, Server-Sent Events and WebSockets alike
// (the socket's operations run through yoga's envelope too). A query or mutation counts once
// and holds a slot in flight while it runs; a subscription counts once and holds a live slot:
// its own over SSE, its socket's over a WebSocket (one per socket, however many subscriptions
// it runs, held until the last one ends). A refused subscribe is refused alone: the socket
// stays. Answers over HTTP carry the RateLimit fields, refused or not.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context, LiveConnection } from '../graphql/context.ts';
import {
  type Admission,
  admitRequest,
  LIVE_LEASE_MS,
  NOTHING_HELD,
  type RequestKind,
  releaseSlot,
} from '../limits/request-limits.ts';
import type { App } from '../platform/app.ts';
import { AppError } from '../platform/errors.ts';
import { type LimitPolicy, rateLimitHeaders } from '../platform/rate-limit-headers.ts';
import { presentError } from './present-errors.ts';

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** The source stream, calling `end` once when it finishes, fails or is closed. */
function endingWith(source: AsyncIterable<ExecutionResult>, end: () => void): AsyncIterableIterator<ExecutionResult> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const finish = () => {
    if (ended) return;
    ended = true;
    end();
  };
  return {
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) finish();
        return result;
      } catch (error) {
        finish();
        throw error;
      }
    },
    async return() {
      finish();
      return (await iterator.return?.()) ?? { value: undefined, done: true };
    },
    async throw(error) {
      finish();
      if (iterator.throw) return iterator.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** A socket's hold on one live slot, shared by its subscriptions. */
interface SocketHold {
  subscriptions: number;
  admission: Admission;
  /** Subscribes on one socket are admitted one after another, so that two never both take a slot. */
  queue: Promise<unknown>;
}

export function requestLimits(app: App): Plugin<Context> {
  /** The policies of the operations of one HTTP request, for its response's fields. */
  const answered = new WeakMap<Request, LimitPolicy[]>();
  const sockets = new WeakMap<LiveConnection, SocketHold>();
  /** Live slots held on this instance, renewed while they are open. */
  const live = new Set<Admission>();
  const renewal = setInterval(() => {
    for (const { slot } of live) if (slot) void app.limitCounters.renew(slot.key, slot.lease, LIVE_LEASE_MS);
  }, LIVE_LEASE_MS / 3);
  renewal.unref();

  const remember = (context: Context, policies: LimitPolicy[]) => {
    const request = (context as Context & { request?: Request }).request;
    if (request && policies.length > 0) answered.set(request, policies);
  };
  const admit = async (context: Context, kind: RequestKind) => {
    const admission = await admitRequest(app, context, kind);
    remember(context, admission.policies);
    return admission;
  };
  const refused = (context: Context, error: unknown): ExecutionResult => {
    if (!(error instanceof AppError)) throw error;
    // Over HTTP the 429 and its fields come from the error; a socket has no use for them.
    if (context.connection) delete error.extensions.http;
    return { errors: [presentError(error, context.requestedLocale ?? 'en', context.requestId, app.logger)] };
  };
  const holdLive = (admission: Admission) => {
    if (admission.slot) live.add(admission);
    return () => {
      live.delete(admission);
      releaseSlot(app, admission);
    };
  };

  /** Admits a subscribe on a socket: the socket's first takes the live slot, the others only count. */
  const admitOnSocket = (context: Context, connection: LiveConnection): Promise<() => void> => {
    let hold = sockets.get(connection);
    if (!hold) {
      hold = { subscriptions: 0, admission: NOTHING_HELD, queue: Promise.resolve() };
      sockets.set(connection, hold);
    }
    const socket = hold;
    const admitted = socket.queue.then(async () => {
      if (socket.subscriptions === 0) {
        socket.admission = await admit(context, 'live');
        if (socket.admission.slot) live.add(socket.admission);
      } else {
        await admit(context, 'subscribe');
      }
      socket.subscriptions++;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        socket.subscriptions--;
        if (socket.subscriptions > 0) return;
        live.delete(socket.admission);
        releaseSlot(app, socket.admission);
        socket.admission = NOTHING_HELD;
      };
    });
    socket.queue = admitted.catch(() => {});
    return admitted;
  };

  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const context = args.contextValue;
      if (!context.principal) return;
      setExecuteFn(async (execution) => {
        let admission: Admission;
        try {
          admission = await admit(context, 'operation');
        } catch (error) {
          return refused(context, error);
        }
        try {
          return await executeFn(execution);
        } finally {
          releaseSlot(app, admission);
        }
      });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue;
      if (!context.principal) return;
      let end: () => void;
      try {
        end = context.connection
          ? await admitOnSocket(context, context.connection)
          : holdLive(await admit(context, 'live'));
      } catch (error) {
        setResultAndStopExecution(refused(context, error));
        return;
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) setResult(endingWith(result, end));
          else end();
        },
        onSubscribeError() {
          end();
        },
      };
    },
    onResponse({ request, response }) {
      const policies = answered.get(request);
      if (!policies) return;
      answered.delete(request);
      // A refusal set its own fields, those of the state at the refusal.
      if (response.headers.has('RateLimit')) return;
      for (const [name, value] of Object.entries(rateLimitHeaders(policies))) response.headers.set(name, value);
    },
  };
}
