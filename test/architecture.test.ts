// The tree shows the architecture, and imports point one way: from the composition root down
// through the HTTP edge, the schema and the request glue, to the domains, then auth, then the
// platform they all stand on. A module may import its own layer or those below, never above,
// and no chain of imports comes back to where it started.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/markdown.ts';

const SRC = path.join(ROOT, 'src');
const DOMAINS = [
  'accounts',
  'members',
  'machine',
  'work',
  'notifications',
  'webhooks',
  'security',
  'organizations',
  'mail',
  'products',
  'limits',
];

/** Top first. */
const LAYERS: { name: string; holds: (module: string) => boolean }[] = [
  { name: 'composition root', holds: (m) => ['main.ts', 'server.ts', 'app.ts'].includes(m) },
  { name: 'HTTP edge', holds: (m) => m.startsWith('http/') },
  { name: 'schema', holds: (m) => m.startsWith('schema/') },
  { name: 'request glue', holds: (m) => m.startsWith('graphql/') },
  { name: 'domains', holds: (m) => DOMAINS.some((domain) => m.startsWith(`${domain}/`)) },
  { name: 'auth', holds: (m) => m.startsWith('auth/') },
  { name: 'platform', holds: (m) => m.startsWith('platform/') },
  { name: 'languages', holds: (m) => m.startsWith('i18n/') },
  { name: 'generated', holds: (m) => m.startsWith('generated/') },
];

function modules(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : modules(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full)] : [];
  });
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Every module's relative imports (type-only ones too: they are dependencies of the design). */
const graph = new Map(
  modules().map((module) => {
    const text = readFileSync(path.join(SRC, module), 'utf8');
    const targets = [...text.matchAll(SPECIFIER)].map((match) =>
      path.posix.normalize(path.posix.join(path.posix.dirname(module), (match[1] ?? match[2]) as string)),
    );
    return [module, targets] as const;
  }),
);

const layerOf = (module: string) => {
  const index = LAYERS.findIndex((layer) => layer.holds(module));
  if (index < 0) throw new Error(`${module} is in no layer: put it in a folder that says what it holds`);
  return index;
};

describe('the layout of src/', () => {
  it('puts every module in a layer, and leaves none loose beside the entry points', () => {
    for (const module of graph.keys()) expect(() => layerOf(module)).not.toThrow();
  });

  it('has imports that only point down (or within a layer)', () => {
    const upward = [...graph].flatMap(([module, targets]) =>
      targets
        .filter((target) => !target.startsWith('generated/') && layerOf(target) < layerOf(module))
        .map((target) => `${module} (${LAYERS[layerOf(module)]?.name}) → ${target} (${LAYERS[layerOf(target)]?.name})`),
    );
    expect(upward).toEqual([]);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (module: string) => {
      state.set(module, 'visiting');
      stack.push(module);
      for (const target of graph.get(module) ?? []) {
        if (state.get(target) === 'visiting') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '));
        else if (!state.has(target) && graph.has(target)) visit(target);
      }
      stack.pop();
      state.set(module, 'done');
    };
    for (const module of graph.keys()) if (!state.has(module)) visit(module);
    expect(cycles).toEqual([]);
  });
});
