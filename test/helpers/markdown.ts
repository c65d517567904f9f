// What the documentation tests read from the Markdown pages: the runnable examples (the text a
// reader copies is the text that runs), the links and the headings they point to.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** README.md and every page of docs/, as paths relative to the repository root. */
export async function documentationPages(): Promise<string[]> {
  const docs = (await readdir(path.join(ROOT, 'docs'))).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

export async function lex(page: string): Promise<Token[]> {
  return marked.lexer(await readFile(path.join(ROOT, page), 'utf8'));
}

export interface Example {
  page: string;
  /** 1-based position among the page's runnable examples. */
  index: number;
  code: string;
  /** The block keeps running (a listener) while the following ones run. */
  background: boolean;
  /** The block's standard output must match this. */
  expect?: RegExp;
  /** A background block is ready once its output matches this. */
  until?: RegExp;
}

const MARKER = /^<!--\s*runnable\b(.*?)-->\s*$/s;

function option(options: string, name: string): RegExp | undefined {
  const match = options.match(new RegExp(`\\b${name}="((?:[^"\\\\]|\\\\.)*)"`));
  return match ? new RegExp((match[1] as string).replaceAll('\\"', '"'), 'm') : undefined;
}

/** The fenced `sh` blocks of a page marked `<!-- runnable … -->` on the line before them. */
export function runnableExamples(page: string, tokens: Token[]): Example[] {
  const examples: Example[] = [];
  let marker: string | undefined;
  for (const token of tokens) {
    if (token.type === 'space') continue;
    if (token.type === 'code' && marker !== undefined) {
      const code = token as Tokens.Code;
      if (code.lang !== 'sh') throw new Error(`${page}: a runnable example must be a \`\`\`sh block`);
      examples.push({
        page,
        index: examples.length + 1,
        code: code.text,
        background: /\bbackground\b/.test(marker),
        expect: option(marker, 'expect'),
        until: option(marker, 'until'),
      });
    }
    const html = token.type === 'html' ? (token as Tokens.HTML).text.trim().match(MARKER) : null;
    marker = html ? (html[1] as string) : undefined;
  }
  return examples;
}

/** Every link and image target of a page, wherever it stands (tables and lists included). */
export function links(tokens: Token[]): string[] {
  const found: string[] = [];
  marked.walkTokens(tokens, (token) => {
    if (token.type === 'link' || token.type === 'image') found.push((token as Tokens.Link).href);
  });
  return found;
}

/** The anchors GitHub gives a page's headings. */
export function anchors(tokens: Token[]): Set<string> {
  const slugger = new GithubSlugger();
  const slugs = new Set<string>();
  for (const token of tokens) {
    if (token.type === 'heading') slugs.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
  }
  return slugs;
}

function plainText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      if ('tokens' in token && token.tokens) return plainText(token.tokens);
      return 'text' in token ? String(token.text) : '';
    })
    .join('');
}
