// The scope table of docs/concepts.md is what frontend teams read: it must agree with the schema's
// declarations and the roles' scopes.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { grants, ROLE_SCOPES, type Scope, VALID_SCOPES } from '../src/auth/scopes.ts';
import { OPERATOR_MODULES } from '../src/products/features.ts';
import { schema } from '../src/schema/index.ts';

type Requirement = { scope?: Scope; $all?: { scope?: Scope } };

const page = await readFile(new URL('../docs/concepts.md', import.meta.url), 'utf8');
const rows = new Map(
  [...page.matchAll(/^\| `([a-z_*]+:[a-z_*]+)` \| (.*) \| (.*) \|$/gm)].map((m) => [
    m[1] as string,
    { allows: [...(m[2] as string).matchAll(/`(\w+)`/g)].map((f) => f[1]), heldBy: m[3] as string },
  ]),
);

const scoped = [schema.getQueryType(), schema.getMutationType()].flatMap((type) =>
  Object.values(type?.getFields() ?? {}).flatMap((field) => {
    const requirement = (field.extensions.pothosOptions as { authScopes?: Requirement }).authScopes;
    const scope = requirement?.scope ?? requirement?.$all?.scope;
    return scope ? [[field.name, scope] as const] : [];
  }),
);

describe('the scope table of docs/concepts.md', () => {
  it('has a row for every scope but the wildcards', () => {
    expect([...rows.keys()].sort()).toEqual(VALID_SCOPES.filter((s) => !s.endsWith(':*')).sort());
  });

  it.each(scoped)('lists %s under %s', (field, scope) => {
    expect(rows.get(scope)?.allows).toContain(field);
  });

  it.each([...rows.keys()])('%s names the roles that hold it', (scope) => {
    // Members never hold the operator modules, whatever `read:*` covers.
    const operatorModule = OPERATOR_MODULES.includes(scope.split(':')[1] as string);
    const roles = Object.entries(ROLE_SCOPES)
      .filter(([role, scopes]) => grants(scopes, scope as Scope) && !(operatorModule && role === 'MEMBER'))
      .map(([role]) => role);
    expect(rows.get(scope)?.heldBy.match(/OWNER|ADMIN|MEMBER/g)).toEqual(roles);
  });
});
