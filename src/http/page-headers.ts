// The headers every HTML page Herald serves carries (GraphiQL, the email landing pages, any
// page added later): set here, on the way out of every response, so that no page can forget
// them. A page may not be framed (clickjacking), sniffed into another type, or leak its
// address (which can hold a token) as a referrer; its Content-Security-Policy is its own
// when it sets one, built with `contentSecurityPolicy`, and otherwise allows nothing at all.
import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** What every policy says, whatever the page allows besides: no page may loosen these. */
const FIXED_POLICY: Record<string, string> = {
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
};

/** A policy that allows nothing but `allowed` (directive → sources), and never framing. */
export function contentSecurityPolicy(allowed: Record<string, string> = {}): string {
  return Object.entries({ 'default-src': "'none'", ...allowed, ...FIXED_POLICY })
    .map(([directive, sources]) => `${directive} ${sources}`)
    .join('; ');
}

const PAGE_HEADERS: Record<string, () => string> = {
  'content-security-policy': () => contentSecurityPolicy(),
  'x-frame-options': () => 'DENY',
  'x-content-type-options': () => 'nosniff',
  'referrer-policy': () => 'no-referrer',
};

/** A header's value among those given to writeHead: an object, or a list of names and values. */
function given(headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined, name: string): unknown {
  if (!headers) return undefined;
  if (!Array.isArray(headers)) {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
    return undefined;
  }
  const pairs: unknown[][] = Array.isArray(headers[0])
    ? (headers as unknown as unknown[][])
    : Array.from({ length: headers.length / 2 }, (_, i) => [headers[2 * i], headers[2 * i + 1]]);
  return pairs.find(([key]) => String(key).toLowerCase() === name)?.[1];
}

/**
 * The server's response class (createServer's `ServerResponse` option): when the headers go
 * out, an HTML answer gets the page headers it did not set itself. Node sends every header
 * through writeHead, whether a handler calls it or only writes the body.
 */
export class PageResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override writeHead(
    statusCode: number,
    message?: string | OutgoingHttpHeaders | OutgoingHttpHeader[],
    headers?: OutgoingHttpHeaders | OutgoingHttpHeader[],
  ): this {
    const passed = typeof message === 'string' ? headers : message;
    const type = given(passed, 'content-type') ?? this.getHeader('content-type');
    if (/^\s*text\/html\b/i.test(String(type ?? ''))) {
      for (const [name, value] of Object.entries(PAGE_HEADERS)) {
        if (!this.hasHeader(name) && given(passed, name) === undefined) this.setHeader(name, value());
      }
    }
    return typeof message === 'string'
      ? super.writeHead(statusCode, message, headers)
      : super.writeHead(statusCode, message);
  }
}
