// Builds the console: one ES module and one stylesheet under dist/assets/, named by their
// content's hash (Herald serves them as immutable), the chunk of @herald/client's WebSocket
// part that only `subscribe` loads, and dist/manifest.json, which names the entry files for
// the page Herald renders at /console. Prints the sizes a first visit pays and fails above the
// budget; then checks the types.
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const KB = 1024;
/** Scripts and stylesheet of a first signed-in visit (the inbox included), minified and gzipped. */
const BUDGET = 56 * KB;

await rm(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { console: 'src/main.tsx' },
  outdir: 'dist/assets',
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome111', 'firefox111', 'safari16.4'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  metafile: true,
  write: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The inbox element from its sources, so that it shares the console's @herald/client
  // (its published bundle carries a copy of its own).
  alias: { '@herald/inbox': path.join(root, '../inbox/src/index.ts') },
});

const outputs = (result.metafile as Metafile).outputs;
const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint === 'src/main.tsx') as string;
const style = outputs[entry]?.cssBundle;
if (!style) throw new Error('the console built no stylesheet');

const sizes = new Map<string, { min: number; gzip: number }>();
for (const file of Object.keys(outputs)) {
  if (file.endsWith('.map')) continue;
  const contents = await readFile(path.join(root, file));
  sizes.set(file, { min: contents.length, gzip: gzipSync(contents, { level: 9 }).length });
}

/** What a page loads before anything else: the entry, what it imports statically, and the stylesheet. */
function firstVisit(file: string, seen = new Set<string>([style as string])): Set<string> {
  seen.add(file);
  for (const imported of outputs[file]?.imports ?? []) {
    if (imported.kind === 'import-statement' && !seen.has(imported.path)) firstVisit(imported.path, seen);
  }
  return seen;
}
const kb = (bytes: number) => `${(bytes / KB).toFixed(2)} KB`;
for (const [file, size] of sizes) {
  console.log(
    `@herald/console ${path.basename(file).padEnd(28)} ${kb(size.min).padStart(9)} min ${kb(size.gzip).padStart(8)} min+gzip`,
  );
}
const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + (sizes.get(file)?.gzip ?? 0), 0);
/** A file and everything it loads, statically or on demand. */
function everything(file: string, seen: Set<string>): Set<string> {
  seen.add(file);
  for (const imported of outputs[file]?.imports ?? []) {
    if (!seen.has(imported.path) && imported.path in outputs) everything(imported.path, seen);
  }
  return seen;
}
// The sign-in page loads the entry alone. A signed-in page loads, at once, the inbox in its
// header and the client's WebSocket part that the inbox subscribes with: the budget is for that
// visit. The operators' pages are loaded by operators only, when they open one.
const signIn = firstVisit(entry);
const inbox = Object.keys(outputs).find((file) => outputs[file]?.entryPoint?.endsWith('inbox/src/index.ts'));
if (!inbox) throw new Error('the console built no inbox chunk');
const signedIn = new Set([...signIn, ...everything(inbox, new Set())]);
const total = sum(signedIn);
console.log(`@herald/console sign-in page: ${kb(sum(signIn))} min+gzip`);
console.log(`@herald/console first visit signed in: ${kb(total)} min+gzip (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error('@herald/console is over its size budget: make it smaller, or argue for a new budget in the docs.');
  process.exit(1);
}

await writeFile(
  path.join(dist, 'manifest.json'),
  `${JSON.stringify({ script: path.basename(entry), style: path.basename(style) }, null, 2)}\n`,
);

execFileSync(process.execPath, [path.join(root, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
  cwd: root,
  stdio: 'inherit',
});
