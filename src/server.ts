import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from './app.ts';
import { routes } from './http/routes.ts';
import { createGraphQLHandler } from './http/yoga.ts';

export interface HeraldServer {
  server: Server;
  /** Resolves with the port actually bound (0 asks the OS for a free one). */
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, then closes the app. */
  close(): Promise<void>;
}

export function createHeraldServer(app: App): HeraldServer {
  const yoga = createGraphQLHandler(app);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = req.method === 'GET' || req.method === 'HEAD' ? routes[path] : undefined;
    if (route) {
      Promise.resolve(route(app, req, res)).catch((error) => {
        app.logger.error({ err: error, path }, 'route failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    yoga(req, res);
  });

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await app.close();
    },
  };
}
