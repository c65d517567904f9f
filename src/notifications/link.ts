// Where a notification leads. Frontends render it as a link, so only two forms pass: a path
// inside the product (`/issues/456?tab=1#c2`) and an absolute http(s) URL. Anything a browser
// could read as another scheme or another host is refused rather than cleaned up, because
// browsers are lenient: they drop tabs and newlines inside URLs (`java\tscript:`), trim
// leading spaces and control characters, treat `\` like `/` (`/\evil.com` is `//evil.com`),
// and take `https://trusted@evil` to `evil`.
import { z } from 'zod';

const MAX_LENGTH = 2000;
// Control characters, invisible format characters (a right-to-left override disguises a
// link), any whitespace, and backslashes.
const FORBIDDEN = /[\p{Cc}\p{Cf}\s\\]/u;

export function isSafeLink(value: string): boolean {
  if (value.length === 0 || value.length > MAX_LENGTH || FORBIDDEN.test(value)) return false;
  if (value.startsWith('/')) return !value.startsWith('//') && URL.canParse(value, 'https://app.invalid');
  // Exactly two slashes: browsers read `https:evil` and `https:///evil` as `https://evil` too.
  if (!/^https?:\/\/[^/]/i.test(value)) return false;
  const url = URL.parse(value);
  return url !== null && url.hostname !== '' && url.username === '' && url.password === '';
}

/** A notification's url: refused with the `link` problem, which names what is accepted. */
export const notificationLink = z.string().refine(isSafeLink, { params: { problem: 'link' } });
