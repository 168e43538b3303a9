import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createSpool } from '../../src/intake/spool.js';
import { createPersonalDataCipher } from '../../src/privacy/cipher.js';

const ID = '11010519491231002X';
const cipher = createPersonalDataCipher(randomBytes(32));

const message = (n: number, text = `我叫王秀英，身份证${ID}`): InboundMessage => ({
  channel: 'sms',
  providerId: `SM${n}`,
  sender: '+8613912345678',
  recipient: '+8653912349',
  text,
  media: [],
  receivedAt: new Date('2026-11-22T02:00:00.000Z'),
  raw: { MessageSid: `SM${n}`, Body: text },
});

async function spoolDir() {
  return mkdtemp(join(tmpdir(), 'privacy-spool-'));
}

async function journalText(dir: string) {
  let text = '';
  for (const name of await readdir(dir)) text += await readFile(join(dir, name), 'utf8');
  return text;
}

async function drainAll(spool: ReturnType<typeof createSpool>) {
  const seen: InboundMessage[] = [];
  const result = await spool.drain(async (msg) => {
    seen.push(msg);
  });
  return { ...result, seen };
}

describe('the intake spool at rest', () => {
  it('journals each message sealed, and replays it as it came', async () => {
    const dir = await spoolDir();
    const spool = createSpool(dir, cipher);
    await spool.append(message(1));
    await spool.append(message(2, '电话13812345678'));
    const text = await journalText(dir);
    expect(text).not.toContain(ID);
    expect(text).not.toContain('13812345678');
    expect(text.trim().split('\n').every((l) => /^v1:[A-Za-z0-9+/=]+$/.test(l))).toBe(true);
    expect(await spool.pending()).toBe(2);

    const { replayed, kept, seen } = await drainAll(spool);
    expect({ replayed, kept }).toEqual({ replayed: 2, kept: 0 });
    expect(seen).toEqual([message(1), message(2, '电话13812345678')]);
    expect(await spool.pending()).toBe(0);
  });

  it('still replays plain JSON lines journalled before lines were sealed', async () => {
    const dir = await spoolDir();
    await writeFile(join(dir, 'inbound-4242.jsonl'), `${JSON.stringify(message(3))}\n`);
    const spool = createSpool(dir, cipher);
    await spool.append(message(4));
    const { replayed, seen } = await drainAll(spool);
    expect(replayed).toBe(2);
    expect(seen.map((m) => m.providerId).sort()).toEqual(['SM3', 'SM4']);
  });

  it('keeps a line sealed with another DATA_KEY instead of losing it, for when the right key is back', async () => {
    const dir = await spoolDir();
    await createSpool(dir, createPersonalDataCipher(randomBytes(32))).append(message(5));
    const spool = createSpool(dir, cipher);
    const first = await drainAll(spool);
    expect(first).toMatchObject({ replayed: 0, kept: 1, seen: [] });
    expect(await spool.pending()).toBe(1);
    expect(await journalText(dir)).not.toContain(ID);
  });

  it('keeps a message its handler could not store, sealed, for the next drain', async () => {
    const dir = await spoolDir();
    const spool = createSpool(dir, cipher);
    await spool.append(message(6));
    expect(
      await spool.drain(async () => {
        throw new Error('database still down');
      }),
    ).toEqual({ replayed: 0, kept: 1 });
    expect(await journalText(dir)).not.toContain(ID);
    expect((await drainAll(spool)).seen).toEqual([message(6)]);
  });

  it('drops a last line a crash cut short (never fsync’d, so never answered) without blocking the lines before it', async () => {
    const dir = await spoolDir();
    const sealed = cipher.encrypt(JSON.stringify(message(7)));
    await writeFile(join(dir, 'inbound-4243.jsonl'), `${sealed}\n${cipher.encrypt(JSON.stringify(message(8))).slice(0, 40)}`);
    const spool = createSpool(dir, cipher);
    expect(await spool.pending()).toBe(1);
    const { replayed, kept, seen } = await drainAll(spool);
    expect({ replayed, kept }).toEqual({ replayed: 1, kept: 0 });
    expect(seen).toEqual([message(7)]);
    expect(await spool.pending()).toBe(0);
  });
});
