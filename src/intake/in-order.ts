/**
 * Runs work one piece after another per key, in the order it was handed in. A channel that acknowledges before
 * the turn runs (WeCom) must still take one resident's messages in the order they came: each turn waits for the
 * one before it, whether that succeeded or not.
 */
export type InOrder = { run<T>(key: string, work: () => Promise<T>): Promise<T> };

export function createInOrder(): InOrder {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, work) {
      const next = (tails.get(key) ?? Promise.resolve()).then(work, work);
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
  };
}
