import type { Logger } from './logging.js';

/**
 * Work a request starts but does not wait for (WeCom must be answered within
 * 5 seconds; the reply goes out afterwards). Tracked so shutdown can finish it
 * and tests can wait for it; failures are logged, never thrown into the void.
 */
export type Background = {
  run(name: string, work: () => Promise<unknown>): void;
  idle(): Promise<void>;
};

export function createBackground(logger: Logger): Background {
  const inFlight = new Set<Promise<unknown>>();
  return {
    run(name, work) {
      const p = work()
        .catch((err) => logger.error({ err, task: name }, 'background task failed'))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
