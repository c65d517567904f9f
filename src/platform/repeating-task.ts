/**
 * Runs `task` every `interval` ms (0: never) as a chain of timeouts rather than an interval,
 * so that runs never overlap on one instance; the returned function stops the chain and
 * waits for a run in flight to finish.
 */
export function startRepeating(interval: number, task: () => Promise<unknown>): () => Promise<void> {
  if (interval === 0) return async () => {};
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = task().finally(() => {
      if (!stopped) timer = setTimeout(tick, interval).unref();
    });
  };
  timer = setTimeout(tick, interval).unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
