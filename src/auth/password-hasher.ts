// Runs in the password-hashing worker threads (see passwords.ts). The thread lowers its own
// scheduling priority first: Linux keeps a nice value per thread, so the hashes take every
// core the event loop and the database leave idle, and yield the moment they need one.
import { setPriority } from 'node:os';
import { type Algorithm, hashSync, verifySync } from '@node-rs/argon2';

try {
  setPriority(0, 10);
} catch {
  // Not permitted or not supported: the hashes run at the ordinary priority.
}

export type PasswordTask =
  | {
      op: 'hash';
      password: string;
      options: { algorithm: Algorithm; memoryCost: number; timeCost: number; parallelism: number };
    }
  | { op: 'verify'; stored: string; password: string };

export default function run(task: PasswordTask): string | boolean {
  return task.op === 'hash' ? hashSync(task.password, task.options) : verifySync(task.stored, task.password);
}
