import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { InboundMessage } from '../domain/messages.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';

/**
 * A local journal for inbound messages that arrive while PostgreSQL is down.
 * Each line is fsync'd before the provider gets its answer, so an accepted
 * message survives a crash; drain() replays them once the database is back
 * (replays are safe: storing deduplicates on the provider's id).
 *
 * A message may carry an ID number, so each line is sealed with the personal-data
 * cipher (`v1:…`); plain JSON lines journalled before lines were sealed are still read.
 */
export type Spool = {
  append(msg: InboundMessage): Promise<void>;
  /** Replays every journalled message through `handle`; lines that fail stay for the next drain. */
  drain(handle: (msg: InboundMessage) => Promise<void>): Promise<{ replayed: number; kept: number }>;
  pending(): Promise<number>;
};

type Line = { kind: 'message'; msg: InboundMessage } | { kind: 'invalid' } | { kind: 'unreadable' };

function readLine(line: string, cipher: PersonalDataCipher): Line {
  let value: unknown;
  try {
    value = JSON.parse(line.startsWith('{') ? line : cipher.decrypt(line));
  } catch {
    // Sealed with another DATA_KEY, or damaged: kept, so a key mistake corrected later loses nothing.
    return { kind: 'unreadable' };
  }
  const parsed = InboundMessage.safeParse(value);
  return parsed.success ? { kind: 'message', msg: parsed.data } : { kind: 'invalid' };
}

/** The complete lines of a batch. A tail without its newline is a write cut short by a crash: never fsync'd, so never answered, and the provider sends it again. */
function completeLines(content: string): string[] {
  return content.split('\n').slice(0, -1).filter((l) => l.trim());
}

export function createSpool(dir: string, cipher: PersonalDataCipher): Spool {
  // A journal of its own per start: a restarted process (often the same pid in a container) never appends after a cut-short line.
  const journal = join(dir, `inbound-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
  let draining = false;

  /** Appends whole lines and fsyncs them before returning. */
  const appendSynced = async (lines: string[]) => {
    await mkdir(dir, { recursive: true });
    const fh = await open(journal, 'a');
    try {
      await fh.appendFile(`${lines.join('\n')}\n`, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
  };
  const batches = async () => (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.jsonl') || f.endsWith('.draining'));

  return {
    append: (msg) => appendSynced([cipher.encrypt(JSON.stringify(msg))]),
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
          for (const line of completeLines(await readFile(claimed, 'utf8'))) {
            const read = readLine(line, cipher);
            if (read.kind === 'invalid') continue;
            if (read.kind === 'unreadable') {
              failed.push(line);
              continue;
            }
            try {
              await handle(read.msg);
              replayed += 1;
            } catch {
              failed.push(line);
            }
          }
          // Kept lines are back in the journal, on disk, before the batch goes: a crash in between replays, never loses.
          if (failed.length > 0) {
            kept += failed.length;
            await appendSynced(failed);
          }
          await unlink(claimed);
        }
      } finally {
        draining = false;
      }
      return { replayed, kept };
    },
    async pending() {
      let n = 0;
      for (const name of await batches()) n += completeLines(await readFile(join(dir, name), 'utf8')).length;
      return n;
    },
  };
}
