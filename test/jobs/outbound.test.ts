import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboundJobId } from '../../src/jobs/outbox.js';
import { queueOutbound, type OutboundDraft } from '../../src/referrals/outbound.js';
import { AGENT_ID, fastSenders, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ jobs: { lockDurationMs: 1000, stalledIntervalMs: 300 } });
});
afterAll(async () => {
  await h?.close();
});

let n = 0;
const draft = (over: Partial<OutboundDraft> = {}): OutboundDraft => ({
  key: `test.outbound.${++n}`,
  channel: 'wecom_app',
  from: AGENT_ID,
  to: 'zaoyuan01',
  text: `测试消息 ${n}`,
  purpose: 'test',
  ...over,
});
const messageSends = () => h.wecom.requests.filter((r) => r.path === '/cgi-bin/message/send').length;
const row = (key: string) => h.env.deps.db.message.findUniqueOrThrow({ where: { idempotencyKey: key } });

describe('outbound messages', () => {
  it('sends a key once: twice at once and again later make one Message row and one request', async () => {
    const d = draft();
    const before = messageSends();
    await Promise.all([queueOutbound(h.deps, [d], h.clock.now()), queueOutbound(h.deps, [d], h.clock.now())]);
    await h.jobs.settle();
    await queueOutbound(h.deps, [{ ...d, text: 'a different text under the same key' }], h.clock.now());
    await h.jobs.ports.outbox.dispatch([d.key]);
    await h.jobs.settle();
    expect(messageSends() - before).toBe(1);
    expect(await h.env.deps.db.message.count({ where: { idempotencyKey: d.key } })).toBe(1);
    expect(await row(d.key)).toMatchObject({ status: 'sent', channel: 'wecom_app', direction: 'outbound', recipient: 'zaoyuan01', text: d.text, error: null });
    expect((await row(d.key)).providerId).toMatch(/^msg\d+$/);
  });

  it('retries a failing send with backoff and leaves it in the failed set with its error after 5 attempts', async () => {
    const d = draft();
    h.wecom.failNextHttp(5, 503);
    await queueOutbound(h.deps, [d], h.clock.now());
    await h.jobs.settle();
    const job = await h.jobs.queues.outbound.getJob(outboundJobId(d.key));
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(5);
    expect(job!.failedReason).toMatch(/^wecom_unavailable: WeCom .* answered HTTP 503/);
    expect(job!.data).toEqual({ idempotencyKey: d.key });
    expect(await row(d.key)).toMatchObject({ status: 'failed', error: expect.stringContaining('wecom_unavailable') });
  });

  it('does not retry a refusal: one attempt, failed with the provider error', async () => {
    const d = draft({ channel: 'sms', from: '+8653912349', to: '12349' });
    await queueOutbound(h.deps, [d], h.clock.now());
    await h.jobs.settle();
    const job = await h.jobs.queues.outbound.getJob(outboundJobId(d.key));
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(1);
    expect(job!.failedReason).toMatch(/^twilio_rejected: .*21211/);
    expect((await row(d.key)).status).toBe('failed');
  });

  it('survives a worker killed mid-send: another worker takes the job over and the message still goes out once', async () => {
    // Worker A's WeCom client stalls inside the request until the test lets it go.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const stalling: typeof fetch = async (input, init) => {
      if (String(input).includes('/message/send')) {
        entered();
        await gate;
      }
      return fetch(input, init);
    };
    await h.jobs.close();
    const a = h.moreJobs({ senders: fastSenders(h.wecom, h.twilio, stalling) });
    await a.startWorkers();
    const d = draft();
    const before = messageSends();
    await queueOutbound({ ...h.deps, outbox: a.ports.outbox }, [d], h.clock.now());
    await inside;
    await a.close({ force: true });

    const b = h.moreJobs();
    await b.startWorkers();
    release();
    await b.settle();
    expect(messageSends() - before).toBe(1);
    expect(h.wecom.sent.filter((m) => m.content === d.text)).toHaveLength(1);
    expect((await row(d.key)).status).toBe('sent');
    const job = await b.queues.outbound.getJob(outboundJobId(d.key));
    expect(await job!.getState()).toBe('completed');
    expect(job!.returnvalue).toBe('already_sent');
  });
});
