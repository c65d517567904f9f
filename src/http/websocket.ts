// graphql-ws (protocol graphql-transport-ws) on the HTTP server's port at /graphql. The
// access token comes as `?token=` or `connectionParams.authorization`. The connection is
// authenticated when it opens and again for each operation, through the shared context
// factory, and is closed with 4403 when its token expires or its session is revoked, so
// that clients reconnect with a fresh one.
import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { type App, newRequestId } from '../app.ts';
import { bearer } from '../auth/principal.ts';
import { type SessionEnd, watchSession } from '../auth/session-watch.ts';
import { createContext, headersOf, type LiveConnection, type RequestFacts } from '../context.ts';
import { AppError } from '../errors.ts';
import type { createGraphQLHandler } from './yoga.ts';

type Yoga = ReturnType<typeof createGraphQLHandler>;
type Enveloped = ReturnType<Yoga['getEnveloped']>;
type Root = { execute: Enveloped['execute']; subscribe: Enveloped['subscribe'] };

export interface SocketLimits {
  /** Operations one socket may run at once. */
  maxSubscriptions: number;
  /** Milliseconds between pings; a client that has not answered the previous one is dropped. */
  keepAliveMs: number;
}

export interface SocketServer {
  /** Refuses new sockets, closes open ones with 1001 and waits (bounded) until they are gone. */
  close(): Promise<void>;
  readonly size: number;
}

function credentialOf(request: IncomingMessage, params: Record<string, unknown> | undefined): string | null {
  const fromQuery = new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  if (fromQuery) return fromQuery;
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header !== 'string' || header === '') return null;
  return /^bearer\s/i.test(header) ? bearer(header) : header;
}

/**
 * One watch of the session per socket, shared by its operations: each of them still ends with
 * its own last error before the socket closes with 4403.
 */
class SocketConnection implements LiveConnection {
  readonly #socket: WebSocket;
  readonly #listeners = new Set<(why: SessionEnd) => void>();
  #ended = false;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  end(why: SessionEnd) {
    if (this.#ended) return;
    this.#ended = true;
    for (const listener of this.#listeners) listener(why);
    this.#listeners.clear();
    this.#socket.close(CloseCode.Forbidden, why === 'expired' ? 'Token expired' : 'Session ended');
  }

  onEnd(listener: (why: SessionEnd) => void) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

// Memory per socket is bounded on two sides. Each subscription keeps at most a small window
// of pending events (TopicStream in pubsub.ts), and graphql-ws sends one message at a time,
// waiting until the previous one is written. A client that stops reading therefore holds a
// few kilobytes, and it stops answering pings too: at the next keep-alive it is cut off.
export function attachWebSockets(app: App, server: Server, yoga: Yoga): SocketServer {
  const limits: SocketLimits = {
    maxSubscriptions: app.config.MAX_SUBSCRIPTIONS,
    keepAliveMs: app.config.WS_KEEPALIVE_MS,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // What each operation is authenticated with again: the credential the socket opened with.
  const facts = new WeakMap<WebSocket, { request: RequestFacts; connection: SocketConnection }>();
  let closing = false;

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/graphql' || closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  useServer(
    {
      onConnect: async ({ extra, connectionParams }) => {
        const credential = credentialOf(extra.request, connectionParams);
        if (!credential) return false;
        const request: RequestFacts = {
          url: extra.request.url ?? '/graphql',
          headers: headersOf(extra.request),
          remoteAddress: extra.request.socket.remoteAddress,
          credential,
        };
        try {
          const context = await createContext(app, request);
          if (!context.principal) return false;
          // The serializer cuts `token=` from the logged URL.
          app.logger.debug({ url: extra.request.url, principal: context.principal.id }, 'socket connected');
          const connection = new SocketConnection(extra.socket);
          facts.set(extra.socket, { request, connection });
          const unwatch = watchSession(app, context.principal, (why) => connection.end(why));
          extra.socket.once('close', unwatch);
          return true;
        } catch (error) {
          // Bad credentials are refused with 4403; anything else is a server fault (4500).
          if (error instanceof AppError) return false;
          throw error;
        }
      },
      onSubscribe: async ({ extra, subscriptions }, _id, params) => {
        const socketFacts = facts.get(extra.socket);
        if (!socketFacts) return [new AppError('UNAUTHENTICATED', 'unauthenticated')];
        const { request, connection } = socketFacts;
        if (Object.keys(subscriptions).length > limits.maxSubscriptions) {
          return [new AppError('RATE_LIMITED', 'tooManySubscriptions', { params: { max: limits.maxSubscriptions } })];
        }
        let context: Awaited<ReturnType<typeof createContext>>;
        try {
          context = await createContext(app, request);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          // Expired or revoked since the socket opened (its watch is about to close it too).
          connection.end(error.messageKey === 'expiredAccessToken' ? 'expired' : 'revoked');
          return [error];
        }
        context.connection = connection;
        const { schema, execute, subscribe, parse, validate } = yoga.getEnveloped({ ...context, params });
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error as GraphQLError];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        const root: Root = { execute, subscribe };
        return {
          schema,
          document,
          operationName: params.operationName,
          variableValues: params.variables,
          contextValue: { ...context, requestId: newRequestId() },
          rootValue: root,
        };
      },
      execute: (args: ExecutionArgs) => (args.rootValue as Root).execute(args),
      subscribe: (args: ExecutionArgs) => (args.rootValue as Root).subscribe(args),
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    get size() {
      return wss.clients.size;
    },
    async close() {
      closing = true;
      const open = [...wss.clients];
      const gone = open.map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      for (const socket of open) socket.close(1001, 'Server shutting down');
      const patience = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, 5000);
      await Promise.all(gone);
      clearTimeout(patience);
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}
