// What /graphql answers to pages of other sites. CORS headers go to allowed origins only
// (product-origins.ts), so that a browser refuses every other page's preflight and lets it read no
// answer. What needs no preflight (a form's POST, a `no-cors` fetch) never reaches an
// operation: a POST body must come in a content type that only a script allowed by CORS can
// send. Yoga's CSRF plugin answers 403 and wants a header on GET queries too, which a
// cross-site GET could not use anyway (it carries no Authorization; mutations over GET are
// refused by yoga).

import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { RATE_LIMIT_HEADERS } from '../platform/rate-limit-headers.ts';
import type { ProductOrigins } from './product-origins.ts';

/**
 * What a page may send to /graphql once its origin is allowed (yoga's `cors` option, function
 * form): a preflight passes for an origin any product allows, a request for an origin its own
 * product allows.
 */
export function corsFor(origins: ProductOrigins) {
  return async (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null) return false as const;
    const allowed =
      request.method === 'OPTIONS'
        ? await origins.anyAllows(origin)
        : origins.allows(origin, await origins.productOf(request.headers));
    if (!allowed) return false as const;
    // One origin in the list: yoga answers exactly it, never another or `null`.
    // A browser's script may read a refusal's wait and where it stands against its limits.
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST'],
      maxAge: 600,
      exposedHeaders: [...RATE_LIMIT_HEADERS],
    };
  };
}

/** Body types that need a preflight, so only a script of an allowed origin can send them. */
const PREFLIGHTED_TYPES = new Set(['application/json', 'application/graphql+json', 'application/graphql']);
/**
 * A multipart upload is a form's content type; a header a form cannot set makes the browser
 * ask first. The names Yoga's and Apollo's upload clients send.
 */
export const UPLOAD_PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'];

/**
 * Whether a POST's Content-Type is one a page of any site can send without asking. A list of
 * types counts as one: a browser takes the last type of `application/json, text/plain` (and
 * sends it without a preflight) where yoga reads the first.
 */
export function isFormContentType(contentType: string | null, headers: Headers): boolean {
  if (contentType === null || contentType.includes(',')) return true;
  const essence = (contentType.split(';')[0] as string).trim().toLowerCase();
  if (PREFLIGHTED_TYPES.has(essence)) return false;
  if (essence === 'multipart/form-data') return !UPLOAD_PREFLIGHT_HEADERS.some((name) => headers.get(name));
  return true;
}

const unsupportedMediaType = (contentType: string | null) =>
  new GraphQLError(
    `POST ${contentType === null ? 'without a Content-Type' : `as ${JSON.stringify(contentType)}`} is refused: send the operation as application/json. Any web page can make a browser send a form's content type (application/x-www-form-urlencoded, multipart/form-data, text/plain) to another site, so ${contentType === null ? 'a body without one' : 'it'} is never run; a multipart upload must carry the header ${UPLOAD_PREFLIGHT_HEADERS[0]}.`,
    { extensions: { http: { status: 415 }, code: 'UNSUPPORTED_MEDIA_TYPE' } },
  );

export function crossSiteRequests(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const contentType = request.headers.get('content-type');
      if (isFormContentType(contentType, request.headers)) throw unsupportedMediaType(contentType);
    },
    onResponse({ response }) {
      // The CORS headers depend on the Origin: caches must keep an answer per origin.
      const vary = response.headers.get('vary');
      if (!vary?.split(',').some((name) => name.trim().toLowerCase() === 'origin'))
        response.headers.append('vary', 'Origin');
    },
  };
}
