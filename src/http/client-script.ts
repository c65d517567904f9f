// The browser packages for pages without a bundler, read from the packages' builds:
// @herald/client at `/client.js` with the chunks it imports on demand (`/client-live-<hash>.js`,
// the WebSocket part), and @herald/inbox, the <herald-inbox> element, at `/inbox.js` (one file,
// the client inside). Module scripts load with CORS, so any origin may read them; they hold no
// secret.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

const BUILDS = {
  client: new URL('../../packages/client/dist/', import.meta.url),
  inbox: new URL('../../packages/inbox/dist/', import.meta.url),
};
const FILE = /^\/((client)(?:-[\w-]+)?\.js|(inbox)\.js)$/;
/** Entry files, whose names stay the same from one build to the next. */
const ENTRIES = new Set(['client.js', 'inbox.js']);

const headers = {
  'content-type': 'text/javascript; charset=utf-8',
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
};

type Route = (app: unknown, req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The route for a path of the client's build, or undefined when the path names none. */
export function clientScriptRoute(path: string): Route | undefined {
  const match = FILE.exec(path);
  const name = match?.[1];
  const pkg = (match?.[2] ?? match?.[3]) as keyof typeof BUILDS | undefined;
  if (!name || !pkg) return undefined;
  return async (_app, req, res) => {
    const body = await readFile(new URL(name, BUILDS[pkg])).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        ENTRIES.has(name)
          ? `@herald/${pkg} is not built: run \`npm install\` (or \`npm run build -w @herald/${pkg}\`).\n`
          : '',
      );
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    // Chunk names carry their content's hash and never change; entries are revalidated after a few minutes.
    const caching = ENTRIES.has(name) ? 'public, max-age=300' : 'public, max-age=31536000, immutable';
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
