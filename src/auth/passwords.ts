import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Algorithm } from '@node-rs/argon2';
import { Piscina } from 'piscina';
import { z } from 'zod';
import { workerModule } from '../platform/worker-module.ts';
import type { PasswordTask } from './password-hasher.ts';

// OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB, t = 2, p = 1.
// `Algorithm` is a const enum, which type stripping cannot inline: 2 is Argon2id.
const options = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };

// Hashes run in worker threads of lowered priority, one per core: a burst of logins uses
// every idle core, while cheap requests, whose event loop keeps the ordinary priority, are
// served first. Threads start with the first hash and end after a minute idle, so an idle
// server holds none.
let pool: Piscina | undefined;
function hashing(task: PasswordTask): Promise<string | boolean> {
  pool ??= new Piscina({
    filename: workerModule('password-hasher', import.meta.url).href,
    minThreads: 0,
    maxThreads: availableParallelism(),
    idleTimeout: 60_000,
  });
  return pool.run(task);
}
const hash = (password: string, opts: typeof options) =>
  hashing({ op: 'hash', password, options: opts }) as Promise<string>;
const verify = (stored: string, password: string) => hashing({ op: 'verify', stored, password }) as Promise<boolean>;

export const PASSWORD_MIN_LENGTH = 8;
/** Long enough for passphrases, short enough that hashing cannot be used to exhaust memory or time. */
export const PASSWORD_MAX_LENGTH = 128;

interface PasswordList {
  test(password: string): boolean;
}
// Loaded with the first new password rather than at start: the list is 2 MiB of heap that an
// instance only serving requests never reads.
let commonPasswords: PasswordList | undefined;
const isCommon = (password: string) => {
  commonPasswords ??= createRequire(import.meta.url)('fxa-common-password-list') as PasswordList;
  return commonPasswords.test(password);
};

export type PasswordProblem = 'tooShort' | 'tooLong' | 'tooCommon';

export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'tooShort';
  if (length > PASSWORD_MAX_LENGTH) return 'tooLong';
  if (isCommon(password.toLowerCase())) return 'tooCommon';
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

/** A new password as an input field: length and the common-password list (an old one is only checked by its hash). */
export const newPassword = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', params: { problem } });
});
