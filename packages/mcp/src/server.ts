// An MCP server of Herald's tools for one credential: the tools its scopes allow are listed;
// calling another one, or one with arguments its schema refuses, answers a JSON-RPC error
// that says why. Each call is one GraphQL operation sent with the caller's credential, so
// Herald's limits and audit log apply to it as to any request.
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { covers } from './scopes.ts';
import { type Request, TOOLS, type Tool } from './tools.ts';

export const SERVER_NAME = 'herald';
export const SERVER_VERSION = '0.1.0';

export interface GraphQLError {
  message: string;
  extensions?: Record<string, unknown>;
}

export interface GraphQLAnswer {
  data?: unknown;
  errors?: readonly GraphQLError[];
}

export interface HeraldMcpOptions {
  /** The credential's effective scopes (an API token's, or an OAuth access token's). */
  scopes: readonly string[];
  /**
   * Sends one GraphQL operation with the caller's credential. `client` is the MCP client's
   * name (its clientInfo.name), for the `X-Herald-Client` header and so the audit log.
   */
  execute(query: string, variables: unknown, client: string | null): Promise<GraphQLAnswer>;
  /** The MCP client's name where the transport knows it without an initialize (stateless HTTP). */
  clientName?: string | null;
}

/** The tools a credential with `scopes` may use. */
export const toolsFor = (scopes: readonly string[]): Tool[] => TOOLS.filter((tool) => covers(scopes, tool.scope));

/** A tool as tools/list describes it: JSON Schema of its arguments, read-only hint. */
export function describeTool(tool: Tool) {
  const { $schema: _, ...inputSchema } = z.toJSONSchema(tool.input) as Record<string, unknown>;
  return {
    name: tool.name,
    title: tool.title,
    description: `${tool.description} Needs the scope ${tool.scope}.`,
    inputSchema: { ...inputSchema, type: 'object' as const },
    annotations: { title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: false, openWorldHint: false },
  };
}

class ToolFailure extends Error {
  readonly error: GraphQLError;
  constructor(error: GraphQLError) {
    super(error.message);
    this.error = error;
  }
}

/** A refused call of Herald's: the tool ran, and Herald said no (FORBIDDEN, NOT_FOUND, BAD_USER_INPUT…). */
function failed(error: GraphQLError): CallToolResult {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL';
  const shape = {
    code,
    message: error.message,
    reason: error.extensions?.reason ?? null,
    field: error.extensions?.field ?? null,
    retryAfter: error.extensions?.retryAfter ?? null,
  };
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${error.message}` }],
    structuredContent: { error: shape },
  };
}

export function createHeraldMcpServer(options: HeraldMcpOptions): Server {
  const server = new Server(
    { name: SERVER_NAME, version: SERVER_VERSION, title: 'Herald' },
    {
      capabilities: { tools: {} },
      instructions:
        'Herald’s tools act as one service account of one organization, with exactly its scopes: work items and their SLAs, members, notifications, the audit log, API tokens and webhooks. Ids are UUIDs; lists answer { items, totalCount, hasNextPage, endCursor }.',
    },
  );
  const allowed = toolsFor(options.scopes);

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: allowed.map(describeTool) }));

  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const tool = TOOLS.find((candidate) => candidate.name === params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}.`);
    if (!allowed.includes(tool)) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `The tool ${tool.name} needs the scope ${tool.scope}, which this credential does not hold.`,
        { code: 'FORBIDDEN', reason: 'MISSING_SCOPE', requiredScope: tool.scope },
      );
    }
    const parsed = tool.input.safeParse(params.arguments ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      throw new McpError(
        ErrorCode.InvalidParams,
        `Invalid arguments for tool ${tool.name}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
        { issues },
      );
    }
    const client = options.clientName ?? server.getClientVersion()?.name ?? null;
    const request: Request = async (document, variables) => {
      const answer = await options.execute(document.toString(), variables, client);
      const [first] = answer.errors ?? [];
      if (first) throw new ToolFailure(first);
      return answer.data as never;
    };
    try {
      const result = (await tool.run(request, parsed.data)) as Record<string, unknown>;
      return { content: [{ type: 'text', text: JSON.stringify(result, null, 2) }], structuredContent: result };
    } catch (error) {
      if (error instanceof ToolFailure) return failed(error.error);
      throw error;
    }
  });

  return server;
}
