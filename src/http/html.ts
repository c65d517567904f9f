// HTML answers of the plain routes. Pages carry no script and one stylesheet, allowed by its
// hash, so the Content-Security-Policy can forbid everything else: even a bug in escaping
// could not run anything. The headers every page carries are added on the way out
// (page-headers.ts).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { contentSecurityPolicy } from './page-headers.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}' +
  'pre{background:#f6f8fa;padding:1rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}' +
  'code{background:#f6f8fa;padding:0 .2em}.note{color:#59636e;font-size:.875rem}';

const CONTENT_SECURITY_POLICY = contentSecurityPolicy({
  'style-src': `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
});

export interface Page {
  lang: string;
  title: string;
  /** Markup, everything in it already escaped. */
  body: string;
}

export function htmlPage(res: ServerResponse, status: number, page: Page, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    ...headers,
  });
  res.end(`<!doctype html>
<html lang="${escapeHtml(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Herald</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(page.title)}</h1>
${page.body}
</main>
</body>
</html>
`);
}
