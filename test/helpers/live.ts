// A graphql-ws client for tests: subscriptions as queues of events awaited with timeouts,
// and the close code a refused or dropped connection ends with.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { NotificationAddedEvent } from '../../src/notifications/events.ts';
import type { Account } from './seed.ts';
import type { TestServer } from './server.ts';

export const wsUrl = (server: TestServer, token?: string) =>
  `${server.url.replace(/^http/, 'ws')}/graphql${token === undefined ? '' : `?token=${encodeURIComponent(token)}`}`;

export interface Closed {
  code: number;
  reason: string;
}

export interface Connection {
  client: Client;
  /** Resolves with the close frame when the server closes the socket. */
  closed: Promise<Closed>;
  /** Resolves when the server acknowledged the connection. */
  connected: Promise<void>;
}

export function connect(url: string, connectionParams?: Record<string, unknown>): Connection {
  let onClosed: (event: Closed) => void = () => {};
  let onConnected: () => void = () => {};
  const closed = new Promise<Closed>((resolve) => {
    onClosed = resolve;
  });
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => {},
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as Closed;
        onClosed({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed, connected };
}

/** Rejects after `ms` with a message naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface Feed<T> {
  /** The next event, or a failure after `ms`. */
  next(ms?: number): Promise<T>;
  /** Events received and not yet taken. */
  readonly pending: number;
  dispose(): Promise<void>;
}

/**
 * Subscribes and resolves once the subscription is live on the server: until then it keeps
 * publishing a probe event straight into the bus (which a live subscription delivers and the
 * feed drops), because graphql-ws does not acknowledge subscriptions.
 */
export async function subscribe<TData>(
  connection: Connection,
  document: TypedDocumentNode<TData, Record<string, never>>,
  probe: { publish(): void; isProbe(data: NoInfer<TData>): boolean },
): Promise<Feed<TData>> {
  const queue: TData[] = [];
  const waiters: ((value: TData) => void)[] = [];
  let failure: unknown;
  let probed: () => void = () => {};
  const live = new Promise<void>((resolve) => {
    probed = resolve;
  });
  const unsubscribe = connection.client.subscribe<TData>(
    { query: print(document) },
    {
      next: ({ data, errors }) => {
        if (errors?.length) failure = new Error(JSON.stringify(errors));
        if (!data) return;
        if (probe.isProbe(data)) return probed();
        const waiter = waiters.shift();
        if (waiter) waiter(data);
        else queue.push(data);
      },
      error: (error) => {
        failure = error;
      },
      complete: () => {},
    },
  );
  const ticker = setInterval(() => probe.publish(), 50);
  try {
    await within(live, 5000, 'the subscription to go live');
  } finally {
    clearInterval(ticker);
  }
  return {
    get pending() {
      return queue.length;
    },
    next(ms = 5000) {
      if (failure) return Promise.reject(failure);
      const ready = queue.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return within(new Promise<TData>((resolve) => waiters.push(resolve)), ms, 'an event');
    },
    async dispose() {
      unsubscribe();
      await connection.client.dispose();
    },
  };
}

const PROBE_ID = '00000000-0000-7000-8000-000000000000';

/** Probes for the two notification subscriptions of one account. */
export function notificationProbe(server: TestServer, account: Pick<Account, 'userId' | 'organizationId'>) {
  const event: NotificationAddedEvent = {
    notification: {
      id: PROBE_ID,
      recipientId: account.userId,
      organizationId: account.organizationId,
      type: 'CUSTOM',
      title: 'probe',
      message: null,
      url: null,
      workItemId: null,
      createdAt: new Date(0).toISOString(),
      readAt: null,
    },
    unreadCount: -1,
  };
  return {
    publish: () => server.app.pubsub.publish('notificationAdded', account.userId, event),
    isProbe: (data: { notificationAdded: { notification: { id: string } } }) =>
      data.notificationAdded.notification.id === PROBE_ID,
  };
}

export function unreadCountProbe(server: TestServer, account: Account) {
  return {
    publish: () =>
      server.app.pubsub.publish('unreadCountChanged', account.userId, {
        recipientId: account.userId,
        organizationId: account.organizationId,
        unreadCount: -1,
      }),
    isProbe: (data: { unreadCountChanged: number }) => data.unreadCountChanged === -1,
  };
}

/** Probes for notificationChanged of one account. */
export function notificationChangedProbe(server: TestServer, account: Pick<Account, 'userId' | 'organizationId'>) {
  return {
    publish: () =>
      server.app.pubsub.publish('notificationChanged', account.userId, {
        notification: {
          id: PROBE_ID,
          recipientId: account.userId,
          organizationId: account.organizationId,
          type: 'CUSTOM',
          title: 'probe',
          message: null,
          url: null,
          workItemId: null,
          createdAt: new Date(0).toISOString(),
          readAt: null,
          archivedAt: null,
        },
        unreadCount: -1,
      }),
    isProbe: (data: { notificationChanged: { notification: { id: string } } }) =>
      data.notificationChanged.notification.id === PROBE_ID,
  };
}
