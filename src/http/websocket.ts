// graphql-ws (protocol graphql-transport-ws) on the HTTP server's port at /graphql. The
// access token comes as `?token=` or `connectionParams.authorization`. The connection is
// authenticated when it opens and again for each operation, through the shared context
// factory, and is closed with 4403 when its token expires or its session is revoked, so
// that clients reconnect with a fresh one.
import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs, ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { CloseCode, handleProtocols, makeServer } from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { bearer } from '../auth/principal.ts';
import { type SessionEnd, watchSession } from '../auth/session-watch.ts';
import {
  clientIp,
  createContext,
  headersOf,
  type LiveConnection,
  type RequestFacts,
  requestedProduct,
} from '../graphql/context.ts';
import type { App } from '../platform/app.ts';
import { asClient, CLIENT_HEADER, clientName } from '../platform/audit.ts';
import { AppError, reasonOf, unauthenticated } from '../platform/errors.ts';
import { newRequestId } from '../platform/request-id.ts';
import { isProductRefusal } from '../products/request-product.ts';
import { isOwnOrigin } from './origins.ts';
import { productOrigins } from './product-origins.ts';
import { socketCaps } from './socket-caps.ts';
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

/**
 * What a socket's operations are authenticated with, copied out of the upgrade request so
 * that the request itself (its raw headers, its URL with the token) is not kept for the
 * socket's lifetime: with tens of thousands of sockets open, every kilobyte counts.
 */
function factsOf(request: IncomingMessage): RequestFacts {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const locale = url.searchParams.get('locale');
  const headers = headersOf(request);
  const kept = new Map<string, string>();
  for (const name of ['accept-language', 'x-forwarded-for', 'x-request-id', 'x-product-slug', CLIENT_HEADER]) {
    const value = headers.get(name);
    if (value !== null) kept.set(name, value);
  }
  // Browsers send no custom headers on a WebSocket: the product may come in the URL instead.
  const products = url.searchParams.getAll('product');
  return {
    url: locale === null ? url.pathname : `${url.pathname}?locale=${encodeURIComponent(locale)}`,
    headers: { get: (name) => kept.get(name.toLowerCase()) ?? null },
    remoteAddress: request.socket.remoteAddress,
    credential: url.searchParams.get('token'),
    // Given twice is malformed, like a header sent twice.
    ...(products.length > 0 ? { product: { slug: products.join(','), source: 'product' } } : {}),
  };
}

/** The product named in `connectionParams.product`, when the URL named none. */
function withProductOf(facts: RequestFacts, params: Record<string, unknown> | undefined): RequestFacts {
  if (facts.product || params?.product === undefined) return facts;
  const slug = typeof params.product === 'string' ? params.product : '';
  return { ...facts, product: { slug, source: 'connectionParams.product' } };
}

/** The close code of a refused product name: 4400 malformed, 4404 unknown, 4403 another product's credential. */
const productCloseCode = (error: AppError) =>
  error.extensions.code === 'BAD_USER_INPUT'
    ? 4400
    : error.extensions.code === 'NOT_FOUND'
      ? 4404
      : CloseCode.Forbidden;

function credentialOf(facts: RequestFacts, params: Record<string, unknown> | undefined): string | null {
  if (facts.credential) return facts.credential;
  const header = params?.authorization ?? params?.Authorization;
  if (typeof header !== 'string' || header === '') return null;
  return /^bearer\s/i.test(header) ? bearer(header) : header;
}

/**
 * An error as a socket sends it: without `extensions.http`, the status and header fields an
 * HTTP answer takes from it (a RATE_LIMITED's 429 and RateLimit fields), meaningless here.
 */
function withoutHttp(error: GraphQLError): GraphQLFormattedError {
  const formatted = error.toJSON();
  if (!formatted.extensions || !('http' in formatted.extensions)) return formatted;
  const { http: _http, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}

const sentOverSocket = (result: ExecutionResult) =>
  result.errors ? { ...result, errors: result.errors.map(withoutHttp) } : result;

/** The close reason of a socket whose session ended (`extensions.reason` of the error it would get). */
const CLOSE_REASONS: Record<SessionEnd, string> = {
  expired: 'TOKEN_EXPIRED',
  revoked: 'SESSION_ENDED',
  suspended: 'SUBSCRIPTION_INACTIVE',
};

/** Why an operation's credential stopped holding, from the error its context was refused with. */
const endOf = (error: AppError): SessionEnd =>
  error.messageKey === 'expiredAccessToken'
    ? 'expired'
    : error.messageKey === 'subscriptionInactive'
      ? 'suspended'
      : 'revoked';

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
    this.#socket.close(CloseCode.Forbidden, CLOSE_REASONS[why]);
  }

  onEnd(listener: (why: SessionEnd) => void) {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

/** What the protocol server keeps of each socket (graphql-ws's `ctx.extra`). */
interface SocketExtra {
  readonly socket: WebSocket;
  /** The upgrade request's facts; the credential is fixed once the connection is accepted. */
  request: RequestFacts;
  connection?: SocketConnection;
}

/**
 * Pings every socket each `intervalMs` with one timer for all of them, and cuts off those that
 * did not answer the previous ping: a client that stopped reading goes within two intervals.
 */
function keepAlive(wss: WebSocketServer, intervalMs: number): () => void {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) return () => {};
  const answered = new WeakSet<WebSocket>();
  wss.on('connection', (socket) => {
    answered.add(socket);
    socket.on('pong', () => answered.add(socket));
  });
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!answered.delete(socket)) socket.terminate();
      else socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

// Memory per socket is bounded on two sides. Each subscription keeps at most a small window
// of pending events (TopicStream in pubsub.ts), and graphql-ws sends one message at a time,
// waiting until the previous one is written. A client that stops reading therefore holds a
// few kilobytes, and it stops answering pings too: at the next keep-alive it is cut off.
// The sockets are bound to graphql-ws's protocol server here rather than with its `useServer`,
// which keeps each upgrade request and a ping timer per socket for the socket's lifetime.
export function attachWebSockets(app: App, server: Server, yoga: Yoga): SocketServer {
  const limits: SocketLimits = {
    maxSubscriptions: app.config.MAX_SUBSCRIPTIONS,
    keepAliveMs: app.config.WS_KEEPALIVE_MS,
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols });
  let closing = false;
  const origins = productOrigins(app);
  /**
   * A browser's socket is for the product its URL names (`?product=`, or its `?token=`'s); one
   * that names it only in connectionParams, which arrive later, passes for an origin any
   * product allows, and its credential then binds it to its own product.
   */
  const originAllowed = async (origin: string, request: IncomingMessage) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const named = url.searchParams.get('product');
    const headers = headersOf(request);
    const token = url.searchParams.get('token');
    if (named === null && token === null && headers.get('x-product-slug') === null) return origins.anyAllows(origin);
    const product = await origins.productOf(
      { get: (name) => (name.toLowerCase() === 'x-product-slug' ? (named ?? headers.get(name)) : headers.get(name)) },
      token,
    );
    return origins.allows(origin, product);
  };
  const caps = socketCaps(app);

  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/graphql' || closing) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // Browsers send `Origin` on every WebSocket and let any page open one to any site; other
    // clients send none.
    const origin = request.headers.origin;
    if (origin === undefined || isOwnOrigin(origin, request.headers.host, app.config.publicUrl)) {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      return;
    }
    originAllowed(origin, request).then(
      (allowed) => {
        if (!allowed) {
          socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      },
      (error) => {
        app.logger.error({ err: error }, 'WebSocket origin check failed');
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
  });

  const protocol = makeServer<Record<string, unknown> | undefined, SocketExtra>({
    onConnect: async ({ extra, connectionParams }) => {
      extra.request = withProductOf(extra.request, connectionParams);
      try {
        // The product named is checked before anything else, the credential included.
        await requestedProduct(app, extra.request);
      } catch (error) {
        if (!isProductRefusal(error)) throw error;
        extra.socket.close(productCloseCode(error), String(error.extensions.reason ?? error.extensions.code));
        return false;
      }
      const credential = credentialOf(extra.request, connectionParams);
      if (!credential) {
        extra.socket.close(CloseCode.Forbidden, 'INVALID_CREDENTIAL');
        return false;
      }
      // What each operation is authenticated with again: the credential the socket opened with.
      extra.request = { ...extra.request, credential };
      try {
        const context = await createContext(app, extra.request);
        if (!context.principal) {
          extra.socket.close(CloseCode.Forbidden, 'INVALID_CREDENTIAL');
          return false;
        }
        // Closed with 4429 already; graphql-ws's own close after `false` finds it closing.
        if (!caps.admitPrincipal(extra.socket, context.principal)) return false;
        app.logger.debug({ principal: context.principal.id }, 'socket connected');
        const connection = new SocketConnection(extra.socket);
        extra.connection = connection;
        const unwatch = watchSession(app, context.principal, (why) => connection.end(why));
        extra.socket.once('close', unwatch);
        return true;
      } catch (error) {
        // Bad credentials are refused with 4403 and the error's reason, so that a client knows
        // whether a fresh token helps; anything else is a server fault (4500).
        if (!(error instanceof AppError)) throw error;
        extra.socket.close(CloseCode.Forbidden, reasonOf(error));
        return false;
      }
    },
    onSubscribe: async ({ extra, subscriptions }, _id, params) => {
      const { request, connection } = extra;
      if (!connection) return [unauthenticated()];
      if (Object.keys(subscriptions).length > limits.maxSubscriptions) {
        return [new AppError('RATE_LIMITED', 'tooManySubscriptions', { params: { max: limits.maxSubscriptions } })];
      }
      let context: Awaited<ReturnType<typeof createContext>>;
      try {
        context = await createContext(app, request);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        // Expired or revoked since the socket opened (its watch is about to close it too).
        connection.end(endOf(error));
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
      // The client the upgrade request named goes with every audit event an operation causes.
      const client = clientName(request.headers.get(CLIENT_HEADER));
      const root: Root = {
        execute: (args) => asClient(client, () => execute(args)),
        subscribe: (args) => asClient(client, () => subscribe(args)),
      };
      return {
        schema,
        document,
        operationName: params.operationName,
        variableValues: params.variables,
        contextValue: { ...context, requestId: newRequestId() },
        rootValue: root,
      };
    },
    onNext: (_ctx, _id, _payload, _args, result) => sentOverSocket(result),
    onError: (_ctx, _id, _payload, errors) => errors.map(withoutHttp),
    execute: (args: ExecutionArgs) => (args.rootValue as Root).execute(args),
    subscribe: (args: ExecutionArgs) => (args.rootValue as Root).subscribe(args),
  });

  const stopPinging = keepAlive(wss, limits.keepAliveMs);
  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    const fault = (error: unknown) => {
      app.logger.error({ err: error }, 'WebSocket fault');
      socket.close(CloseCode.InternalServerError, 'Internal server error');
    };
    socket.once('error', fault);
    const facts = factsOf(request);
    if (!caps.admitAddress(socket, clientIp(app, facts))) return;
    // The serializer cuts `token=` from the logged URL.
    app.logger.debug({ url: request.url }, 'socket opened');
    const closed = protocol.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (error) => (error ? reject(error) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch(fault);
          }),
      },
      { socket, request: facts },
    );
    socket.once('close', (code, reason) => closed(code, String(reason)));
  });

  return {
    get size() {
      return wss.clients.size;
    },
    async close() {
      closing = true;
      stopPinging();
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
