import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createSpool } from '../../src/intake/spool.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { postSms, smsParams } from '../helpers/channels.js';
import { fuzzRequests } from './fuzz-requests.js';

// A full collection before each memory reading, so the figure is what stays, not garbage not yet collected.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memory = () => {
  gc();
  return process.memoryUsage();
};

const SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
const COUNT = 10_000;
const WARM_UP = 2000;
const CONCURRENCY = 16;
// Quieter logs keep the 10,000 requests' bookkeeping out of the memory figure; warnings (refusals) still count.
const world = withProviders({ twilio: true, wecom: true, spool: 'fuzz-spool-', env: { LOG_LEVEL: 'warn' } });

describe(`fuzz: ${COUNT} malformed and hostile requests (seed ${SEED})`, () => {
  it('never answers 5xx, never crashes, stores nothing unsigned, and memory stays flat', { timeout: 120_000 }, async () => {
    const requests = fuzzRequests(SEED, COUNT);
    const signedIds = new Set<string>();
    const messagesBefore = await world.env.deps.db.message.count();
    const statuses = new Map<number, number>();
    const serverErrors: string[] = [];
    const send = async (n: number) => {
      for (let sent = 0; sent < n; sent += CONCURRENCY) {
        const batch = [];
        for (let k = 0; k < CONCURRENCY; k++) {
          const next = requests.next();
          if (!next.done) batch.push(next.value);
        }
        await Promise.all(
          batch.map(async (req) => {
            for (const id of req.ids) signedIds.add(id);
            const res = await world.env.app.inject(req.inject);
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500) serverErrors.push(`${req.label} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          }),
        );
      }
    };
    // The first two thousand warm up the JIT, the pools, the caches and the allocator; memory is measured over the rest.
    await send(WARM_UP);
    const before = memory();
    // RSS after each further thousand: a leak climbs, a warmed-up process stays level.
    const rssSeries: number[] = [];
    for (let done = WARM_UP; done < COUNT; done += 1000) {
      await send(Math.min(1000, COUNT - done));
      rssSeries.push(memory().rss);
    }
    await world.env.deps.background.idle();
    const after = memory();
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(0)} MB`;
    console.log(
      `fuzz ${COUNT} requests: statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; ` +
        `after ${WARM_UP} warm-up requests → end: RSS ${mb(before.rss)} → ${mb(after.rss)} (each 1000: ${rssSeries.map(mb).join(', ')}), ` +
        `heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)}`,
    );

    expect(serverErrors).toEqual([]);
    // Still serving.
    expect((await world.env.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Every stored inbound message came from a validly signed request; replies are ours.
    const inbound = await world.env.deps.db.message.findMany({ where: { direction: 'inbound' }, select: { providerId: true } });
    const unsigned = inbound.filter((m) => !signedIds.has(m.providerId.replace(/:.*$/, '')));
    expect(unsigned).toEqual([]);
    expect(inbound.length).toBeLessThanOrEqual(signedIds.size + messagesBefore);
    // Nothing hostile is stuck: what was accepted is stored, not left in the spool as a message the database refuses.
    await world.env.deps.intake.recover(0);
    expect(await createSpool(world.spoolDir, world.env.deps.cipher).pending()).toBe(0);
    // Memory: a leak of even a few kB per request would show as tens of MB over 8,000 requests.
    expect(after.heapUsed - before.heapUsed).toBeLessThan(32 * 2 ** 20);
    expect(after.rss - before.rss).toBeLessThan(64 * 2 ** 20);
  });

  it('a signed message carrying NUL characters is stored and answered, not mistaken for a database outage', async () => {
    const params = smsParams('+8613900000\u0000001', '你好\u0000');
    const res = await postSms(world.env.app, params);
    expect(res.statusCode).toBe(200);
    expect(readTwiml(res.body).messages.join('')).toMatch(/1 紧急求助/);
    const row = await world.env.deps.db.message.findFirstOrThrow({ where: { providerId: params.MessageSid } });
    expect(row).toMatchObject({ text: '你好', sender: '+8613900000001', status: 'processed' });
    expect(await createSpool(world.spoolDir, world.env.deps.cipher).pending()).toBe(0);
  });
});
