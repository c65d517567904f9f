// Links between the pages, to their headings and to files of the repository must resolve, and
// every page of docs/ must be reachable from the README.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, documentationPages, lex, links, ROOT } from './helpers/markdown.ts';

const pages = await documentationPages();
const lexed = new Map(await Promise.all(pages.map(async (page) => [page, await lex(page)] as const)));

const internal = pages.flatMap((page) =>
  links(lexed.get(page) ?? [])
    .filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href))
    .map((href) => [page, href] as const),
);

describe('documentation links', () => {
  it.each(internal)('%s → %s resolves', async (page, href) => {
    const [target = '', anchor] = href.split('#');
    const file = target === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
    expect(existsSync(path.join(ROOT, file)), `${file} does not exist`).toBe(true);
    if (anchor === undefined) return;
    const tokens = lexed.get(file) ?? (await lex(file));
    expect([...anchors(tokens)], `${file} has no heading #${anchor}`).toContain(decodeURIComponent(anchor));
  });

  it('reaches every page of docs/ from the README', () => {
    const reached = new Set(['README.md']);
    const queue = ['README.md'];
    while (queue.length > 0) {
      const page = queue.shift() as string;
      for (const href of links(lexed.get(page) ?? [])) {
        const target = href.split('#')[0] ?? '';
        if (!target.endsWith('.md') || /^[a-z]+:/i.test(target)) continue;
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(page), target));
        if (!reached.has(file) && lexed.has(file)) {
          reached.add(file);
          queue.push(file);
        }
      }
    }
    expect(pages.filter((page) => !reached.has(page))).toEqual([]);
  });
});
