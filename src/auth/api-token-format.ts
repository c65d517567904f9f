// API token secrets (format fixed by the design): `hld_` + 32 random bytes in base62
// (always 43 characters) + a 6-character base62 CRC32 of everything before it. The checksum
// lets us refuse a mistyped or made-up token without touching the database, and the fixed
// shape lets secret scanners recognise a leaked one.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const API_TOKEN_PREFIX = 'hld_';
const BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // 62^6 > 2^32
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

/** Base62 of a non-negative integer, left-padded with zeros to `width` characters. */
export function base62(value: bigint, width: number): string {
  let rest = value;
  let out = '';
  while (rest > 0n) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  if (out.length > width) throw new RangeError(`value needs more than ${width} base62 characters`);
  return out.padStart(width, '0');
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export const checksumOf = (text: string) => base62(BigInt(crc32(text)), CHECKSUM_LENGTH);

/** A fresh secret, shown to its creator once. */
export function newApiTokenSecret(): string {
  const body = `${API_TOKEN_PREFIX}${base62(bytesToBigInt(randomBytes(32)), BODY_LENGTH)}`;
  return `${body}${checksumOf(body)}`;
}

/** Shape and checksum only; says nothing about whether the token exists. */
export function isWellFormedApiToken(secret: string): boolean {
  if (!SHAPE.test(secret)) return false;
  const body = secret.slice(0, -CHECKSUM_LENGTH);
  return checksumOf(body) === secret.slice(-CHECKSUM_LENGTH);
}

/** What lists show so that people can tell their tokens apart: `hld_` + 8 characters. */
export const displayPrefix = (secret: string) => secret.slice(0, API_TOKEN_PREFIX.length + 8);
