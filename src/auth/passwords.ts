import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { type Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import pLimit from 'p-limit';

// OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB, t = 2, p = 1. @node-rs/argon2
// hashes on the libuv thread pool, so the event loop keeps serving while it works.
// `Algorithm` is a const enum, which type stripping cannot inline: 2 is Argon2id.
const options = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// A burst of logins would otherwise keep every core hashing (the thread pool has four
// threads) and starve the event loop, so cheap requests wait behind them. One core is
// left to the loop; hashes queue for the others, which costs logins no throughput.
const hashing = pLimit(Math.max(1, availableParallelism() - 1));
const hash = (password: string, opts: typeof options) => hashing(() => argon2Hash(password, opts));
const verify = (stored: string, password: string) => hashing(() => argon2Verify(stored, password));

export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for passphrases, short enough that hashing cannot be used to exhaust memory or time. */
export const PASSWORD_MAX_LENGTH = 128;

const commonPasswords = createRequire(import.meta.url)('fxa-common-password-list') as {
  test(password: string): boolean;
};

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooCommon';

export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (commonPasswords.test(password.toLowerCase())) return 'tooCommon';
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Verified when the email is unknown, so that a miss costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (storedHash === null) {
    decoyHash ??= hash('decoy password that never matches', options);
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
