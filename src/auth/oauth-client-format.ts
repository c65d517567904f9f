// OAuth client credentials. The public client id is `hldci_` + 16 random bytes in base62;
// the secret is `hldcs_` + 32 random bytes in base62 + a 6-character base62 CRC32, shaped
// like API tokens so that secret scanners can match a leaked one and a mistyped secret is
// refused before any lookup. Distinct prefixes keep a client secret from ever being taken
// for an API token (or the reverse).
import { randomBytes } from 'node:crypto';
import { base62, bytesToBigInt, checksumOf } from './api-token-format.ts';

export const CLIENT_ID_PREFIX = 'hldci_';
export const CLIENT_SECRET_PREFIX = 'hldcs_';
const ID_BODY_LENGTH = 22; // ceil(128 / log2(62))
const SECRET_BODY_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6;
const ID_SHAPE = new RegExp(`^${CLIENT_ID_PREFIX}[0-9A-Za-z]{${ID_BODY_LENGTH}}$`);
const SECRET_SHAPE = new RegExp(`^${CLIENT_SECRET_PREFIX}[0-9A-Za-z]{${SECRET_BODY_LENGTH + CHECKSUM_LENGTH}}$`);

export const newClientId = () => `${CLIENT_ID_PREFIX}${base62(bytesToBigInt(randomBytes(16)), ID_BODY_LENGTH)}`;

/** A fresh secret, shown to its creator once. */
export function newClientSecret(): string {
  const body = `${CLIENT_SECRET_PREFIX}${base62(bytesToBigInt(randomBytes(32)), SECRET_BODY_LENGTH)}`;
  return `${body}${checksumOf(body)}`;
}

export const isWellFormedClientId = (clientId: string) => ID_SHAPE.test(clientId);

/** Shape and checksum only; says nothing about whether the secret is right. */
export function isWellFormedClientSecret(secret: string): boolean {
  if (!SECRET_SHAPE.test(secret)) return false;
  return checksumOf(secret.slice(0, -CHECKSUM_LENGTH)) === secret.slice(-CHECKSUM_LENGTH);
}

/** What lists show so that people can tell secrets apart: `hldcs_` + 8 characters. */
export const secretDisplayPrefix = (secret: string) => secret.slice(0, CLIENT_SECRET_PREFIX.length + 8);
