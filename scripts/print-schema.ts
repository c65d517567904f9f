// Writes the GraphQL schema to schema/schema.graphql (test/schema.test.ts fails when stale).
import { writeFile } from 'node:fs/promises';
import { printedSchema, schemaFile } from '../src/schema/print.ts';

await writeFile(schemaFile, printedSchema());
console.log('Wrote schema/schema.graphql');
