// The client's address, for rate limits, audit events and alerts. Behind reverse proxies the
// socket's peer is the nearest proxy, and the client's address is in X-Forwarded-For, where
// each proxy appends the address it received the request from. Only the right end of that
// list was written by proxies Herald trusts: everything to the left of them the client wrote
// itself. So the list is read from the right, past the trusted proxies (TRUST_PROXY: how many,
// or their addresses), and the first address no trusted proxy vouches past is the client.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/** Which proxies TRUST_PROXY trusts: the nearest `hops` of them, or those at these addresses. */
export type TrustedProxies = { hops: number } | { cidrs: readonly Cidr[] };

export const NO_TRUSTED_PROXY: TrustedProxies = { hops: 0 };

export class TrustProxyError extends Error {}

/**
 * Reads TRUST_PROXY: `false` or `0` (no proxy), a hop count, or a comma-separated list of
 * addresses and CIDRs. `true` is refused: it says neither how many proxies there are nor
 * which, and trusting every hop would take the client's own claim as its address.
 */
export function parseTrustProxy(value: string): TrustedProxies {
  const text = value.trim();
  if (text === 'false') return NO_TRUSTED_PROXY;
  if (text === 'true') {
    throw new TrustProxyError(
      'true would believe whatever address a client claims: give the number of proxies in front of Herald (e.g. TRUST_PROXY=1) or their addresses and CIDRs',
    );
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) throw new TrustProxyError('a hop count is at most 32');
    return { hops };
  }
  const cidrs = text.split(',').map((entry) => {
    const cidr = parseCidr(entry.trim());
    if (!cidr) {
      throw new TrustProxyError(
        `"${entry.trim()}" is not an IP address or CIDR: give a hop count (e.g. 1) or a comma-separated list such as 10.0.0.0/8, 2001:db8::1`,
      );
    }
    return cidr;
  });
  return { cidrs };
}

function parseCidr(text: string): Cidr | null {
  const [address, prefix, ...rest] = text.split('/');
  if (rest.length > 0 || !address || isIP(address) === 0 || address.includes('%')) return null;
  const parsed = ipaddr.process(address);
  const written = isIP(address) === 4 ? 32 : 128;
  // An IPv4-mapped network (::ffff:10.0.0.0/104) is matched as the IPv4 network it maps.
  const mapped = written - (parsed.kind() === 'ipv4' ? 32 : 128);
  if (prefix === undefined) return [parsed, written - mapped];
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > written || Number(prefix) < mapped) return null;
  return [parsed, Number(prefix) - mapped];
}

/** One address written the same way wherever it came from: IPv4-mapped IPv6 as IPv4, IPv6 as RFC 5952. */
function canonical(address: Address): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

/**
 * An X-Forwarded-For entry as proxies write it: an address, IPv4 with a port (Azure
 * Application Gateway, IIS ARR), or IPv6 in brackets with or without a port (RFC 7239
 * style). Anything else (a name, `unknown`, an empty entry, an IPv6 zone) is no address.
 */
export function forwardedAddress(entry: string): Address | null {
  const text = entry.trim();
  let address = text;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(text);
  if (bracketed) {
    [, address = '', port] = bracketed;
    if (isIP(address) !== 6) return null;
  } else if (v4WithPort) {
    [, address = '', port] = v4WithPort;
  }
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return null;
  if (isIP(address) === 0 || address.includes('%')) return null;
  return ipaddr.process(address);
}

/** The socket's peer as the client address: normalised like forwarded ones. */
function socketAddress(remoteAddress: string): Address | null {
  return ipaddr.isValid(remoteAddress) ? ipaddr.process(remoteAddress) : null;
}

function trusts(proxies: TrustedProxies, address: Address, hop: number): boolean {
  if ('hops' in proxies) return hop < proxies.hops;
  return proxies.cidrs.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/**
 * The address of the client, as the proxies Herald trusts saw it. Walking from the socket's
 * peer leftwards through X-Forwarded-For, each trusted proxy vouches for the entry before it;
 * the first address that is not a trusted proxy is the client (when all are, the leftmost).
 * An entry on that walk that is no address means a proxy or the client wrote something else
 * than proxies do: the socket's peer is taken instead of anything the header says.
 */
export function clientAddress(
  proxies: TrustedProxies,
  forwardedFor: string | null | undefined,
  remoteAddress: string | undefined,
): string {
  if (remoteAddress === undefined) return 'unknown';
  const peer = socketAddress(remoteAddress);
  if (!peer) return remoteAddress;
  if (forwardedFor === null || forwardedFor === undefined) return canonical(peer);
  const entries = forwardedFor.split(',');
  let client = peer;
  for (let hop = 0; trusts(proxies, client, hop); hop++) {
    const entry = entries.pop();
    if (entry === undefined) break;
    const forwarded = forwardedAddress(entry);
    if (!forwarded) return canonical(peer);
    client = forwarded;
  }
  return canonical(client);
}
