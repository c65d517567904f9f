// Which addresses a URL given by a customer may make Herald connect to: globally routable
// unicast only. IPv4 is judged against IANA's special-purpose registry (ipaddr.js lists every
// block of it: loopback, private, link-local with the cloud metadata address, CGNAT,
// documentation, benchmarking, 6to4 relays, AS112, AMT, reserved, broadcast). IPv6 is
// allowed by range rather than refused by exception, because whatever falls outside a list
// of refusals passes: before this, `::127.0.0.1` (IPv4-compatible, ::/96) passed as public.
import ipaddr from 'ipaddr.js';

/** Global unicast (RFC 4291 §2.4); everything else in IPv6 is special or unassigned. */
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Special-purpose blocks inside 2000::/3, refused whole. IANA marks a few small blocks of
 * 2001::/23 globally reachable (PCP and TURN anycast, AMT, AS112, ORCHIDv2, drone tags), but
 * none is where an HTTPS webhook receiver lives, so nothing is lost by refusing them, and
 * Teredo (2001::/32) carries an IPv4 address that a relay would reach.
 */
const SPECIAL_IN_GLOBAL_UNICAST = [
  '2001::/23', // IETF protocol assignments, Teredo among them (RFC 2928, RFC 4380)
  '2001:db8::/32', // documentation (RFC 3849)
  '2002::/16', // 6to4: relays deliver to the IPv4 address it embeds, private or not; deprecated (RFC 7526)
  '2620:4f:8000::/48', // AS112 direct delegation (RFC 7534)
  '3fff::/20', // documentation (RFC 9637)
].map((cidr) => ipaddr.IPv6.parseCIDR(cidr));

function isPublicIPv4(address: ipaddr.IPv4): boolean {
  return address.range() === 'unicast';
}

function isPublicIPv6(address: ipaddr.IPv6): boolean {
  // ::ffff:a.b.c.d is how a dual-stack socket reaches the IPv4 address a.b.c.d.
  if (address.isIPv4MappedAddress()) return isPublicIPv4(address.toIPv4Address());
  return (
    address.match(GLOBAL_UNICAST) &&
    !SPECIAL_IN_GLOBAL_UNICAST.some((range) => address.match(range)) &&
    address.range() === 'unicast'
  );
}

/**
 * IPv6 text in the URL standard's serialization: hex pieces only. ipaddr.js reads a dotted
 * tail such as `::127.0.0.1` as IPv4-mapped (::ffff:127.0.0.1), while it is IPv4-compatible
 * (::7f00:1); the URL parser reads it as the standard says, as it did the URL's host.
 */
function canonicalIPv6(address: string): string | null {
  const host = URL.parse(`http://[${address}]/`)?.hostname;
  return host ? host.slice(1, -1) : null;
}

/**
 * Whether an address, as DNS answers it or a URL parser normalizes it (dotted decimal IPv4,
 * or IPv6), may be connected to. Anything else, shorthand IPv4 forms such as `127.1` or
 * `0x7f.1` included, is not an address this is asked about and is refused; so is an IPv6
 * address with a zone, which names an interface of this machine.
 */
export function isPublicAddress(address: string): boolean {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return isPublicIPv4(ipaddr.IPv4.parse(address));
  if (address.includes('%') || !ipaddr.IPv6.isValid(address)) return false;
  const canonical = canonicalIPv6(address);
  return canonical !== null && isPublicIPv6(ipaddr.IPv6.parse(canonical));
}
