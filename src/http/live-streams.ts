// One set of rules for every stream a subscription opens, whatever carries it (graphql-ws
// or Server-Sent Events; yoga refuses subscriptions over multipart and plain JSON): it ends when the credential expires or its
// session is revoked on any instance, each event is delivered only while the session still
// holds, and streams over HTTP are bounded per principal the way operations are bounded
// per socket. A stream that ends this way sends one last UNAUTHENTICATED error; a WebSocket
// is then closed with 4403, so that graphql-ws clients reconnect with a fresh token.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type Principal, sessionHolds } from '../auth/principal.ts';
import { type SessionEnd, watchSession } from '../auth/session-watch.ts';
import type { Context } from '../graphql/context.ts';
import type { App } from '../platform/app.ts';
import { AppError, unauthenticated } from '../platform/errors.ts';
import { subscriptionInactive } from '../products/request-product.ts';
import { presentError } from './present-errors.ts';

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

function endedError(app: App, context: Context, why: SessionEnd) {
  const error =
    why === 'suspended'
      ? subscriptionInactive()
      : unauthenticated(why === 'expired' ? 'expiredAccessToken' : 'sessionEnded');
  return presentError(error, context.requestedLocale ?? 'en', context.requestId, app.logger);
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
const REVOKED = Symbol('revoked');

/** Events taken from the source and checked ahead of the consumer, at most. */
const READ_AHEAD = 8;
/**
 * A check older than this when its event is sent is made again: an event held back by a slow
 * consumer goes out on a check about as recent as one made just before sending it.
 */
const CHECK_FRESH_MS = 20;

interface Checked {
  result: Promise<IteratorResult<ExecutionResult> | typeof REVOKED>;
  /** When the check began (performance.now()); the source's end or failure carries none. */
  since?: number;
}

/**
 * The source stream, ended with an error when the session of `context` stops holding. One
 * small object per stream: tens of thousands are open at once, and a general-purpose stream
 * (a Repeater racing the source against its stop signal) costs several times more, and more
 * with every event.
 *
 * Every event is checked against the session after it arrives and before it is sent. The
 * check is a round trip with Redis (the shared epoch), so the events are read ahead of the
 * consumer, a few at most, each checked as it arrives: events arriving together share one
 * check, and one subscriber's events no longer wait in single file for a round trip each
 * (at 500 events/s to one subscriber, that queue was most of the delivery's latency).
 */
class GuardedStream implements AsyncIterableIterator<ExecutionResult> {
  readonly #app: App;
  readonly #context: Context & { principal: Principal };
  readonly #source: AsyncIterator<ExecutionResult>;
  readonly #release: () => void;
  readonly #unwatch: () => void;
  #open = true;
  /** The consumer's pending `next()`, while the source has nothing for it. */
  #waiting: ((result: IteratorResult<ExecutionResult>) => void) | null = null;
  /** The last error, when the session ended with no `next()` pending. */
  #last: ExecutionResult | null = null;
  /** Events read and being checked, in order; made when the consumer first asks. */
  #ahead: Checked[] | null = null;
  /** Wakes the reader when the consumer takes an event (or the stream closes). */
  #room: (() => void) | null = null;
  /** Wakes the consumer when the reader adds an event (or the stream closes). */
  #arrived: (() => void) | null = null;

  constructor(
    app: App,
    context: Context & { principal: Principal },
    source: AsyncIterable<ExecutionResult>,
    release: () => void,
  ) {
    this.#app = app;
    this.#context = context;
    this.#source = source[Symbol.asyncIterator]();
    this.#release = release;
    const end = (why: SessionEnd) => this.#end(why);
    // Over a WebSocket the socket watches the session once for all its operations.
    this.#unwatch = context.connection?.onEnd(end) ?? watchSession(app, context.principal, end);
  }

  #close() {
    if (!this.#open) return false;
    this.#open = false;
    this.#unwatch();
    this.#release();
    this.#source.return?.();
    this.#wake();
    return true;
  }

  #wake() {
    const room = this.#room;
    const arrived = this.#arrived;
    this.#room = null;
    this.#arrived = null;
    room?.();
    arrived?.();
  }

  #settle(result: IteratorResult<ExecutionResult>) {
    const waiting = this.#waiting;
    this.#waiting = null;
    waiting?.(result);
    return waiting !== null;
  }

  #end(why: SessionEnd) {
    if (!this.#close()) return;
    const last = { errors: [endedError(this.#app, this.#context, why)] };
    if (!this.#settle({ value: last, done: false })) this.#last = last;
    this.#context.connection?.end(why);
  }

  #check(event: IteratorResult<ExecutionResult>): Checked['result'] {
    return sessionHolds(this.#app, this.#context.principal).then((holds) => (holds ? event : REVOKED));
  }

  /** Reads the source ahead of the consumer until it ends, fails or the stream closes. */
  async #read(ahead: Checked[]) {
    while (this.#open) {
      if (ahead.length >= READ_AHEAD) {
        await new Promise<void>((resolve) => {
          this.#room = resolve;
        });
        continue;
      }
      let entry: Checked;
      try {
        const next = await this.#source.next();
        entry = next.done ? { result: Promise.resolve(DONE) } : { result: this.#check(next), since: performance.now() };
      } catch (error) {
        entry = { result: Promise.reject(error) };
      }
      // Handled when the consumer takes it; unhandled until then is not an error.
      entry.result.catch(() => {});
      ahead.push(entry);
      this.#wake();
      if (entry.since === undefined) return;
    }
  }

  async #pull(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.#ahead) {
      this.#ahead = [];
      void this.#read(this.#ahead);
    }
    const ahead = this.#ahead;
    while (ahead.length === 0) {
      if (!this.#open) return DONE;
      await new Promise<void>((resolve) => {
        this.#arrived = resolve;
      });
    }
    const entry = ahead.shift() as Checked;
    this.#wake();
    let result = await entry.result;
    if (!this.#open || (result !== REVOKED && result.done)) return DONE;
    if (result !== REVOKED && performance.now() - (entry.since as number) > CHECK_FRESH_MS) {
      result = await this.#check(result);
    }
    if (result === REVOKED) {
      this.#end('revoked');
      return DONE;
    }
    return result;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const last = this.#last;
    if (last) {
      this.#last = null;
      return Promise.resolve({ value: last, done: false });
    }
    if (!this.#open) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => {
      this.#waiting = resolve;
      this.#pull().then(
        (result) => {
          if (result.done) this.#close();
          this.#settle(result);
        },
        (error) => {
          this.#close();
          if (this.#waiting === resolve) {
            this.#waiting = null;
            reject(error);
          }
        },
      );
    });
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.#close();
    this.#settle(DONE);
    return Promise.resolve(DONE);
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

export function liveStreamRules(app: App, limits: { maxStreamsPerPrincipal: number }): Plugin<Context> {
  const open = new Map<string, number>();
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const context = args.contextValue;
      const { principal } = context;
      // Anonymous subscriptions are refused by their fields' authScopes.
      if (!principal) return;
      // A WebSocket bounds its own operations; over HTTP each stream is a request of its own.
      const overHttp = !context.connection;
      const key = `${principal.kind}:${principal.id}`;
      if (overHttp && (open.get(key) ?? 0) >= limits.maxStreamsPerPrincipal) {
        const error = new AppError('RATE_LIMITED', 'tooManyStreams', {
          params: { max: limits.maxStreamsPerPrincipal },
        });
        setResultAndStopExecution({
          errors: [presentError(error, context.requestedLocale ?? 'en', context.requestId, app.logger)],
        });
        return;
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          let released = !overHttp;
          if (overHttp) open.set(key, (open.get(key) ?? 0) + 1);
          const release = () => {
            if (released) return;
            released = true;
            const left = (open.get(key) ?? 1) - 1;
            if (left > 0) open.set(key, left);
            else open.delete(key);
          };
          setResult(new GuardedStream(app, context as Context & { principal: Principal }, result, release));
        },
      };
    },
  };
}
