// MCP over Streamable HTTP at /mcp: Herald's tools (@herald/mcp) for an API token or an OAuth
// client-credentials access token, never a person's JWT. Stateless: every POST gets a server
// and a transport of its own, on any instance. The one thing a later request needs from the
// first, the MCP client's name (for the audit log), travels in the session id, signed with
// Herald's signing key. Each tool call is a GraphQL operation run through yoga in this process
// with the caller's credential, so the credential's scopes, limits and audit apply to it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHeraldMcpServer, type GraphQLAnswer } from '@herald/mcp';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { GraphQLError } from 'graphql';
import { jwtVerify, SignJWT } from 'jose';
import { createContext, headersOf, requestedLocale } from '../graphql/context.ts';
import type { App } from '../platform/app.ts';
import { asClient, clientName } from '../platform/audit.ts';
import { AppError, httpHeadersOf } from '../platform/errors.ts';
import { presentError } from './present-errors.ts';
import { type createGraphQLHandler, GRAPHQL_PATH } from './yoga.ts';

export const MCP_PATH = '/mcp';
const SESSION_TYPE = 'herald-mcp-session+jwt';
const SESSION_AUDIENCE = 'herald-mcp';

type Yoga = ReturnType<typeof createGraphQLHandler>;

/** A JSON-RPC error answer with the HTTP status it needs. */
function refuse(res: ServerResponse, status: number, code: number, message: string, data?: unknown, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(data ? { data } : {}) }, id: null }));
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isInitialize = (message: unknown): message is { params?: { clientInfo?: { name?: unknown } } } =>
  typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'initialize';

/** A session id that carries the MCP client's name, signed so that any instance can trust it. */
async function sessionIdFor(app: App, client: string | null): Promise<string> {
  return new SignJWT({ client })
    .setProtectedHeader({ alg: 'ES256', kid: app.jwt.keys.kid, typ: SESSION_TYPE })
    .setIssuer(app.jwt.issuer)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .sign(app.jwt.keys.privateKey);
}

/** The client name a session id carries; null for one Herald did not sign. */
async function clientOfSession(app: App, sessionId: string | null): Promise<string | null> {
  if (!sessionId) return null;
  try {
    const { payload } = await jwtVerify(
      sessionId,
      async (header) => {
        const key = header.kid ? app.jwt.keys.verificationKey(header.kid) : undefined;
        if (!key) throw new Error('unknown key');
        return key;
      },
      { algorithms: ['ES256'], typ: SESSION_TYPE, audience: SESSION_AUDIENCE, issuer: app.jwt.issuer },
    );
    return typeof payload.client === 'string' ? clientName(payload.client) : null;
  } catch {
    return null;
  }
}

/** Headers of the MCP request that the GraphQL operations of its tool calls keep. */
const FORWARDED = ['authorization', 'x-forwarded-for', 'x-product-slug', 'accept-language', 'x-request-id'];

export function createMcpHandler(app: App, yoga: Yoga) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') {
      // No server-to-client stream and no session to end: every answer comes with its request.
      return refuse(res, 405, -32000, 'Method not allowed: MCP at /mcp is stateless, POST only.', undefined, {
        allow: 'POST',
      });
    }
    const headers = headersOf(req);
    const locale = requestedLocale({ url: req.url ?? '/', headers }) ?? 'en';
    const unauthorized = (error: AppError) => {
      const presented = presentError(error, locale, '', app.logger);
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 401;
      return refuse(res, status, -32001, presented.message, presented.extensions, {
        ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
        ...httpHeadersOf(error),
      });
    };
    let context: Awaited<ReturnType<typeof createContext>>;
    try {
      context = await createContext(app, { url: req.url ?? '/', headers, remoteAddress: req.socket.remoteAddress });
    } catch (error) {
      if (error instanceof AppError) return unauthorized(error);
      if (error instanceof GraphQLError) return refuse(res, 503, -32603, error.message);
      throw error;
    }
    const { principal } = context;
    if (!principal) return unauthorized(new AppError('UNAUTHENTICATED', 'mcpNeedsCredential'));
    if (principal.kind === 'user') {
      return unauthorized(
        new AppError('UNAUTHENTICATED', 'mcpNeedsMachineCredential', { extensions: { reason: 'INVALID_CREDENTIAL' } }),
      );
    }

    const text = await readBody(req, app.config.MAX_REQUEST_BODY_BYTES);
    if (text === null) return refuse(res, 413, -32600, 'Request body too large.');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse(res, 400, -32700, 'Parse error: the body is not JSON.');
    }
    const initialize = (Array.isArray(body) ? body : [body]).find(isInitialize);
    const client = initialize
      ? clientName(typeof initialize.params?.clientInfo?.name === 'string' ? initialize.params.clientInfo.name : null)
      : await clientOfSession(app, headers.get('mcp-session-id'));
    const sessionId = initialize ? await sessionIdFor(app, client) : undefined;

    const forwarded = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
    for (const name of FORWARDED) {
      const value = headers.get(name);
      if (value !== null) forwarded.set(name, value);
    }
    const execute = (query: string, variables: unknown): Promise<GraphQLAnswer> =>
      // The audit log names the MCP client, whatever the request's own header said.
      asClient(client, async () => {
        const response = await yoga.fetch(
          `http://${headers.get('host') ?? 'localhost'}${GRAPHQL_PATH}`,
          { method: 'POST', headers: forwarded, body: JSON.stringify({ query, variables }) },
          { req },
        );
        return (await response.json()) as GraphQLAnswer;
      });

    const server = createHeraldMcpServer({ scopes: principal.scopes, execute, clientName: client });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: sessionId ? () => sessionId : undefined,
      enableJsonResponse: true,
    });
    res.once('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  };
}
