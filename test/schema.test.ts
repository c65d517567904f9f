import { readFile } from 'node:fs/promises';
import { type GraphQLObjectType, getNamedType, isNonNullType, isObjectType } from 'graphql';
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

  const mutations = Object.values(schema.getMutationType()?.getFields() ?? {}).filter((field) => field.args.length > 0);

  // Each mutation's input can grow on its own, and generated client types read as the mutation.
  it.each(mutations.map((field) => [field.name, field] as const))(
    '%s takes one `input: <Mutation>Input!` of its own',
    (name, field) => {
      expect(field.args.map((arg) => [arg.name, isNonNullType(arg.type)])).toEqual([['input', true]]);
      expect(getNamedType(field.args[0]?.type)?.name).toBe(`${name[0]?.toUpperCase()}${name.slice(1)}Input`);
    },
  );

  const connections = Object.values(schema.getQueryType()?.getFields() ?? {}).filter((field) =>
    getNamedType(field.type).name.endsWith('Connection'),
  );

  it('has connections to check', () => {
    expect(connections.map((field) => field.name).sort()).toEqual(
      [
        'apiTokens',
        'auditEvents',
        'invitations',
        'members',
        'notifications',
        'oauthClients',
        'productOrganizations',
        'publishedNotifications',
        'serviceAccounts',
        'webhookDeliveries',
        'webhookEndpoints',
        'workItems',
      ].sort(),
    );
  });

  // Named after the node, not the field (`WorkItemConnection`, not `QueryWorkItemsConnection`).
  it.each(connections.map((field) => [field.name, field] as const))(
    '%s is a <Node>Connection of <Node>Edge with totalCount',
    (_name, field) => {
      const connection = getNamedType(field.type) as GraphQLObjectType;
      const edge = getNamedType(connection.getFields().edges?.type) as GraphQLObjectType;
      const node = getNamedType(edge.getFields().node?.type)?.name;
      expect([connection.name, edge.name]).toEqual([`${node}Connection`, `${node}Edge`]);
      expect(String(connection.getFields().totalCount?.type)).toBe('Int!');
    },
  );
});
