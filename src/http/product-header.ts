// The product a plain endpoint's request names (`X-Product-Slug`), checked before the endpoint
// does anything else, as GraphQL does: malformed 400, unknown 404. Endpoints that take a
// credential compare it with the credential's product themselves (PRODUCT_MISMATCH, 401).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { headersOf } from '../graphql/context.ts';
import { translate } from '../i18n/messages.ts';
import type { App } from '../platform/app.ts';
import type { AppError } from '../platform/errors.ts';
import type { Product } from '../products/catalog.ts';
import { isProductRefusal, namedProduct, PRODUCT_HEADER } from '../products/request-product.ts';
import { json } from './json.ts';

type Route = (app: App, req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** The product the request names, or null; throws the refusal of a bad name. */
export const plainRequestProduct = (app: App, req: IncomingMessage): Promise<Product | null> =>
  namedProduct(app, headersOf(req).get(PRODUCT_HEADER));

/** Answers a refused product name as JSON, with the status the refusal carries. */
export function sendProductRefusal(res: ServerResponse, error: AppError) {
  const http = error.extensions.http as { status: number; headers?: Record<string, string> };
  json(
    res,
    http.status,
    {
      status: 'refused',
      code: error.extensions.code,
      ...(error.extensions.reason ? { reason: error.extensions.reason } : {}),
      ...(error.extensions.field ? { field: error.extensions.field } : {}),
      message: translate('en', error.messageKey, error.params),
    },
    { 'cache-control': 'no-store', ...http.headers },
  );
}

/** The route, behind the check of the product its request names. */
export const checkingProduct =
  (route: Route): Route =>
  async (app, req, res) => {
    try {
      await plainRequestProduct(app, req);
    } catch (error) {
      if (isProductRefusal(error)) return sendProductRefusal(res, error);
      throw error;
    }
    return route(app, req, res);
  };
