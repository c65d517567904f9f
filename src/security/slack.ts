// Posting to a Slack incoming webhook (POST, JSON body with `text`), and the checks on where
// such a URL may lead. The URL is given by an organization's admin, so it could point at
// Herald's own network: it goes through the same guard as outgoing webhooks (webhooks/
// safe-fetch.ts), which refuses non-public addresses when the URL is saved (an address
// written in it) and when it is used (every address its host resolves to, and the
// connection pinned to the one checked), unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.
import { isIP } from 'node:net';
import { isPublicAddress } from '../webhooks/public-address.ts';
import { parseTarget, postJson, UnsafeTargetError } from '../webhooks/safe-fetch.ts';

const TIMEOUT_MS = 5000;
const MAX_URL_LENGTH = 2000;

const hostAddress = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Whether a URL may be saved as a webhook: absolute https (http too when private targets are
 * allowed, for receivers on a developer's machine), no credentials, not written as a
 * non-public address.
 */
export function isAcceptableWebhookUrl(value: string, allowPrivateTargets: boolean): boolean {
  if (value.length > MAX_URL_LENGTH || /[\s\p{Cc}]/u.test(value)) return false;
  let url: URL;
  try {
    url = parseTarget(value, { allowPrivate: allowPrivateTargets });
  } catch (error) {
    if (error instanceof UnsafeTargetError) return false;
    throw error;
  }
  if (!url.hostname) return false;
  const host = hostAddress(url);
  return allowPrivateTargets || isIP(host) === 0 || isPublicAddress(host);
}

/** Shows where a webhook URL leads without its secret path: `https://hooks.slack.com/…a1B2`. */
export function maskWebhookUrl(value: string): string {
  const url = URL.parse(value);
  if (!url) return '…';
  const rest = `${url.pathname}${url.search}`;
  return `${url.protocol}//${url.host}/…${rest.length > 12 ? rest.slice(-4) : ''}`;
}

/**
 * POSTs a JSON body to a webhook URL within a few seconds; resolves on a 2xx answer and
 * throws otherwise (the caller retries).
 */
export async function postWebhook(
  target: string,
  body: unknown,
  options: { allowPrivateTargets: boolean; timeoutMs?: number },
): Promise<void> {
  if (!isAcceptableWebhookUrl(target, options.allowPrivateTargets)) {
    throw new UnsafeTargetError('forbiddenAddress', 'URL not allowed');
  }
  const { status } = await postJson(target, JSON.stringify(body), {
    allowPrivate: options.allowPrivateTargets,
    timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
    headers: { 'user-agent': 'Herald security alerts' },
  });
  // Slack answers `ok` or a short error; nothing of it is needed but the status.
  if (status < 200 || status >= 300) throw new Error(`webhook answered ${status}`);
}
