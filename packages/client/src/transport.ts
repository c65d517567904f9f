import { clientError, type GraphQLErrorShape, networkError } from './errors.ts';

export interface Answer {
  data?: unknown;
  errors?: GraphQLErrorShape[];
  /** The Retry-After header, for a RATE_LIMITED answer whose error carries none. */
  retryAfter: string | null;
}

export interface TransportOptions {
  /** Herald's GraphQL endpoint. */
  endpoint: string;
  product?: string;
  locale?: string;
  fetch: typeof fetch;
}

export type Post = (query: string, variables: unknown, token: string | null) => Promise<Answer>;

/** Where Herald's GraphQL endpoint is, from the address of Herald (or of the endpoint itself). */
export const graphqlEndpoint = (url: string) => {
  const base = url.replace(/\/+$/, '');
  return base.endsWith('/graphql') ? base : `${base}/graphql`;
};

/**
 * One operation over HTTP. Only the headers a preflight allows are sent (content-type,
 * authorization, accept-language, x-product-slug), and no cookies: Herald uses none.
 */
export function createTransport(options: TransportOptions): Post {
  const { endpoint, product, locale } = options;
  return async (query, variables, token) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (locale) headers['accept-language'] = locale;
    if (product) headers['x-product-slug'] = product;
    let response: Response;
    try {
      response = await options.fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables: variables ?? {} }),
        credentials: 'omit',
      });
    } catch (error) {
      throw networkError(locale, error);
    }
    const retryAfter = response.headers.get('retry-after');
    const body = (await response.json().catch(() => null)) as Omit<Answer, 'retryAfter'> | null;
    if (body && typeof body === 'object' && ('data' in body || 'errors' in body)) return { ...body, retryAfter };
    const code = response.status === 429 ? 'RATE_LIMITED' : response.status === 503 ? 'UNAVAILABLE' : 'INTERNAL';
    throw clientError(locale, code, 'badAnswer', {
      params: { status: response.status },
      retryAfter: retryAfter === null ? null : Number(retryAfter),
    });
  };
}
