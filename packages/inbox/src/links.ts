// Which notification links the element follows: the rule Herald applies when it stores them
// (a path inside the product, or an absolute http(s) URL without credentials), checked again
// here so that a page never renders anything else as a link.
const FORBIDDEN = /[\p{Cc}\p{Cf}\s\\]/u;

export function safeLink(value: string | null | undefined): string | null {
  if (!value || value.length > 2000 || FORBIDDEN.test(value)) return null;
  if (value.startsWith('/')) return value.startsWith('//') ? null : value;
  if (!/^https?:\/\/[^/]/i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.hostname && !url.username && !url.password ? value : null;
  } catch {
    return null;
  }
}
