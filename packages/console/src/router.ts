// Paths under /console, with the History API: links and navigation without reloads, the
// back button, and addresses that can be bookmarked (Herald answers every /console path with
// the same page).
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';
const CHANGED = 'herald-console:navigate';

export interface Location {
  /** The path within the console, e.g. `/service-accounts/deploy-bot`. */
  path: string;
  query: URLSearchParams;
}

const current = (): Location => ({
  path: location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/',
  query: new URLSearchParams(location.search),
});

export const href = (path: string) => `${BASE}${path === '/' ? '' : path}`;

let moved = false;

/** Whether the person has moved within the console since the page loaded (not a first load). */
export const hasNavigated = () => moved;

/** `redirect`: the console's own move (to sign in), not one the person made. */
export function navigate(path: string, options: { replace?: boolean; redirect?: boolean } = {}) {
  if (!options.redirect) moved = true;
  if (options.replace) history.replaceState(null, '', href(path));
  else history.pushState(null, '', href(path));
  dispatchEvent(new Event(CHANGED));
}

export function useLocation(): Location {
  const [where, setWhere] = useState(current);
  useEffect(() => {
    const update = () => setWhere(current());
    const back = () => {
      moved = true;
      update();
    };
    addEventListener('popstate', back);
    addEventListener(CHANGED, update);
    return () => {
      removeEventListener('popstate', back);
      removeEventListener(CHANGED, update);
    };
  }, []);
  return where;
}

/** Whether a click should stay for the console to handle (not a new tab, window or download). */
export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}
