// The configuration reference is generated from the schema in src/platform/config.ts: a variable added,
// renamed or given another default there fails here until `npm run docs:config` is run.
import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { PAGE, renderReference, withReference } from '../scripts/docs/configuration.ts';
import { configSchema } from '../src/platform/config.ts';

it('docs/configuration.md holds the reference generated from the configuration schema', async () => {
  const page = await readFile(PAGE, 'utf8');
  expect(page, 'run `npm run docs:config`').toBe(withReference(page, renderReference()));
});

it.each(Object.keys(configSchema.shape))('documents %s', async (name) => {
  const page = await readFile(PAGE, 'utf8');
  expect(page).toContain(`| \`${name}\` |`);
});
