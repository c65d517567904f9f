// Building a PGlite database (initdb, then the migrations) takes seconds; copying a ready
// one takes a fraction of that. This builds the template once per migration set and
// hands its path to the test files.
import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { TestProject } from 'vitest/node';
import { applyMigrations, readMigrations } from '../src/platform/database/migrations.ts';
import { assertRequiredServices } from './helpers/requirements.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string | null;
  }
}

async function buildTemplate(): Promise<string> {
  const migrations = await readMigrations();
  const hash = createHash('sha256').update(JSON.stringify(migrations.migrationDirectories)).digest('hex').slice(0, 16);
  const target = path.join(tmpdir(), `herald-pglite-template-${hash}`);
  if (await stat(target).catch(() => null)) return target;

  const building = await mkdtemp(path.join(tmpdir(), 'herald-pglite-building-'));
  const pglite = await PGlite.create(building);
  await applyMigrations(new PrismaPGlite(pglite));
  await pglite.close();
  // Another run may have finished first; either copy is as good.
  await rename(building, target).catch(() => rm(building, { recursive: true, force: true }));
  return target;
}

export default async function setup(project: TestProject) {
  // A run that must have a service fails at once without it, before any file runs.
  assertRequiredServices();
  // Built in both modes: tests that start the real process use the embedded database either way.
  project.provide('pgliteTemplate', await buildTemplate());
}
