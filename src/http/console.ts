// The admin console (packages/console, built at install) at /console: the same page for every
// path under it, since the console routes in the browser, and its hashed assets under
// /console/assets/. Nothing comes from elsewhere, and the page's Content-Security-Policy runs
// only the console's own script and stylesheet: no inline script or style, no other origin,
// and no HTML written from strings (Trusted Types).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf, requestedLocale } from '../graphql/context.ts';
import { translate } from '../i18n/messages.ts';
import { escapeHtml } from './html.ts';
import { contentSecurityPolicy } from './page-headers.ts';

export const CONSOLE_PATH = '/console';
const BUILD = new URL('../../packages/console/dist/', import.meta.url);
const ASSET = /^\/console\/assets\/([\w-]+\.(?:js|css))$/;

const POLICY = contentSecurityPolicy({
  'script-src': "'self'",
  'style-src': "'self'",
  'connect-src': "'self'",
  'img-src': "'self'",
  'require-trusted-types-for': "'script'",
  'trusted-types': "'none'",
});

type Route = (app: unknown, req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Manifest {
  script: string;
  style: string;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

function notBuilt(res: ServerResponse) {
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end('The console is not built: run `npm install` (or `npm run build -w @herald/console`).\n');
}

/** An asset of the build: its name carries its content's hash, so it never changes. */
const asset =
  (name: string): Route =>
  async (_app, req, res) => {
    const body = await readFile(new URL(`assets/${name}`, BUILD)).catch(() => null);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end();
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    const common = {
      'content-type': TYPES[name.split('.').pop() as string] as string,
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
      'cross-origin-resource-policy': 'same-origin',
      etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common);
      res.end();
      return;
    }
    res.writeHead(200, { ...common, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

/** The page, in the language the browser asks for (the console may switch it later). */
const page: Route = async (_app, req, res) => {
  const manifest = await readFile(new URL('manifest.json', BUILD), 'utf8')
    .then((text) => JSON.parse(text) as Manifest)
    .catch(() => null);
  if (!manifest) return notBuilt(res);
  const url = req.url ?? CONSOLE_PATH;
  const locale = requestedLocale({ url, headers: headersOf(req) }) ?? 'en';
  const body = `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(translate(locale, 'consoleTitle'))}</title>
<link rel="stylesheet" href="${CONSOLE_PATH}/assets/${escapeHtml(manifest.style)}">
<script type="module" src="${CONSOLE_PATH}/assets/${escapeHtml(manifest.script)}"></script>
</head>
<body>
<div id="app"></div>
<noscript>${escapeHtml(translate(locale, 'consoleNeedsScript'))}</noscript>
</body>
</html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': POLICY,
    // The page's address may carry an emailed token (password reset, invitation).
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
    'content-language': locale,
    'x-robots-tag': 'noindex',
    vary: 'accept-language',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
};

/** The route for a path under /console, or undefined for any other path. */
export function consoleRoute(path: string): Route | undefined {
  if (path !== CONSOLE_PATH && !path.startsWith(`${CONSOLE_PATH}/`)) return undefined;
  if (path.startsWith(`${CONSOLE_PATH}/assets/`)) {
    const name = ASSET.exec(path)?.[1];
    return name
      ? asset(name)
      : async (_app, _req, res) => {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
          res.end();
        };
  }
  return page;
}
