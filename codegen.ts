import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed operations for the tests and the example client, from the printed schema.
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
  },
};

export default config;
