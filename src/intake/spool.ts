import { appendFile, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InboundMessage } from '../domain/messages.js';

/**
 * A local journal for inbound messages that arrive while PostgreSQL is down.
 * Each line is fsync'd before the provider gets its answer, so an accepted
 * message survives a crash; drain() replays them once the database is back
 * (replays are safe: storing deduplicates on the provider's id).
 */
export type Spool = {
  append(msg: InboundMessage): Promise<void>;
  /** Replays every journalled message through `handle`; lines that fail stay for the next drain. */
  drain(handle: (msg: InboundMessage) => Promise<void>): Promise<{ replayed: number; kept: number }>;
  pending(): Promise<number>;
};

export function createSpool(dir: string): Spool {
  const journal = join(dir, `inbound-${process.pid}.jsonl`);
  let draining = false;

  const batches = async () => (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl') || f.endsWith('.draining'));

  return {
    async append(msg) {
      await mkdir(dir, { recursive: true });
      const fh = await open(journal, 'a');
      try {
        await fh.appendFile(`${JSON.stringify(msg)}\n`, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
    },
    async drain(handle) {
      if (draining) return { replayed: 0, kept: 0 };
      draining = true;
      let replayed = 0;
      let kept = 0;
      try {
        for (const name of await batches()) {
          // Move the batch aside first so new appends go to a fresh file while it is replayed.
          const path = join(dir, name);
          const claimed = name.endsWith('.draining') ? path : `${path}.${Date.now()}.draining`;
          if (claimed !== path) await rename(path, claimed);
          const failed: string[] = [];
          for (const line of (await readFile(claimed, 'utf8')).split('\n')) {
            if (!line.trim()) continue;
            const parsed = InboundMessage.safeParse(JSON.parse(line));
            if (!parsed.success) continue;
            try {
              await handle(parsed.data);
              replayed += 1;
            } catch {
              failed.push(line);
            }
          }
          await unlink(claimed);
          if (failed.length > 0) {
            kept += failed.length;
            await mkdir(dir, { recursive: true });
            await appendFile(journal, `${failed.join('\n')}\n`, 'utf8');
          }
        }
      } finally {
        draining = false;
      }
      return { replayed, kept };
    },
    async pending() {
      let n = 0;
      for (const name of await batches()) n += (await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l.trim()).length;
      return n;
    },
  };
}
