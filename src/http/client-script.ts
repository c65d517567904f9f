// @herald/client for pages without a bundler: `/client.js` and the chunks it imports on demand
// (`/client-live-<hash>.js`, the WebSocket part), read from the package's build. Module scripts
// load with CORS, so any origin may read them; they hold no secret.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

const BUILD = new URL('../../packages/client/dist/', import.meta.url);
const FILE = /^\/(client(?:-[\w-]+)?\.js)$/;

const headers = {
  'content-type': 'text/javascript; charset=utf-8',
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
};

type Route = (app: unknown, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The route for a path of the client's build, or undefined when the path names none. */
export function clientScriptRoute(path: string): Route | undefined {
  const name = FILE.exec(path)?.[1];
  if (!name) return undefined;
  return async (_app, req, res) => {
    const body = await readFile(new URL(name, BUILD)).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        name === 'client.js'
          ? 'The client is not built: run `npm install` (or `npm run build -w @herald/client`).\n'
          : '',
      );
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    // Chunk names carry their content's hash and never change; /client.js is revalidated after a few minutes.
    const caching = name === 'client.js' ? 'public, max-age=300' : 'public, max-age=31536000, immutable';
    const common = { ...headers, 'cache-control': caching, etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
