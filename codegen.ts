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
  },
};

export default config;
