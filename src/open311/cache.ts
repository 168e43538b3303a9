/**
 * A small in-process cache for public reads: an answer is served again for `ttlMs`, and concurrent askers of the same
 * key share one read in flight, so clients polling the public list cannot put their load on the database the
 * webhooks use. At most `maxEntries` keys (the oldest go first); a failed read is not kept.
 */
export function createTtlCache<T>(ttlMs: number, maxEntries = 200, now: () => number = Date.now) {
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = load();
      entries.delete(key);
      entries.set(key, { at: now(), value });
      value.catch(() => entries.get(key)?.value === value && entries.delete(key));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}
