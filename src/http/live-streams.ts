// One set of rules for every stream a subscription opens, whatever carries it (graphql-ws
// or Server-Sent Events; yoga refuses subscriptions over multipart and plain JSON): it ends when the credential expires or its
// session is revoked on any instance, each event is delivered only while the session still
// holds, and streams over HTTP are bounded per principal the way operations are bounded
// per socket. A stream that ends this way sends one last UNAUTHENTICATED error; a WebSocket
// is then closed with 4403, so that graphql-ws clients reconnect with a fresh token.
import { Repeater } from '@repeaterjs/repeater';
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

/** The source stream, ended with an error when the session of `context` stops holding. */
function guarded(
  app: App,
  context: Context & { principal: Principal },
  source: AsyncIterable<ExecutionResult>,
  release: () => void,
): AsyncIterableIterator<ExecutionResult> {
  const { principal } = context;
  return new Repeater<ExecutionResult>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    const end = (why: SessionEnd) => {
      push({ errors: [endedError(app, context, why)] });
      stop();
      context.connection?.end(why);
    };
    // Over a WebSocket the socket watches the session once for all its operations.
    const unwatch = context.connection?.onEnd(end) ?? watchSession(app, principal, end);
    stop.then(() => {
      unwatch();
      release();
      iterator.return?.();
    });
    while (true) {
      const next = await Promise.race([iterator.next(), stop.then(() => null)]);
      if (!next || next.done) break;
      if (!(await sessionHolds(app, principal))) return end('revoked');
      await push(next.value);
    }
    stop();
  });
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
          setResult(guarded(app, { ...context, principal }, result, release));
        },
      };
    },
  };
}
