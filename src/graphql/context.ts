import type { IncomingMessage } from 'node:http';
import { authenticate, bearer, type Principal } from '../auth/principal.ts';
import type { SessionEnd } from '../auth/session-watch.ts';
import { isLocale, type Locale, negotiateLocale } from '../i18n/messages.ts';
import type { App } from '../platform/app.ts';
import { clientAddress, NO_TRUSTED_PROXY } from '../platform/client-address.ts';
import { newRequestId } from '../platform/request-id.ts';
import type { Product } from '../products/catalog.ts';
import { credentialStanding, limitedToFeatures, namedProduct, PRODUCT_HEADER } from '../products/request-product.ts';
import type { Standing } from '../products/standing.ts';

export type { Principal };

export interface Context {
  app: App;
  principal: Principal | null;
  ip: string;
  requestId: string;
  /** The product the request is for: the credential's, else the one it names, else the default. */
  product: Product;
  /** The product the request named itself, if any (a refresh token must belong to it). */
  productNamed: Product | null;
  /** The standing of the principal's organization, as read for this request (its limits among it). */
  standing?: Standing;
  /** The language the request asked for (`?locale=`, then Accept-Language), if any. */
  requestedLocale?: Locale;
  /** Set on WebSocket operations: the socket, which watches its session for all of them. */
  connection?: LiveConnection;
}

/** A connection that carries several operations and ends them all when its session ends. */
export interface LiveConnection {
  /** Ends every operation that asked to hear it, then the connection itself. */
  end(why: SessionEnd): void;
  /** Calls `listener` when the connection's session ends; answers a function that stops listening. */
  onEnd(listener: (why: SessionEnd) => void): () => void;
}

export interface RequestFacts {
  url: string;
  headers: { get(name: string): string | null };
  /** The socket's peer address. */
  remoteAddress?: string;
  /** A credential that arrived outside the Authorization header (a WebSocket `?token=`). */
  credential?: string | null;
  /** A product named outside the X-Product-Slug header (a WebSocket's `?product=`), and where. */
  product?: { slug: string; source: string };
}

/** The `headers.get` view of a Node request, as a WHATWG Request offers it. */
export const headersOf = (request: IncomingMessage): RequestFacts['headers'] => ({
  get(name: string) {
    const value = request.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  },
});

/** The client's address, the same way for GraphQL over HTTP and WebSocket, SSE and the plain endpoints. */
export function clientIp(app: App, facts: RequestFacts): string {
  return clientAddress(
    app.config.TRUST_PROXY ?? NO_TRUSTED_PROXY,
    facts.headers.get('x-forwarded-for'),
    facts.remoteAddress,
  );
}

export function requestedLocale(facts: RequestFacts): Locale | undefined {
  // Most requests name no locale in their URL: no URL is parsed for them.
  const fromQuery = facts.url.includes('locale=')
    ? new URL(facts.url, 'http://localhost').searchParams.get('locale')
    : null;
  if (fromQuery && isLocale(fromQuery)) return fromQuery;
  return negotiateLocale(facts.headers.get('accept-language'));
}

/** The product a request names, or null: checked before anything else is done with it. */
export const requestedProduct = (app: App, facts: RequestFacts) =>
  facts.product
    ? namedProduct(app, facts.product.slug, facts.product.source)
    : namedProduct(app, facts.headers.get(PRODUCT_HEADER), PRODUCT_HEADER);

/** The one context factory, for HTTP requests and WebSocket subscriptions alike. */
export async function createContext(app: App, facts: RequestFacts): Promise<Context> {
  const named = await requestedProduct(app, facts);
  const ip = clientIp(app, facts);
  const credential = facts.credential !== undefined ? facts.credential : bearer(facts.headers.get('authorization'));
  let principal = await authenticate(app, credential, ip);
  let product: Product;
  let standing: Standing | undefined;
  if (principal) {
    const credential = await credentialStanding(app, principal.organizationId, named);
    product = credential.product;
    standing = credential.standing;
    // Re-checked on every request: a feature switched off narrows every token at once.
    principal = await limitedToFeatures(app, principal, product, credential.standing);
  } else {
    product = named ?? (await app.products.defaultProduct());
  }
  return {
    app,
    principal,
    product,
    productNamed: named,
    standing,
    ip,
    requestId: facts.headers.get('x-request-id') ?? newRequestId(),
    requestedLocale: requestedLocale(facts),
  };
}

export type NodeServerContext = { req?: IncomingMessage };
