// POSTs to URLs that customers give us, without letting them reach what only Herald can reach
// (SSRF): the host is resolved, every address is checked, and the connection is pinned to the
// address that was checked, so a DNS answer that changes between check and connect (rebinding)
// cannot redirect it. Redirects are not followed, and a slow receiver is cut off. Only public
// addresses (public-address.ts) are reached unless `allowPrivate` is set (development, tests).
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from './public-address.ts';

export type TargetProblem = 'scheme' | 'credentials' | 'forbiddenAddress' | 'unresolvable';

export class UnsafeTargetError extends Error {
  override name = 'UnsafeTargetError';
  readonly problem: TargetProblem;
  constructor(problem: TargetProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

export interface TargetPolicy {
  /** Loopback, private and other special-purpose addresses, and plain http, are allowed. */
  allowPrivate: boolean;
}

/** The URL if its form is acceptable (https, or http when private targets are allowed; no credentials). */
export function parseTarget(url: string, policy: TargetPolicy): URL {
  const parsed = URL.parse(url);
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!parsed || !schemes.includes(parsed.protocol)) {
    throw new UnsafeTargetError('scheme', `must be an absolute ${schemes.join(' or ')} URL`);
  }
  if (parsed.username || parsed.password) throw new UnsafeTargetError('credentials', 'must not carry credentials');
  return parsed;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Resolves the host and answers its addresses when every one of them may be reached. */
export async function checkedAddresses(url: URL, policy: TargetPolicy): Promise<{ address: string; family: number }[]> {
  const host = hostOf(url);
  let addresses: { address: string; family: number }[];
  const family = isIP(host);
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await dnsLookup(host, { all: true, verbatim: true });
    } catch {
      throw new UnsafeTargetError('unresolvable', `${host} does not resolve`);
    }
  }
  if (addresses.length === 0) throw new UnsafeTargetError('unresolvable', `${host} does not resolve`);
  if (!policy.allowPrivate) {
    const refused = addresses.find((a) => !isPublicAddress(a.address));
    if (refused) {
      throw new UnsafeTargetError('forbiddenAddress', `${host} resolves to ${refused.address}, which is not public`);
    }
  }
  return addresses;
}

/** Checks a URL as it would be sent to now: its form, and where its host resolves. */
export async function assertSafeTarget(url: string, policy: TargetPolicy): Promise<URL> {
  const parsed = parseTarget(url, policy);
  await checkedAddresses(parsed, policy);
  return parsed;
}

export interface PostOptions extends TargetPolicy {
  headers?: Record<string, string>;
  /** The whole exchange, from resolving the host to the end of the response. */
  timeoutMs: number;
}

export interface PostResult {
  status: number;
  /** The first bytes of the response body, for the delivery log. */
  body: string;
}

const MAX_BODY = 2048;

/**
 * POSTs a JSON body to a checked address. Resolves with the response's status whatever it is
 * (3xx included: redirects are not followed); rejects on refusal, network error or timeout.
 */
export async function postJson(url: string, body: string, options: PostOptions): Promise<PostResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const target = parseTarget(url, options);
  const addresses = await Promise.race([
    checkedAddresses(target, options),
    new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
  ]);
  const pinned = addresses[0] as { address: string; family: number };
  // The connection goes to the address checked above, never to a fresh DNS answer.
  const lookup: LookupFunction = (_host, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<PostResult>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Herald-Webhooks/1',
          ...options.headers,
        },
        lookup,
        signal,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY),
          }),
        );
        // A body still streaming at the deadline ends as a timeout too.
        response.on('error', (error) => reject(signal.aborted ? signal.reason : error));
      },
    );
    request.on('error', (error) => reject(signal.aborted ? signal.reason : error));
    request.end(body);
  });
}
