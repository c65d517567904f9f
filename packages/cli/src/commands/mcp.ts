// herald mcp: Herald's tools for a desktop agent, over MCP on stdin and stdout. It acts as
// the service account of the API token (or OAuth access token) it is given, with exactly its
// scopes; a person's sign-in is refused.
import type { GraphQLAnswer } from '@herald/mcp';
import type { Command } from 'commander';
import { act, examples } from '../command.ts';
import { CLIENT_NAME } from '../connection.ts';
import { usageError } from '../errors.ts';
import { identify } from '../identity.ts';

/** The MCP client's name as an HTTP header can carry it (printable ASCII, 64 characters). */
export const headerName = (name: string | null) => {
  const printable = (name ?? '')
    .replace(/[^\x20-\x7E]/g, '?')
    .trim()
    .slice(0, 64);
  return printable || `${CLIENT_NAME} mcp`;
};

export function registerMcp(program: Command) {
  program
    .command('mcp')
    .description('Serve Herald’s tools to an AI agent over MCP on stdin/stdout, as the service account of an API token')
    .addHelpText(
      'after',
      `${examples(
        'HERALD_URL=https://herald.example.com HERALD_TOKEN=hld_… herald mcp',
        'herald --profile agent mcp          # after: herald --profile agent login --token hld_…',
      )}
An agent starts it as its MCP server, e.g. in its configuration:
  { "mcpServers": { "herald": { "command": "npx", "args": ["herald", "mcp"],
      "env": { "HERALD_URL": "https://herald.example.com", "HERALD_TOKEN": "hld_…" } } } }
`,
    )
    .action(
      act(async ({ herald }) => {
        const { credential } = herald;
        if (credential.kind !== 'token') {
          throw usageError(
            'herald mcp acts as a service account: set HERALD_TOKEN, or `herald login --token hld_…` (a person’s sign-in is not used).',
          );
        }
        // Loaded here only: every other command starts faster without the MCP SDK.
        const [{ createHeraldMcpServer }, { StdioServerTransport }] = await Promise.all([
          import('@herald/mcp'),
          import('@modelcontextprotocol/sdk/server/stdio.js'),
        ]);
        const { scopes } = await identify(herald);
        const execute = async (query: string, variables: unknown, client: string | null): Promise<GraphQLAnswer> => {
          const response = await fetch(`${herald.url}/graphql`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json',
              authorization: `Bearer ${credential.token}`,
              'x-herald-client': headerName(client),
              ...(herald.product ? { 'x-product-slug': herald.product } : {}),
            },
            body: JSON.stringify({ query, variables }),
          });
          return (await response.json()) as GraphQLAnswer;
        };
        const server = createHeraldMcpServer({ scopes, execute });
        const closed = new Promise<void>((resolve) => {
          server.onclose = resolve;
          process.stdin.once('end', () => void server.close());
        });
        await server.connect(new StdioServerTransport());
        await closed;
      }),
    );
}
