// The signed-in session as components see it, and what it allows.
import type { Session } from '@herald/client';
import { useEffect, useState } from 'preact/hooks';
import { herald } from './herald.ts';

export function useSession(): { session: Session | null; restoring: boolean } {
  const [state, setState] = useState({ session: herald.session, restoring: true });
  useEffect(() => {
    const stop = herald.onSessionChange((session) => setState({ session, restoring: false }));
    void herald.ready.then(() => setState({ session: herald.session, restoring: false }));
    return stop;
  }, []);
  return state;
}

/** Whether scopes grant `scope` (`write:X` grants `read:X`; `*` every module). */
export function grants(scopes: readonly string[], scope: string): boolean {
  const [action, module] = scope.split(':');
  return scopes.some((held) => {
    const [heldAction, heldModule] = held.split(':');
    return (heldModule === '*' || heldModule === module) && (heldAction === 'write' || heldAction === action);
  });
}

export const can = (session: Session | null, scope: string) => !!session && grants(session.scopes, scope);
