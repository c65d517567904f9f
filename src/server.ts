import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { clientScriptRoute } from './http/client-script.ts';
import { CONSOLE_PATH, consoleRoute } from './http/console.ts';
import { FORWARD_AUTH_PATH } from './http/forward-auth.ts';
import { createMcpHandler, MCP_PATH } from './http/mcp.ts';
import { PageResponse } from './http/page-headers.ts';
import { anyMethodRoutes, routes } from './http/routes.ts';
import { attachWebSockets, type SocketServer } from './http/websocket.ts';
import { createGraphQLHandler } from './http/yoga.ts';
import type { App } from './platform/app.ts';
import { asClient, CLIENT_HEADER, clientName } from './platform/audit.ts';
import { listeningUrl } from './platform/config.ts';
import { redactUrl } from './platform/observability/logger.ts';
import { METRICS_PATH } from './platform/observability/metrics.ts';
import { newRequestId } from './platform/request-id.ts';
import { startWebhookWorker } from './webhooks/delivery.ts';
import { startSlaSweeper } from './work/sla.ts';

/** The longest that closing waits for requests in flight before it cuts their connections. */
const DRAIN_MS = 10_000;

export interface HeraldServer {
  server: Server;
  sockets: SocketServer;
  /** Resolves with the port actually bound (0 asks the OS for a free one). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, closes sockets with 1001, lets in-flight requests finish, then closes the app. */
  close(): Promise<void>;
}

const quietPaths = new Set(['/healthz', '/readyz', METRICS_PATH]);

export function createHeraldServer(app: App): HeraldServer {
  const yoga = createGraphQLHandler(app);
  const mcp = createMcpHandler(app, yoga);
  // Every HTML page gets its security headers on the way out, wherever it comes from.
  const server = createServer({ ServerResponse: PageResponse }, (req, res) =>
    // The client the request names goes with every audit event it causes.
    asClient(clientName(req.headers[CLIENT_HEADER]?.toString()), () => handle(req, res)),
  );
  function handle(req: IncomingMessage, res: ServerResponse) {
    // One id per request, in the response header and every log line about it; the context
    // reads it from the request headers.
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : newRequestId();
    req.headers['x-request-id'] = requestId;
    res.setHeader('x-request-id', requestId);
    const started = performance.now();
    const path = (req.url ?? '/').split('?')[0] as string;
    res.once('finish', () => {
      // Probes and scrapes come every few seconds, and a gateway asks forward-auth about every
      // request it passes on (and logs that request itself): at info they would bury everything
      // else, and writing them cost forward-auth a third of its throughput. Refusals stay at info.
      const quiet = quietPaths.has(path) || (path === FORWARD_AUTH_PATH && res.statusCode < 300);
      const level = quiet ? 'debug' : 'info';
      if (!app.logger.isLevelEnabled(level)) return;
      app.logger[level](
        {
          requestId,
          method: req.method,
          url: redactUrl(req.url ?? ''),
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });

    if (path === MCP_PATH) {
      mcp(req, res).catch((error) => {
        app.logger.error({ err: error, path }, 'MCP request failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    const readable = req.method === 'GET' || req.method === 'HEAD';
    const consolePage = readable && app.config.CONSOLE ? consoleRoute(path) : undefined;
    const route =
      anyMethodRoutes[path] ?? (readable ? (routes[path] ?? clientScriptRoute(path) ?? consolePage) : undefined);
    if (route) {
      // The console's paths are the browser's to choose: one label for all of them.
      const timer = app.metrics.routeSeconds.startTimer({ route: consolePage ? CONSOLE_PATH : path });
      res.once('finish', () => timer({ status: res.statusCode }));
      Promise.resolve(route(app, req, res)).catch((error) => {
        app.logger.error({ err: error, path }, 'route failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    yoga(req, res);
  }
  // Node closes idle keep-alive connections after 5 s; a load balancer that keeps them longer
  // then sends a request down a closing socket. The header timeout must outlast the idle one,
  // and the whole-request timeout the header one.
  server.keepAliveTimeout = app.config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = app.config.HTTP_KEEP_ALIVE_TIMEOUT_MS + 1000;
  server.requestTimeout = Math.max(server.requestTimeout, server.headersTimeout);
  const sockets = attachWebSockets(app, server, yoga);
  app.metrics.sources.openSockets = () => sockets.size;
  const stopSweeper = startSlaSweeper(app);
  const stopWebhooks = startWebhookWorker(app);

  return {
    server,
    sockets,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const bound = (server.address() as AddressInfo).port;
          // With PORT=0 the address, and so the default email links, is known only now.
          if (!app.config.PUBLIC_URL) app.config.publicUrl = listeningUrl(host, bound);
          resolve(bound);
        });
      }),
    async close() {
      const closed = new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await Promise.all([sockets.close(), stopSweeper(), stopWebhooks()]);
      // In-flight requests get a bounded time to finish: a connection that never goes idle
      // (a client stuck mid-request) must not hold the process, or a test, open for ever.
      const drained = await Promise.race([closed.then(() => true), delay(DRAIN_MS, false, { ref: false })]);
      if (!drained) {
        server.closeAllConnections();
        await closed;
      }
      await app.close();
    },
  };
}
