// The configuration reference in docs/configuration.md is written from the configuration schema
// in src/platform/config.ts, so that the page cannot drift from the code: `npm run docs:config` rewrites
// it, and a test fails when the page and this output differ.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { configSchema, type Documentation, GROUPS } from '../../src/platform/config.ts';

export const PAGE = fileURLToPath(new URL('../../docs/configuration.md', import.meta.url));
const START = '<!-- generated from src/platform/config.ts by `npm run docs:config`: edit there -->';
const END = '<!-- end of generated reference -->';

type JsonSchema = {
  type?: string;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};

/** What a variable takes, in words, from its schema when its documentation does not say. */
function accepts(field: z.ZodType, documentation: Documentation): string {
  if (documentation.accepts) return documentation.accepts;
  const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  if (json.enum) return json.enum.map((value) => `\`${value}\``).join(', ');
  if (json.type === 'integer') {
    const min = json.exclusiveMinimum !== undefined ? json.exclusiveMinimum + 1 : json.minimum;
    const max = json.maximum !== undefined && json.maximum < Number.MAX_SAFE_INTEGER ? json.maximum : undefined;
    if (min !== undefined && max !== undefined) return `an integer from ${min} to ${max}`;
    if (min !== undefined) return `an integer from ${min}`;
    return 'an integer';
  }
  return 'text';
}

function shown(value: unknown): string {
  return typeof value === 'string' ? `\`${value}\`` : `\`${JSON.stringify(value)}\``;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The generated part of the page: one table per group, in the order of GROUPS. */
export function renderReference(): string {
  const defaults = configSchema.parse({}) as Record<string, unknown>;
  const sections = GROUPS.map((group) => {
    const rows = Object.entries(configSchema.shape).flatMap(([name, field]) => {
      const documentation = field.meta() as Documentation | undefined;
      if (!documentation) throw new Error(`${name} has no documentation in src/platform/config.ts`);
      if (documentation.group !== group) return [];
      const value = defaults[name];
      const unset = value === undefined ? (documentation.unset ?? 'unset') : shown(value);
      return [
        `| \`${name}\` | ${cell(unset)} | ${cell(accepts(field, documentation))} | ${cell(documentation.description)} |`,
      ];
    });
    return [
      `### ${group}`,
      '',
      '| variable | unset means | accepts | what it does |',
      '| --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  });
  return [START, '', ...sections.flatMap((section) => [section, '']), END].join('\n');
}

/** The page with its generated part replaced by `reference`. */
export function withReference(page: string, reference: string): string {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${PAGE} lacks the markers of the generated reference`);
  return page.slice(0, start) + reference + page.slice(end + END.length);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = await readFile(PAGE, 'utf8');
  await writeFile(PAGE, withReference(page, renderReference()));
  console.log(`wrote ${PAGE}`);
}
