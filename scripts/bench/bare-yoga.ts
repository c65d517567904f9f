// The baseline of the request benchmarks: graphql-yoga with nothing of Herald, answering
// { hello } on the same Node and, with BASELINE_DATABASE_URL, { user(id) } with one raw `pg`
// query (the one-row SELECT behind Herald's { me { id } }); and the same again without yoga's
// body-size stream. Prints the ports it listens on.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import pg from 'pg';

const pool = process.env.BASELINE_DATABASE_URL
  ? new pg.Pool({ connectionString: process.env.BASELINE_DATABASE_URL, max: 20 })
  : undefined;
const yoga = (options: { maxRequestBodySize?: false } = {}) =>
  createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello: String, user(id: ID!): ID }',
      resolvers: {
        Query: {
          hello: () => 'hi',
          user: async (_: unknown, { id }: { id: string }) =>
            (await pool?.query<{ id: string }>('SELECT id FROM "User" WHERE id = $1', [id]))?.rows[0]?.id ?? null,
        },
      },
    }),
    logging: false,
    landingPage: false,
    ...options,
  });
const server = createServer(yoga());
// The same without yoga's body-size stream, which Herald replaces (src/http/body-limit.ts).
const lean = createServer(yoga({ maxRequestBodySize: false }));
server.listen(0, '127.0.0.1', () =>
  lean.listen(0, '127.0.0.1', () =>
    console.log(`port ${(server.address() as AddressInfo).port}, lean port ${(lean.address() as AddressInfo).port}`),
  ),
);
