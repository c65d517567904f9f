// Builds the workspace packages (packages/*) that have a `build` script, each after the
// @herald packages it depends on: the inbox element bundles the client, the console bundles
// both, so alphabetical order would build them too early.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Manifest {
  name: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const packagesDir = fileURLToPath(new URL('../packages', import.meta.url));
const manifests = new Map<string, Manifest>();
for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  try {
    const manifest = JSON.parse(readFileSync(path.join(packagesDir, entry.name, 'package.json'), 'utf8')) as Manifest;
    manifests.set(manifest.name, manifest);
  } catch {
    // A folder without a package.json is not a workspace.
  }
}

const order: string[] = [];
const state = new Map<string, 'visiting' | 'done'>();
function visit(name: string, trail: string[]): void {
  if (state.get(name) === 'done') return;
  if (state.get(name) === 'visiting')
    throw new Error(`workspace packages depend on each other in a cycle: ${[...trail, name].join(' → ')}`);
  state.set(name, 'visiting');
  const manifest = manifests.get(name) as Manifest;
  const deps = { ...manifest.dependencies, ...manifest.devDependencies, ...manifest.peerDependencies };
  for (const dep of Object.keys(deps).sort()) if (manifests.has(dep)) visit(dep, [...trail, name]);
  state.set(name, 'done');
  order.push(name);
}
for (const name of [...manifests.keys()].sort()) visit(name, []);

const only = process.argv.slice(2);
for (const name of order) {
  if (!manifests.get(name)?.scripts?.build) continue;
  if (only.length > 0 && !only.includes(name)) continue;
  execFileSync('npm', ['run', '-s', '-w', name, 'build'], { stdio: 'inherit' });
}
