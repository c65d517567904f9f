// Failed sign-ins, kept so that guessing is slow and a stranger's guessing never locks the
// real owner out. Failures are counted per (subject, address): past a number of them that
// address waits before its next try, twice as long after each further failure. The subject
// (an account's email, an OAuth client id) also has a higher ceiling over all addresses
// together, against guessing spread over many addresses; past it, only addresses the subject
// succeeded from before may still try until the window ends.
//
// "Succeeded from before" is the address of an earlier success, kept per subject with the
// counters (Redis, or memory). A device cookie would recognise a browser more precisely, but
// Herald is a headless API: product frontends call it cross-origin, CLIs and integrations
// keep no cookie jar, and none of them could be asked to start sending one.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';

/** How long an address stays known after a success: within what an in-memory timer can hold (24.8 days). */
export const KNOWN_ADDRESS_SECONDS = 21 * 24 * 3600;
/** Failures of one address are remembered at least this long, so that waits keep growing across windows. */
const PAIR_MEMORY_SECONDS = 24 * 3600;

export interface FailureGuardOptions {
  /** Failures of one address for one subject before it must wait. */
  perAddress: number;
  /** Failures of one subject from all addresses within the window, past which only known addresses may try. */
  perSubject: number;
  windowSeconds: number;
  /** The first wait, in seconds; each further failure doubles it, up to the window. */
  firstWaitSeconds: number;
}

export interface FailureGuard {
  /**
   * Refuses (RATE_LIMITED, with the time to wait) when `address` must wait before trying
   * `subject` again, or when the subject is past its ceiling and `address` never succeeded.
   */
  assertAllowed(subject: string, address: string): Promise<void>;
  /** Counts a failure; answers true for the one failure that takes the subject to its ceiling. */
  failed(subject: string, address: string): Promise<boolean>;
  /** Clears the address's failures for the subject and remembers it as one the subject succeeded from. */
  succeeded(subject: string, address: string): Promise<void>;
}

type MakeLimiter = (keyPrefix: string, points: number, durationSeconds: number) => RateLimiterAbstract;
/** Throws the RATE_LIMITED error for a refusal, labelled with the limit that refused. */
type Refuse = (limit: 'address' | 'subject', state: RateLimiterRes) => never;

export function createFailureGuard(make: MakeLimiter, options: FailureGuardOptions, refuse: Refuse): FailureGuard {
  const { perAddress, perSubject, windowSeconds, firstWaitSeconds } = options;
  const byPair = make('pair', perAddress, Math.max(windowSeconds, PAIR_MEMORY_SECONDS));
  const waits = make('wait', 1, windowSeconds);
  const bySubject = make('subject', perSubject, windowSeconds);
  const known = make('known', 1, KNOWN_ADDRESS_SECONDS);
  // An address never holds `|`, so the pair key splits one way only whatever the subject holds.
  const pairOf = (subject: string, address: string) => `${address}|${subject}`;

  return {
    async assertAllowed(subject, address) {
      const pair = pairOf(subject, address);
      const [wait, all] = await Promise.all([waits.get(pair), bySubject.get(subject)]);
      if (wait && wait.msBeforeNext > 0) refuse('address', wait);
      if (all && all.consumedPoints >= perSubject && !(await known.get(pair))) refuse('subject', all);
    },
    async failed(subject, address) {
      const pair = pairOf(subject, address);
      const [failures, all] = await Promise.all([byPair.penalty(pair), bySubject.penalty(subject)]);
      const beyond = failures.consumedPoints - perAddress;
      if (beyond >= 0) await waits.set(pair, 1, Math.min(firstWaitSeconds * 2 ** beyond, windowSeconds));
      // The counter is incremented atomically (in Redis across instances), so exactly one
      // failure sees it reach the ceiling.
      return all.consumedPoints === perSubject;
    },
    async succeeded(subject, address) {
      const pair = pairOf(subject, address);
      await Promise.all([byPair.delete(pair), waits.delete(pair), known.set(pair, 1, KNOWN_ADDRESS_SECONDS)]);
    },
  };
}
