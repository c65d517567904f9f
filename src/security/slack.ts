// Posting to a Slack incoming webhook (POST, JSON body with `text`), and the checks on where
// such a URL may lead. The URL is given by an organization's admin, so it could point at
// Herald's own network: loopback, private, link-local and other non-public addresses are
// refused, both when the URL is saved (an address written in it) and when it is used (every
// address its host resolves to, checked at connect time so a DNS answer cannot change in
// between), unless WEBHOOK_ALLOW_PRIVATE_TARGETS=true.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const TIMEOUT_MS = 5000;
const MAX_URL_LENGTH = 2000;

const blocked = new BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(prefix, bits, 'ipv6');
}

/** Whether an address is one a webhook may not reach (IPv4-mapped IPv6 judged as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return blocked.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const hostAddress = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Whether a URL may be saved as a webhook: absolute https (http too when private targets are
 * allowed, for receivers on a developer's machine), no credentials, not written as a private
 * address.
 */
export function isAcceptableWebhookUrl(value: string, allowPrivateTargets: boolean): boolean {
  if (value.length > MAX_URL_LENGTH || /[\s\p{Cc}]/u.test(value)) return false;
  const url = URL.parse(value);
  if (!url || url.username || url.password || !url.hostname) return false;
  if (url.protocol !== 'https:' && !(allowPrivateTargets && url.protocol === 'http:')) return false;
  const host = hostAddress(url);
  return allowPrivateTargets || isIP(host) === 0 || !isPrivateAddress(host);
}

/** Shows where a webhook URL leads without its secret path: `https://hooks.slack.com/…a1B2`. */
export function maskWebhookUrl(value: string): string {
  const url = URL.parse(value);
  if (!url) return '…';
  const rest = `${url.pathname}${url.search}`;
  return `${url.protocol}//${url.host}/…${rest.length > 12 ? rest.slice(-4) : ''}`;
}

export class WebhookRefused extends Error {
  override name = 'WebhookRefused';
}

/** dns.lookup, refusing private addresses: runs when the socket connects. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as LookupAddress[];
    const refused = list.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(new WebhookRefused(`${hostname} resolves to a private address`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

/**
 * POSTs a JSON body to a webhook URL within a few seconds; resolves on a 2xx answer and
 * throws otherwise (the caller retries).
 */
export async function postWebhook(
  target: string,
  body: unknown,
  options: { allowPrivateTargets: boolean; timeoutMs?: number },
): Promise<void> {
  if (!isAcceptableWebhookUrl(target, options.allowPrivateTargets)) throw new WebhookRefused('URL not allowed');
  const url = new URL(target);
  const payload = Buffer.from(JSON.stringify(body));
  const client = url.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          'user-agent': 'Herald security alerts',
        },
        lookup: options.allowPrivateTargets ? undefined : guardedLookup,
        signal: AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS),
      },
      (response) => {
        // Slack answers `ok` or a short error; nothing of it is needed but the status.
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new Error(`webhook answered ${status}`));
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}
