// The client address behind reverse proxies: TRUST_PROXY read at start, X-Forwarded-For read
// from the right, forwarded values that are no address refused.
import { describe, expect, it } from 'vitest';
import { clientAddress, forwardedAddress, parseTrustProxy } from '../src/platform/client-address.ts';
import { ConfigError, loadConfig } from '../src/platform/config.ts';

describe('TRUST_PROXY', () => {
  it('is refused as true, with a message asking for a count', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY.*number of proxies.*TRUST_PROXY=1/);
  });

  it.each([
    'yes',
    '-1',
    '1.5',
    '33',
    '10.0.0.0/33',
    '10.0.0.1/8/8',
    'proxy.internal',
    '10.0.0.1,',
    '127.1',
    'fe80::1%eth0',
  ])('refuses %s', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it.each([
    [undefined, undefined],
    ['false', { hops: 0 }],
    ['0', { hops: 0 }],
    ['2', { hops: 2 }],
  ])('takes %s', (value, expected) => {
    expect(loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it('takes a list of addresses and CIDRs, IPv4-mapped ones as IPv4', () => {
    const proxies = parseTrustProxy(' 10.0.0.0/8, 2001:db8::/32 ,192.0.2.1,::ffff:172.16.0.0/108');
    const at = (address: string, forwardedFor: string) => clientAddress(proxies, forwardedFor, address);
    expect(at('10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(at('2001:db8::5', '198.51.100.1')).toBe('198.51.100.1');
    expect(at('192.0.2.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(at('::ffff:172.16.9.9', '198.51.100.1')).toBe('198.51.100.1');
    // Not a trusted proxy: its header says nothing.
    expect(at('192.0.2.2', '198.51.100.1')).toBe('192.0.2.2');
    expect(at('172.32.0.1', '198.51.100.1')).toBe('172.32.0.1');
  });
});

describe('an X-Forwarded-For entry', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7\t', '203.0.113.7'],
    ['203.0.113.7:51234', '203.0.113.7'],
    ['2001:db8::7', '2001:db8::7'],
    ['2001:DB8:0:0:0:0:0:7', '2001:db8::7'],
    ['[2001:db8::7]', '2001:db8::7'],
    ['[2001:db8::7]:443', '2001:db8::7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['[::ffff:203.0.113.7]:80', '203.0.113.7'],
    // Unbracketed IPv6 has no port: the last group is part of the address.
    ['2001:db8::7:443', '2001:db8::7:443'],
  ])('takes %j as %s', (entry, expected) => {
    const address = forwardedAddress(entry);
    expect(address && clientAddress({ hops: 1 }, entry, '127.0.0.1')).toBe(expected);
  });

  it.each([
    '',
    ' ',
    'admin',
    'unknown',
    'localhost',
    '_hidden',
    '"203.0.113.7"',
    '203.0.113.7:',
    '203.0.113.7:0',
    '203.0.113.7:65536',
    '203.0.113.7:http',
    '[203.0.113.7]',
    '[203.0.113.7]:80',
    '[2001:db8::7',
    '203.0.113',
    '203.0.113.256',
    '0203.0.113.7',
    '0xcb007107',
    '3405803783',
    'fe80::1%eth0',
    '203.0.113.7 198.51.100.1',
    '203.0.113.7/32',
  ])('refuses %j', (entry) => {
    expect(forwardedAddress(entry)).toBeNull();
  });
});

describe('the client address', () => {
  const one = { hops: 1 };
  it.each([
    // [trusted proxies, X-Forwarded-For, socket peer, client]
    ['no proxy trusted', { hops: 0 }, '203.0.113.7', '127.0.0.1', '127.0.0.1'],
    ['no header', one, null, '127.0.0.1', '127.0.0.1'],
    ['one replacing proxy', one, '203.0.113.7', '10.0.0.2', '203.0.113.7'],
    [
      'one appending proxy, the client claiming another address',
      one,
      '192.0.2.1, 203.0.113.7',
      '10.0.0.2',
      '203.0.113.7',
    ],
    ['a claim of several addresses', one, '192.0.2.1,192.0.2.2 , 203.0.113.7', '10.0.0.2', '203.0.113.7'],
    ['two proxies', { hops: 2 }, '192.0.2.1, 203.0.113.7, 10.0.0.3', '10.0.0.2', '203.0.113.7'],
    ['fewer entries than hops: the leftmost', { hops: 3 }, '203.0.113.7', '10.0.0.2', '203.0.113.7'],
    ['a claim beyond the trusted hops is never read', one, 'admin, 203.0.113.7', '10.0.0.2', '203.0.113.7'],
    ['an empty entry where the client should be', one, '203.0.113.7, ', '10.0.0.2', '10.0.0.2'],
    ['a name where the client should be', one, 'admin', '10.0.0.2', '10.0.0.2'],
    ['an empty header', one, '', '10.0.0.2', '10.0.0.2'],
    ['garbage on the trusted path', { hops: 2 }, '203.0.113.7, garbage, 10.0.0.3', '10.0.0.2', '10.0.0.2'],
    ['a port the proxy appended', one, '203.0.113.7:40000', '10.0.0.2', '203.0.113.7'],
    ['an IPv4-mapped socket peer', { hops: 0 }, null, '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped forwarded address', one, '::ffff:203.0.113.7', '::ffff:10.0.0.2', '203.0.113.7'],
    ['IPv6 written two ways', one, '2001:DB8:0::7', '::1', '2001:db8::7'],
    [
      'the list: past every trusted proxy',
      { cidrs: parseCidrs('10.0.0.0/8') },
      '198.51.100.1, 203.0.113.7, 10.9.9.9',
      '10.0.0.2',
      '203.0.113.7',
    ],
    [
      'the list: all trusted, the leftmost',
      { cidrs: parseCidrs('10.0.0.0/8') },
      '10.1.1.1, 10.9.9.9',
      '10.0.0.2',
      '10.1.1.1',
    ],
    [
      'the list: garbage where the client should be',
      { cidrs: parseCidrs('10.0.0.0/8') },
      'admin, 10.9.9.9',
      '10.0.0.2',
      '10.0.0.2',
    ],
  ] as const)('%s', (_case, proxies, forwardedFor, peer, expected) => {
    expect(clientAddress(proxies, forwardedFor, peer)).toBe(expected);
  });

  it('is "unknown" without a socket peer', () => {
    expect(clientAddress({ hops: 1 }, '203.0.113.7', undefined)).toBe('unknown');
  });
});

function parseCidrs(list: string) {
  const parsed = parseTrustProxy(list);
  if (!('cidrs' in parsed)) throw new Error('expected a list');
  return parsed.cidrs;
}
