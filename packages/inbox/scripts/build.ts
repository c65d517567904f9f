// Builds @herald/inbox: one ES module (what Herald serves at /inbox.js and what the package
// exports) holding the element, @herald/client and its graphql-ws client, so that a page loads
// one file. Prints the size a page pays (minified and gzipped) and fails above the budget.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const KB = 1024;
const BUDGET = 25 * KB;

await rm(dist, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { inbox: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  // No chunks: the client's WebSocket part, which it imports on demand, is inlined.
  splitting: false,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  minify: true,
  mainFields: ['module', 'main'],
  conditions: ['import', 'browser'],
  write: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const contents = await readFile(path.join(dist, 'inbox.js'));
const gzip = gzipSync(contents, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;
console.log(
  `@herald/inbox inbox.js: ${kb(contents.length)} min, ${kb(gzip)} min+gzip with graphql-ws (budget ${kb(BUDGET)})`,
);
if (gzip > BUDGET) {
  console.error('@herald/inbox is over its size budget: make it smaller, or argue for a new budget in the docs.');
  process.exit(1);
}

// Declarations, from the same sources.
execFileSync(process.execPath, [path.join(root, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});
const types = path.join(dist, 'types');
for (const file of await readdir(types, { recursive: true })) {
  if (!file.endsWith('.d.ts')) continue;
  const text = await readFile(path.join(types, file), 'utf8');
  await writeFile(path.join(types, file), text.replace(/(from\s+'\.\.?\/[\w/-]+)\.ts'/g, "$1.js'"));
}
