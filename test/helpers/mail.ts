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

/** The body of an .eml as a mail program shows it: quoted-printable (wrapped lines, `=3D`) decoded. */
export function emailBody(eml: string): string {
  const end = eml.search(/\r?\n\r?\n/);
  const body = eml.slice(end).trimStart();
  if (!/^content-transfer-encoding:\s*quoted-printable\s*$/im.test(eml.slice(0, end))) return body;
  const bytes = body
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_whole, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** The Subject of an .eml as a mail program shows it: folded lines joined, RFC 2047 encoded words decoded. */
export function emailSubject(eml: string): string {
  const match = /^Subject: (.*(?:\r?\n[ \t].*)*)$/m.exec(eml);
  if (!match) throw new Error('no Subject in email');
  return (match[1] as string)
    .replace(/\?=\r?\n[ \t]+=\?/g, '?==?')
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/=\?([\w-]+)\?([QB])\?([^?]*)\?=/gi, (_whole, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_w, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** The first link in an email, whole, as a person would click it. */
export function linkFromEmail(eml: string): string {
  const match = /https?:\/\/\S+/.exec(emailBody(eml));
  if (!match) throw new Error('no link in email');
  return match[0];
}

/** The `token=` parameter of the first link in an email. */
export function tokenFromEmail(eml: string): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(emailBody(eml));
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
