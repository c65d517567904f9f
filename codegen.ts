import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations for the tests, the example client, the command line and the MCP tools, from the printed schema.
const output = {
  plugins: ['typescript-operations', 'typed-document-node'],
  config: {
    enumsAsTypes: true,
    useTypeImports: true,
    avoidOptionals: { field: true, inputValue: false },
    scalars: { DateTime: 'string', ID: 'string' },
  },
};

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  silent: true,
  generates: {
    'test/generated/graphql.ts': { documents: 'test/operations/**/*.graphql', ...output },
    'examples/generated/graphql.ts': { documents: 'examples/operations/**/*.graphql', ...output },
    // @herald/client sends the text of an operation as it is: documents as strings
    // (TypedDocumentString), so that a page needs no GraphQL printer.
    'test/client/generated/graphql.ts': {
      documents: 'test/client/operations/**/*.graphql',
      ...output,
      config: { ...output.config, documentMode: 'string' },
    },
    // The console sends its operations through @herald/client too.
    'packages/console/src/generated/graphql.ts': {
      documents: 'packages/console/src/operations/**/*.graphql',
      ...output,
      config: { ...output.config, documentMode: 'string' },
    },
    // The command line sends its operations through @herald/client, as strings too.
    'packages/cli/src/generated/graphql.ts': {
      documents: 'packages/cli/operations/**/*.graphql',
      ...output,
      config: { ...output.config, documentMode: 'string' },
    },
    // The MCP tools send theirs as text through whichever transport the server is given.
    'packages/mcp/src/generated/graphql.ts': {
      documents: 'packages/mcp/operations/**/*.graphql',
      ...output,
      config: { ...output.config, documentMode: 'string' },
    },
    // The <herald-inbox> element's operations, as strings for the same reason.
    'packages/inbox/src/generated/graphql.ts': {
      documents: 'packages/inbox/operations/**/*.graphql',
      ...output,
      config: { ...output.config, documentMode: 'string' },
    },
  },
};

export default config;
