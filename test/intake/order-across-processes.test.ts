import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smsToInbound } from '../../src/channels/twilio/parse.js';
import { buildDeps, type Deps } from '../../src/composition.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { buildApp } from '../../src/server/app.js';
import { fail, startFakeOpenAi, type FakeOpenAi } from '../fakes/openai.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { BASE, newSid, postSms, smsParams, TWILIO } from '../helpers/channels.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { residents, type Resident } from '../helpers/residents.js';
import { readTwiml } from '../helpers/twiml.js';

/**
 * Two hotline processes on one database and Redis prefix (issue 15: a SIGKILL of one mid-burst lost and reordered
 * residents' messages; bench/fault-sigkill.ts is the whole fault). Process A stores a message and dies before its
 * turn (here: A stores it and its turn is never run), or stalls in its turn past the lock's TTL (here: a model that
 * does not answer, and the lock key deleted); process B gets the resident's next message, or the provider's
 * redelivery. Each message must be processed once, in the order sent, in one conversation.
 */
let twilio: FakeTwilio;
let llm: FakeOpenAi;
let a: TestEnv;
let b: { deps: Deps; app: FastifyInstance };

beforeAll(async () => {
  twilio = await startFakeTwilio({ accountSid: TWILIO.TWILIO_ACCOUNT_SID, authToken: TWILIO.TWILIO_AUTH_TOKEN });
  llm = await startFakeOpenAi();
  const shared = { ...TWILIO, TWILIO_API_BASE_URL: twilio.url, DATA_KEY: randomBytes(32).toString('base64') };
  // A reads turns with a model (so one of its turns can be held up at will); B runs on the rules alone.
  a = await createTestEnv({ ...shared, LLM_BASE_URL: llm.baseUrl, LLM_MODEL: 'test-model', LLM_TIMEOUT_MS: '7000' });
  const deps = await buildDeps(
    parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: a.databaseUrl, REDIS_PREFIX: a.config.redis.prefix, PUBLIC_BASE_URL: BASE, ...shared }),
    { logger: createLogger('silent') },
  );
  b = { deps, app: await buildApp(deps) };
});
afterAll(async () => {
  await b?.app.close();
  await b?.deps.close();
  await a?.close();
  await twilio?.close();
  await llm?.close();
});

const people = residents(4, 48);
/** The five SMS of an application for oneself (bench/fault-sigkill.ts): each answers what the last reply asked. */
const turns = (r: Resident) => [`我叫${r.name}，给自己申请低保，身份证${r.id}，家里三口人，住枣园镇东鲁村，老伴瘫痪在床`, '是', '同意', '没有', '对'];
const said = (res: { body: string }) => readTwiml(res.body).messages.join('\n');
const apiSmsTo = (phone: string) => twilio.messages.filter((m) => m.to === phone).map((m) => String(m.body));

/** What each turn committed, in commit order: the first reply of each of the sender's messages. */
async function committed(phone: string) {
  const inbound = await a.deps.db.message.findMany({ where: { direction: 'inbound', sender: phone }, select: { id: true, providerId: true, status: true, conversationId: true } });
  const firsts = await a.deps.db.message.findMany({ where: { idempotencyKey: { in: inbound.map((m) => `reply:${m.id}:0`) } }, orderBy: { createdAt: 'asc' }, select: { idempotencyKey: true } });
  return { inbound, order: firsts.map((r) => inbound.find((m) => r.idempotencyKey === `reply:${m.id}:0`)!.providerId) };
}

describe('per-sender order across processes', () => {
  it("a message stored by a process that died before its turn is answered first, by the process that got the resident's next one", async () => {
    const r = people[0]!;
    const [first, second] = [smsParams(r.phone, turns(r)[0]!), smsParams(r.phone, turns(r)[1]!)];
    // A stored the first SMS, then died: its turn never runs, and Twilio got no answer.
    const stored = await a.deps.intake.store(smsToInbound(first, new Date()));
    expect(stored.kind).toBe('stored');

    // The resident writes again ("是": the number to call back on); the balancer sends it to B.
    const res = await postSms(b.app, second);
    expect(res.statusCode).toBe(200);
    await b.deps.background.idle();
    // B ran the first message first: "是" answers the phone question its reply asked, and consent is asked next.
    expect(said(res)).toMatch(/授权/);
    expect(apiSmsTo(r.phone).join('\n')).toMatch(/是否用您现在这个号码/);
    const { inbound, order } = await committed(r.phone);
    expect(order).toEqual([first.MessageSid, second.MessageSid]);
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    expect(new Set(inbound.map((m) => m.conversationId)).size).toBe(1);
  });

  it('a redelivery of a message whose process died runs its turn, and gets its answer rather than an empty one', async () => {
    const r = people[1]!;
    const [first, second] = [smsParams(r.phone, turns(r)[0]!), smsParams(r.phone, turns(r)[1]!)];
    expect(said(await postSms(b.app, first))).toMatch(/是否用您现在这个号码/);
    // A stored "是" and died; Twilio (connection overrides) sends it again, to B.
    expect((await a.deps.intake.store(smsToInbound(second, new Date()))).kind).toBe('stored');
    const again = await postSms(b.app, second);
    expect(said(again)).toMatch(/授权/);
    // A third delivery is a plain repeat: the same answer, from storage.
    expect((await postSms(b.app, second)).body).toBe(again.body);
    expect(await a.deps.db.message.count({ where: { direction: 'inbound', providerId: second.MessageSid } })).toBe(1);
    expect((await committed(r.phone)).order).toEqual([first.MessageSid, second.MessageSid]);
  });

  it('two first messages of a new resident at once, one on each process, start one conversation and run in order', async () => {
    const r = people[2]!;
    const [first, second] = [smsParams(r.phone, turns(r)[0]!), smsParams(r.phone, turns(r)[1]!)];
    // Both stored before either turn ran: neither found a conversation to continue.
    const onA = await a.deps.intake.store(smsToInbound(first, new Date()));
    const onB = await b.deps.intake.store(smsToInbound(second, new Date()));
    if (onA.kind !== 'stored' || onB.kind !== 'stored') throw new Error('not stored');
    const [ra, rb] = await Promise.all([onA.turn(), onB.turn()]);
    await Promise.all([a.deps.background.idle(), b.deps.background.idle()]);
    // B's turn ran its own message (having run A's first, if it came first: A's turn then finds it done).
    expect(rb.kind).toBe('replied');
    expect(['replied', 'duplicate']).toContain(ra.kind);
    expect(await a.deps.db.conversation.count({ where: { identity: { address: r.phone } } })).toBe(1);
    const { inbound, order } = await committed(r.phone);
    expect(order).toEqual([first.MessageSid, second.MessageSid]);
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    // The dialog stepped once per message: the second reply asks for consent.
    const replies = await a.deps.db.message.findMany({ where: { direction: 'outbound', recipient: r.phone }, orderBy: { createdAt: 'asc' }, select: { text: true } });
    expect(replies.at(-1)?.text).toMatch(/授权/);
  });

  it('a turn whose lock ran out while it ran (its process stalled) commits nothing: the message is processed once', async () => {
    const r = people[3]!;
    // Details without saying for whom, so the relation is asked: a question in the resident's own words, which A's
    // model is asked about.
    expect(said(await postSms(b.app, smsParams(r.phone, `我叫${r.name}，身份证${r.id}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`)))).toMatch(/是否用您现在这个号码/);
    expect(said(await postSms(b.app, smsParams(r.phone, '是')))).toMatch(/为自己申请，还是替别人申请/);
    const second = smsParams(r.phone, '1');

    // A takes the answer and asks its model, which does not answer: A's turn stalls holding the lock.
    let release = () => {};
    llm.handle((_body, res) => {
      release = () => fail(res, 503);
    });
    const asked = llm.requests.length;
    const onA = postSms(a.app, second);
    for (let i = 0; i < 200 && llm.requests.length === asked; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(llm.requests.length).toBeGreaterThan(asked);
    // The lock runs out (its TTL, as when A's process stalls), and B's recovery sweep runs the waiting message; its
    // answer goes out through the Twilio API.
    const conversation = await a.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: r.phone } } });
    expect(await a.deps.redis.del(`${a.config.redis.prefix}:lock:conv:${conversation.id}`)).toBe(1);
    expect((await b.deps.intake.recover(0)).resumed).toBeGreaterThanOrEqual(1);
    const onB = await b.deps.db.message.findMany({ where: { direction: 'outbound', recipient: r.phone }, orderBy: { createdAt: 'desc' }, take: 1 });
    expect(onB[0]?.text).toMatch(/授权/);
    // The resident goes on meanwhile: consent given, the closing safety question asked.
    expect(said(await postSms(b.app, smsParams(r.phone, '同意', newSid('SM'))))).toMatch(/最后问一句/);

    // A's turn goes on without its model, and finds the message processed: it writes nothing (its state, a step
    // behind, would send the dialog back to the consent question) and answers from storage.
    release();
    const lateA = await onA;
    expect(lateA.statusCode).toBe(200);
    expect(said(lateA)).toMatch(/授权/);
    const { inbound } = await committed(r.phone);
    const msg = inbound.find((m) => m.providerId === second.MessageSid)!;
    expect(await a.deps.db.message.count({ where: { idempotencyKey: { startsWith: `reply:${msg.id}:` } } })).toBe(readTwiml(lateA.body).messages.length);
    // The dialog is where the resident left it: "没有" answers the safety question, and the read-back follows.
    expect(said(await postSms(b.app, smsParams(r.phone, '没有', newSid('SM'))))).toMatch(/请核对您的申请/);
  });
});
