// One set of rules for every stream a subscription opens, whatever carries it (graphql-ws
// or Server-Sent Events; yoga refuses subscriptions over multipart and plain JSON): it ends when the credential expires or its
// session is revoked on any instance, each event is delivered only while the session still
// holds, and streams over HTTP are bounded per principal the way operations are bounded
// per socket. A stream that ends this way sends one last UNAUTHENTICATED error; a WebSocket
// is then closed with 4403, so that graphql-ws clients reconnect with a fresh token.
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { App } from '../app.ts';
import { type Principal, sessionHolds } from '../auth/principal.ts';
import { type SessionEnd, watchSession } from '../auth/session-watch.ts';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { presentError } from './present-errors.ts';

const isAsyncIterable = (value: unknown): value is AsyncIterable<ExecutionResult> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

function endedError(app: App, context: Context, why: SessionEnd) {
  const error = new AppError('UNAUTHENTICATED', why === 'expired' ? 'expiredAccessToken' : 'sessionEnded');
  return presentError(error, context.requestedLocale ?? 'en', context.requestId, app.logger);
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * The source stream, ended with an error when the session of `context` stops holding. One
 * small object per stream, pulling from the source only when its consumer asks: tens of
 * thousands are open at once, and a general-purpose stream (a Repeater racing the source
 * against its stop signal) costs several times more, and more with every event.
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
    return true;
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

  async #pull(): Promise<IteratorResult<ExecutionResult>> {
    const next = await this.#source.next();
    if (next.done || !this.#open) return DONE;
    if (!(await sessionHolds(this.#app, this.#context.principal))) {
      this.#end('revoked');
      return DONE;
    }
    return next;
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
