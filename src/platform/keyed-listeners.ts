/** Listeners grouped by key (a user, a token), each removable by the function `add` answers. */
export function keyedListeners<A extends unknown[]>() {
  const byKey = new Map<string, Set<(...args: A) => void>>();
  return {
    add(key: string, listener: (...args: A) => void): () => void {
      const listeners = byKey.get(key) ?? new Set();
      byKey.set(key, listeners);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) byKey.delete(key);
      };
    },
    notify(key: string, ...args: A) {
      for (const listener of byKey.get(key) ?? []) listener(...args);
    },
  };
}
