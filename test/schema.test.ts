import { readFile } from 'node:fs/promises';
import { isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { printedSchema, schemaFile } from '../src/schema/print.ts';

describe('schema', () => {
  it('schema/schema.graphql is up to date (npm run schema:print)', async () => {
    expect(await readFile(schemaFile, 'utf8')).toBe(printedSchema());
  });

  const rootFields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
    type && isObjectType(type) ? Object.values(type.getFields()).map((field) => ({ type: type.name, field })) : [],
  );

  it('has root fields to check', () => {
    expect(rootFields.length).toBeGreaterThan(10);
  });

  it.each(rootFields.map(({ type, field }) => [`${type}.${field.name}`, field] as const))(
    '%s declares who may use it (authScopes, or the public marker)',
    (_name, field) => {
      const options = field.extensions?.pothosOptions as { authScopes?: unknown } | undefined;
      expect(
        options?.authScopes,
        'every root field needs authScopes; use { public: true } for open ones',
      ).toBeDefined();
    },
  );
});
