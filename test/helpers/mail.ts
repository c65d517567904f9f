import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** Waits for the .eml written for `to` under DATA_DIR/mail and answers its text. */
export async function waitForEmail(dataDir: string, to: string, options: { after?: number; timeoutMs?: number } = {}) {
  const dir = path.join(dataDir, 'mail');
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  const seen = options.after ?? 0;
  while (Date.now() < deadline) {
    const files = (await readdir(dir).catch(() => [] as string[])).sort();
    const matching: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(dir, file), 'utf8');
      if (new RegExp(`^To: ${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'mi').test(text)) matching.push(text);
    }
    if (matching.length > seen) return matching[matching.length - 1] as string;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no email to ${to} within the time limit`);
}

// Quoted-printable may wrap long lines with `=\n`.
const unwrap = (text: string) => text.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

/** The first link in an email, as a person would click it. */
export function linkFromEmail(text: string): string {
  const match = /https?:\/\/\S+/.exec(unwrap(text));
  if (!match) throw new Error('no link in email');
  return match[0];
}

/** The `token=` parameter of the first link in an email. */
export function tokenFromEmail(text: string): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(unwrap(text));
  if (!match) throw new Error('no token in email');
  return match[1] as string;
}

export async function countEmails(dataDir: string, to: string): Promise<number> {
  const dir = path.join(dataDir, 'mail');
  let count = 0;
  for (const file of await readdir(dir).catch(() => [] as string[])) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (text.includes(`To: ${to}`)) count++;
  }
  return count;
}
