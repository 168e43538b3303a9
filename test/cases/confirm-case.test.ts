import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, type OpenCaseInput } from '../../src/cases/open-case.js';
import { routeOpenedCase, type RouteCaseDeps } from '../../src/cases/route-case.js';
import { flagUrgentCase } from '../../src/intake/duty.js';
import { outboundJobId } from '../../src/jobs/outbox.js';
import { createReferrals } from '../../src/referrals/create.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { query } from '../helpers/pg.js';

/**
 * A resident's confirmation opens, classifies and routes the case in one statement (src/cases/confirm-case.ts). It
 * must leave exactly what recording the case (openCase) and then routing it step by step (routeCase, createReferrals)
 * leaves: the same rows in every table it touches, the same trail in the same order, the same jobs. Two hotlines on
 * databases and Redis prefixes of their own, one clock and one DATA_KEY, are given the same cases one after another:
 * `oneStep` through the confirmation, `stepByStep` the older way; their tables and queues are then compared, ids
 * replaced by what they name.
 */

const AT = new Date('2026-11-02T01:00:00Z'); // a Monday, 09:00 in the county
const ENV = {
  DATA_KEY: randomBytes(32).toString('base64'),
  WECOM_CORP_ID: 'wwconfirmcase',
  WECOM_TOKEN: 'callback-token',
  WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'app-secret',
};

let oneStep: TestEnv;
let stepByStep: TestEnv;
beforeAll(async () => {
  [oneStep, stepByStep] = await Promise.all([createTestEnv(ENV, { now: () => new Date(AT) }), createTestEnv(ENV, { now: () => new Date(AT) })]);
});
afterAll(async () => {
  await Promise.all([oneStep?.close(), stepByStep?.close()]);
});

/** The same identity and conversation in both hotlines (their ids differ; the comparison names them by address). */
async function resident(env: TestEnv, address: string) {
  const identity = await env.deps.db.channelIdentity.upsert({ where: { kind_address: { kind: 'phone', address } }, create: { kind: 'phone', address }, update: {} });
  const conversation =
    (await env.deps.db.conversation.findFirst({ where: { identityId: identity.id } })) ??
    (await env.deps.db.conversation.create({ data: { identityId: identity.id, channel: 'sms', startedAt: AT, lastMessageAt: AT } }));
  return { identityId: identity.id, conversationId: conversation.id };
}

const P = { address: '+8613800138111', name: '王秀英', idNumber: '11010519491231002X', phone: '13800138111' };
const Q = { address: '+8613900139222', name: '李桂兰', idNumber: '37130219500101002X', phone: '13900139222' };
let seq = 0;
/** A message id per case, the same in both hotlines. */
const messageId = () => `0190a000-0000-7000-8000-${String(++seq).padStart(12, '0')}`;

type Case = Omit<OpenCaseInput, 'identityId' | 'conversationId' | 'channel'> & { who: typeof P };

async function openOneStep(c: Case, msg: string) {
  const ids = await resident(oneStep, c.who.address);
  const { who, ...input } = c;
  const full = { ...input, ...ids, channel: 'sms' as const, openedByMessageId: msg };
  // As the dialog does (src/intake/dialog-effects.ts): a partial record is only kept, a confirmed one opened and routed.
  if (!c.complete) {
    const kept = await openCase({ db: oneStep.deps.db, cipher: oneStep.deps.cipher, directory: oneStep.deps.directory, tracking: oneStep.deps.tracking, now: AT }, full);
    return { trackingNumber: kept.trackingNumber } as { trackingNumber: string; mergedInto?: string };
  }
  return oneStep.deps.turnDeps.openConfirmedCase(full, AT);
}

async function openStepByStep(c: Case, msg: string) {
  const env = stepByStep;
  const { db, directory, cipher, tracking, logger, config, jobs } = env.deps;
  const ids = await resident(env, c.who.address);
  const { who, ...input } = c;
  const opened = await openCase({ db, cipher, directory, tracking, now: AT }, { ...input, ...ids, channel: 'sms', openedByMessageId: msg });
  if (!c.complete) return { trackingNumber: opened.trackingNumber } as { trackingNumber: string; mergedInto?: string };
  const routing: RouteCaseDeps = {
    db,
    directory,
    logger,
    now: () => new Date(AT),
    createReferrals: (i) => createReferrals(env.deps.referrals, i),
    flagUrgent: (flag) => flagUrgentCase({ db, outbox: jobs.ports.outbox, config, directory }, flag, new Date(AT)),
  };
  return { trackingNumber: opened.trackingNumber, ...(await routeOpenedCase(routing, opened.id)) };
}

/** Opens the case in both hotlines; both tell the resident the same. */
async function both(c: Case) {
  const msg = messageId();
  const a = await openOneStep(c, msg);
  const b = await openStepByStep(c, msg);
  expect({ trackingNumber: a.trackingNumber, mergedInto: a.mergedInto }).toEqual({ trackingNumber: b.trackingNumber, mergedInto: b.mergedInto });
  return { ...a, msg };
}

const application = (who: typeof P, reason: string, categoriesHint: string[], extra: Partial<Case> = {}): Case => ({
  type: 'application',
  complete: true,
  who,
  applicant: { name: who.name, idNumber: who.idNumber, phone: who.phone, householdSize: 3, townshipCode: 'zaoyuan', villageCode: 'donglu', relation: '本人', reason },
  consent: { given: true, at: AT, channel: 'sms' },
  categoriesHint,
  missing: [],
  ...extra,
});

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Every row opening and routing a case touches, ids replaced by what they name, wall-clock stamps left out. */
async function snapshot(env: TestEnv) {
  const q = (sql: string) => query(env.databaseUrl, sql);
  const cases = await q(`SELECT * FROM "Case" ORDER BY "trackingNumber"`);
  const referrals = await q(`SELECT * FROM "Referral" ORDER BY "trackingNumber"`);
  const residents = await q(`SELECT * FROM "Resident" ORDER BY "idNumberHash"`);
  const identities = await q(`SELECT * FROM "ChannelIdentity" ORDER BY address`);
  const conversations = await q(`SELECT c.* FROM "Conversation" c JOIN "ChannelIdentity" i ON i.id = c."identityId" ORDER BY i.address`);
  const tasks = await q(`SELECT * FROM "DutyTask" ORDER BY "createdAt", reason`);
  const names = new Map<string, string>();
  for (const table of ['Township', 'Village', 'Agency']) for (const r of await q(`SELECT id, code FROM "${table}"`)) names.set(r.id, `${table}:${r.code}`);
  for (const r of cases) names.set(r.id, `case:${r.trackingNumber}`);
  for (const r of referrals) names.set(r.id, `referral:${r.trackingNumber}`);
  for (const r of residents) names.set(r.id, `resident:${r.idNumberMasked}`);
  for (const r of identities) names.set(r.id, `identity:${r.address}`);
  for (const r of conversations) names.set(r.id, `conversation:${names.get(r.identityId)}`);
  for (const r of tasks) names.set(r.id, `duty:${names.get(r.caseId) ?? r.reason}`);
  const timers = await q(`SELECT * FROM "ReferralTimer"`);
  for (const r of timers) names.set(r.id, `timer:${names.get(r.referralId)}:${r.step}`);
  const messages = await q(`SELECT * FROM "Message" WHERE direction = 'outbound'`);
  const named = <T>(v: T): T => JSON.parse(JSON.stringify(v).replace(UUID, (id) => names.get(id) ?? (id.startsWith('0190a000-') ? id : `unknown:${id}`)));
  for (const r of messages) names.set(r.id, `message:${named(r.idempotencyKey)}`);
  const without = (rows: Record<string, unknown>[], ...columns: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !columns.includes(k))));
  const byKey = (rows: Record<string, unknown>[], key: string) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
  const tables = named({
    cases: without(cases, 'updatedAt').map((r) => ({ ...r, idNumberEnc: r.idNumberEnc ? env.deps.cipher.decrypt(String(r.idNumberEnc)) : null })),
    residents: without(residents, 'createdAt', 'updatedAt').map((r) => ({ ...r, idNumberEnc: r.idNumberEnc ? env.deps.cipher.decrypt(String(r.idNumberEnc)) : null })),
    identities: without(identities, 'createdAt'),
    links: without(await q(`SELECT * FROM "CaseLink"`), 'createdAt'),
    referrals: without(referrals, 'updatedAt'),
    timers,
    messages: byKey(named(without(messages, 'createdAt')), 'idempotencyKey'),
    tasks,
    trail: await q(`SELECT * FROM "AuditEvent" ORDER BY id`),
    counters: await q(`SELECT * FROM "DailyCounter"`),
  }) as Record<'cases' | 'residents' | 'identities' | 'links' | 'referrals' | 'timers' | 'messages' | 'tasks' | 'trail' | 'counters', Record<string, unknown>[]>;

  // The jobs waiting in Redis: timer jobs with their delays, messages handed to the outbound queue.
  const { timers: timerQueue, outbound } = env.deps.jobs.queues;
  const timerJobs = await timerQueue.getJobs(['delayed', 'waiting', 'prioritized']);
  const outboundJobs = await outbound.getJobs(['delayed', 'waiting', 'prioritized']);
  for (const j of outboundJobs) expect(j.id).toBe(outboundJobId(j.data.idempotencyKey));
  const jobs = named({
    timers: timerJobs.map((j) => ({ id: j.id, name: j.name, data: j.data, delay: j.delay })),
    outbound: outboundJobs.map((j) => ({ name: j.name, key: j.data.idempotencyKey as string })),
  });
  return { tables, jobs: { timers: byKey(jobs.timers, 'id'), outbound: byKey(jobs.outbound, 'key') } };
}

describe('a confirmed case opened and routed in one statement', () => {
  it('writes the rows, the trail and the jobs that recording then routing it step by step writes', async () => {
    // Routed: 低保 for an applicant at home, referrals to the township and the county agency.
    const first = await both(application(P, '老伴瘫痪在床，家里没有收入，想申请低保', ['minimum_living']));
    // The same person, the same matter, still open: merged into the first (并单).
    const again = await both(application(P, '还是想申请低保，家里实在困难', ['minimum_living']));
    expect(again.mergedInto).toBe(first.trackingNumber);
    // The same person, another matter: routed and linked to the first.
    await both(application(P, '老伴住院做手术，花了十几万医药费', ['medical']));
    // An emergency with danger now: urgent referrals, deadlines in hours, timer jobs due within the horizon.
    await both({
      type: 'emergency',
      complete: true,
      who: Q,
      applicant: { name: Q.name, phone: Q.phone, townshipCode: 'lanshan', villageCode: 'xihe', address: '西河村三组', reason: '家里着火了，房子烧了一半，老人没地方住' },
      emergency: { what: '家里着火了，房子烧了一半，老人没地方住', dangerNow: true, townshipCode: 'lanshan', villageCode: 'xihe' },
      urgent: true,
      categoriesHint: ['temporary'],
      missing: [],
    });
    // A story that reads as urgent although the dialog did not say so: a duty officer is asked to look now.
    await both(application(Q, '老人在家摔倒了，现在昏迷不醒，没人照顾', ['elderly']));
    // A partial record kept when the resident went quiet, completed by a later confirmation.
    const partial = await both(application(Q, '孩子上学交不起学费', ['education'], { complete: false, missing: ['consent'] }));
    await both(application(Q, '孩子上学交不起学费，想申请教育救助', ['education'], { completes: partial.trackingNumber }));

    const [a, b] = await Promise.all([snapshot(oneStep), snapshot(stepByStep)]);
    expect(a.tables.cases).toHaveLength(6);
    expect(a.tables.referrals.length).toBeGreaterThan(6);
    expect(a.tables.links.length).toBeGreaterThan(0);
    expect(a.tables.tasks.length).toBeGreaterThan(0);
    expect(a.jobs.timers.length).toBeGreaterThan(0);
    expect([...JSON.stringify(a).matchAll(/.{60}unknown:.{40}/g)].map((m) => m[0])).toEqual([]);
    for (const table of Object.keys(b.tables) as (keyof typeof b.tables)[]) expect(a.tables[table], table).toEqual(b.tables[table]);
    expect(a.jobs).toEqual(b.jobs);
  });

  it('a replayed confirmation finds its case and writes nothing more', async () => {
    const msg = messageId();
    const c = application(P, '想申请临时救助，家里房子漏雨', ['housing']);
    const first = await openOneStep(c, msg);
    const before = await snapshot(oneStep);
    expect(await openOneStep(c, msg)).toEqual(first);
    expect(await snapshot(oneStep)).toEqual(before);
  });
});
