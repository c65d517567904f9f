// Subscriptions over Server-Sent Events as a browser's fetch makes them (POST /graphql,
// accept: text/event-stream), read with a standard event-stream parser: each `next` event
// is a GraphQL result, `complete` ends the stream.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { print } from 'graphql';
import { NotificationAddedDocument } from '../generated/graphql.ts';
import { notificationProbe, within } from './live.ts';
import type { Account } from './seed.ts';
import type { GraphQLResponse, TestServer } from './server.ts';

export interface Stream<T> {
  /** The HTTP status the stream was answered with. */
  status: number;
  /** The next result, or a failure after `ms`. */
  next(ms?: number): Promise<GraphQLResponse<T>>;
  /** Resolves when the server ends the stream (a `complete` event, or the end of the body). */
  ended: Promise<void>;
  dispose(): void;
}

export async function openStream<TData>(
  server: TestServer,
  document: TypedDocumentNode<TData, Record<string, never>>,
  options: { token?: string; accept?: string; headers?: Record<string, string> } = {},
): Promise<Stream<TData>> {
  const abort = new AbortController();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: options.accept ?? 'text/event-stream',
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: print(document) }),
    signal: abort.signal,
  });
  const queue: GraphQLResponse<TData>[] = [];
  const waiters: ((value: GraphQLResponse<TData>) => void)[] = [];
  const deliver = (result: GraphQLResponse<TData>) => {
    const waiter = waiters.shift();
    if (waiter) waiter(result);
    else queue.push(result);
  };
  const ended = (async () => {
    if (!response.body) return;
    const events = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream())
      .getReader();
    try {
      while (true) {
        const { value: event, done } = await events.read();
        if (done || event.event === 'complete') return;
        if (event.event === 'next') deliver(JSON.parse(event.data));
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  })();
  ended.catch(() => {});
  return {
    status: response.status,
    next(ms = 5000) {
      const ready = queue.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return within(new Promise<GraphQLResponse<TData>>((resolve) => waiters.push(resolve)), ms, 'a stream event');
    },
    ended,
    dispose: () => abort.abort(),
  };
}

/**
 * Opens a stream and resolves once it is live on the server: until then it keeps
 * publishing a probe event (see live.ts), which a live subscription delivers and this drops.
 */
export async function openLiveStream<TData>(
  server: TestServer,
  document: TypedDocumentNode<TData, Record<string, never>>,
  token: string,
  probe: { publish(): void; isProbe(data: NoInfer<TData>): boolean },
): Promise<Stream<TData>> {
  const stream = await openStream(server, document, { token });
  if (stream.status !== 200) throw new Error(`stream answered ${stream.status}`);
  const ticker = setInterval(() => probe.publish(), 50);
  try {
    const first = await stream.next();
    if (!first.data || !probe.isProbe(first.data)) throw new Error(`unexpected ${JSON.stringify(first)}`);
  } finally {
    clearInterval(ticker);
  }
  // Probes already in flight when it went live are dropped as they arrive.
  const next = stream.next;
  stream.next = async (ms) => {
    while (true) {
      const result = await next(ms);
      if (!result.data || !probe.isProbe(result.data)) return result;
    }
  };
  return stream;
}

/** A live SSE stream of an account's notificationAdded events. */
export const notificationStream = (server: TestServer, account: Account) =>
  openLiveStream(server, NotificationAddedDocument, account.accessToken, notificationProbe(server, account));
