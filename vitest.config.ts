import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS and ESM side by side; Node (and so yoga and Pothos) loads the CJS
    // build, while Vite would pick the ESM one for our sources. Two copies break
    // `instanceof GraphQLError`, so everyone gets the one Node loads.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own server and database; two cores run two files at a time.
    pool: 'forks',
    // Prisma's migration engine is a WebAssembly ES module, which Node 24 loads with an
    // ExperimentalWarning in every process (as the npm scripts, the forks run without it).
    execArgv: ['--disable-warning=ExperimentalWarning'],
    maxWorkers: 2,
  },
});
