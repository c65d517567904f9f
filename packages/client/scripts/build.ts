// Builds @herald/client: one ES module for browsers and Node (what Herald serves at /client.js
// and what the package exports), the WebSocket part as a chunk of its own that the first
// `subscribe` imports, and the type declarations. It prints the sizes a page pays (minified and
// gzipped) and fails when they exceed the budget.
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const KB = 1024;
const BUDGET = { core: 8 * KB, withLive: 20 * KB };

await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { client: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4', 'node24'],
  minify: true,
  chunkNames: 'client-[name]-[hash]',
  mainFields: ['module', 'main'],
  conditions: ['import', 'browser'],
  metafile: true,
  write: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const outputs = (result.metafile as Metafile).outputs;
const sizes = new Map<string, { min: number; gzip: number }>();
for (const file of Object.keys(outputs)) {
  const contents = await readFile(path.join(root, file));
  sizes.set(file, { min: contents.length, gzip: gzipSync(contents, { level: 9 }).length });
}

/** The entry and what it imports statically: what a page loads before any `subscribe`. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file);
  for (const imported of outputs[file]?.imports ?? []) {
    if (imported.kind === 'import-statement' && !seen.has(imported.path)) staticClosure(imported.path, seen);
  }
  return seen;
}
const sum = (files: Iterable<string>) => {
  let total = 0;
  for (const file of files) total += sizes.get(file)?.gzip ?? 0;
  return total;
};
const core = sum(staticClosure('dist/client.js'));
const withLive = sum(sizes.keys());
const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;
for (const [file, size] of sizes) {
  console.log(
    `@herald/client ${path.basename(file).padEnd(28)} ${kb(size.min).padStart(9)} min ${kb(size.gzip).padStart(8)} min+gzip`,
  );
}
console.log(`@herald/client without the WebSocket part: ${kb(core)} min+gzip (budget ${kb(BUDGET.core)})`);
console.log(`@herald/client with the WebSocket part:    ${kb(withLive)} min+gzip (budget ${kb(BUDGET.withLive)})`);
if (core > BUDGET.core || withLive > BUDGET.withLive) {
  console.error('@herald/client is over its size budget: make it smaller, or argue for a new budget in the docs.');
  process.exit(1);
}

// Declarations, from the same sources.
execFileSync(process.execPath, [path.join(root, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});
// The declarations name their siblings as the sources do (`./client.ts`); consumers resolve `.js`.
const types = path.join(dist, 'types');
for (const file of await readdir(types)) {
  const text = await readFile(path.join(types, file), 'utf8');
  await writeFile(path.join(types, file), text.replace(/(from\s+'\.\/[\w-]+)\.ts'/g, "$1.js'"));
}
