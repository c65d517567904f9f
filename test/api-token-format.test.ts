import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  base62,
  bytesToBigInt,
  checksumOf,
  displayPrefix,
  isWellFormedApiToken,
  newApiTokenSecret,
} from '../src/auth/api-token-format.ts';

describe('base62', () => {
  it.each([
    [0n, 1, '0'],
    [61n, 1, 'z'],
    [62n, 2, '10'],
    [62n ** 3n - 1n, 3, 'zzz'],
    [3844n + 62n + 1n, 4, '0111'],
  ])('%s in %i characters is %s', (value, width, expected) => {
    expect(base62(value, width)).toBe(expected);
  });

  it('refuses a value wider than asked for', () => {
    expect(() => base62(62n ** 2n, 2)).toThrow(RangeError);
  });

  it('encodes the largest 32-byte value in 43 characters and the largest CRC32 in 6', () => {
    expect(base62(bytesToBigInt(new Uint8Array(32).fill(255)), 43)).toHaveLength(43);
    expect(base62(0xffffffffn, 6)).toHaveLength(6);
  });
});

describe('API token secrets', () => {
  it('checksum is the CRC32 of the token body in base62', () => {
    // The standard CRC32 check value.
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(checksumOf('123456789')).toBe(base62(0xcbf43926n, 6));
  });

  it('have the fixed shape, verify, and differ every time', () => {
    const secrets = Array.from({ length: 50 }, () => newApiTokenSecret());
    for (const secret of secrets) {
      expect(secret).toMatch(/^hld_[0-9A-Za-z]{49}$/);
      expect(isWellFormedApiToken(secret)).toBe(true);
      expect(checksumOf(secret.slice(0, -6))).toBe(secret.slice(-6));
    }
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(displayPrefix(secrets[0] as string)).toBe((secrets[0] as string).slice(0, 12));
  });

  const valid = newApiTokenSecret();
  const flip = (text: string, index: number) =>
    text.slice(0, index) + (text[index] === 'a' ? 'b' : 'a') + text.slice(index + 1);
  it.each([
    ['one body character changed', flip(valid, 10)],
    ['one checksum character changed', flip(valid, valid.length - 1)],
    ['truncated', valid.slice(0, -1)],
    ['extended', `${valid}a`],
    ['wrong prefix', `hlx_${valid.slice(4)}`],
    ['non-base62 character', `${valid.slice(0, 20)}-${valid.slice(21)}`],
    ['empty', ''],
  ])('refuses a token with %s', (_case, secret) => {
    expect(isWellFormedApiToken(secret)).toBe(false);
  });
});
