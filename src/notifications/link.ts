// Where a notification points. Frontends render it as a link, so only two forms pass: a
// path inside the product (`/issues/456`) and an absolute http(s) URL. Everything a browser
// could read as another scheme or another host is refused outright rather than cleaned up:
// `javascript:` and friends, `//host`, backslashes (browsers read `/\host` as `//host`),
// whitespace, control and invisible characters (`java\tscript:`), and credentials
// (`https://trusted@evil`).
import { z } from 'zod';

const MAX_LENGTH = 2000;
// Control and invisible format characters (e.g. a right-to-left override that disguises a link).
const FORBIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\s\\]/u;

export function isSafeLink(value: string): boolean {
  if (value.length === 0 || value.length > MAX_LENGTH || FORBIDDEN_CHARACTERS.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//') && URL.canParse(value, 'https://app.invalid');
  if (!/^https?:\/\//i.test(value)) return false;
  const url = URL.parse(value);
  return !!url && url.hostname !== '' && url.username === '' && url.password === '';
}

export const notificationLink = z.string().refine(isSafeLink, { params: { problem: 'link' } });
