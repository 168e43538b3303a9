import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createTwilioRest } from '../../src/channels/twilio/rest.js';
import { createWecomApi } from '../../src/channels/wecom/api.js';
import type { ChannelKind, StaffRole } from '../../src/generated/prisma/enums.js';
import { createJobs, type Jobs, type JobsOptions } from '../../src/jobs/create-jobs.js';
import { createReferrals } from '../../src/referrals/create.js';
import type { ReferralDeps } from '../../src/referrals/ports.js';
import type { PlannedReferral } from '../../src/routing/types.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

/** A clock the test moves by hand; every delay and due check in the job system reads it. */
export interface Clock {
  now(): Date;
  set(at: string | Date): void;
  advance(ms: number): void;
}

export function createClock(start: string): Clock {
  let t = new Date(start);
  return {
    now: () => new Date(t),
    set: (at) => {
      t = new Date(at);
    },
    advance: (ms) => {
      t = new Date(t.getTime() + ms);
    },
  };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/**
 * The horizon most files run with: wider than any deadline they set, so every pending timer has its delayed job and
 * they can check that jobs follow the rows exactly. horizon.test.ts and recovery.test.ts run the production default.
 */
export const WIDE_HORIZON_MS = 366 * DAY;

const CORP = { corpId: 'wwhotlinetest', secret: 'app-secret' };
const TWILIO = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: 'twilio-token' };
export const AGENT_ID = '1000002';
export const HOTLINE_NUMBER = '+8653912349';

export interface Harness {
  env: TestEnv;
  clock: Clock;
  wecom: FakeWecom;
  twilio: FakeTwilio;
  jobs: Jobs;
  deps: ReferralDeps;
  /** Another job system on the same database and Redis prefix (a second worker process). */
  moreJobs(opts?: JobsOptions): Jobs;
  close(): Promise<void>;
}

/** Provider clients that fail fast: one try each, so retry behaviour is BullMQ's alone. */
export function fastSenders(wecom: FakeWecom, twilio: FakeTwilio, fetch?: typeof globalThis.fetch) {
  const w = createWecomApi({ baseUrl: wecom.url, ...CORP, attempts: 1, baseDelayMs: 1, fetch });
  return { wecomApp: w, wecomKf: w, twilio: createTwilioRest({ baseUrl: twilio.url, ...TWILIO, attempts: 1, baseDelayMs: 1 }) };
}

/**
 * A hotline on its own database and Redis prefix, with fake WeCom and Twilio servers, a hand-moved clock and the
 * job workers running. `env` may point REDIS_URL at a logical database of the test's own.
 */
export async function startHarness(opts: { start?: string; env?: Record<string, string>; jobs?: JobsOptions; workers?: boolean } = {}): Promise<Harness> {
  const wecom = await startFakeWecom(CORP);
  const twilio = await startFakeTwilio(TWILIO);
  const env = await createTestEnv({
    LOG_LEVEL: 'info',
    WECOM_CORP_ID: CORP.corpId,
    WECOM_TOKEN: 'callback-token',
    WECOM_ENCODING_AES_KEY: 'a'.repeat(43),
    WECOM_AGENT_ID: AGENT_ID,
    WECOM_SECRET: CORP.secret,
    WECOM_API_BASE_URL: wecom.url,
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_NUMBER_12349: HOTLINE_NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    ...opts.env,
  });
  const clock = createClock(opts.start ?? '2026-11-02T09:00:00+08:00');
  const all: Jobs[] = [];
  const moreJobs = (more: JobsOptions = {}) => {
    const j = createJobs(env.deps, { now: clock.now, outboundBackoffMs: 10, senders: fastSenders(wecom, twilio), timerHorizonMs: WIDE_HORIZON_MS, ...opts.jobs, ...more });
    all.push(j);
    return j;
  };
  const jobs = moreJobs();
  if (opts.workers !== false) await jobs.startWorkers();
  return {
    env,
    clock,
    wecom,
    twilio,
    jobs,
    deps: { ...env.deps, ...jobs.ports },
    moreJobs,
    async close() {
      for (const j of all) await j.close();
      await env.close();
      await wecom.close();
      await twilio.close();
    },
  };
}

let seq = 0;
/** Case numbers are unique per database, and every test file has its own. */
const caseNumber = () => `20261102${String(++seq).padStart(4, '0')}`;

export interface CaseOptions {
  channel?: ChannelKind;
  phone?: string;
  townshipCode?: string;
  urgent?: boolean;
  /** For WeChat customer service: the resident's external_userid and our open_kfid. */
  kf?: { externalUserId: string; openKfId: string };
}

/** A case as the intake leaves it (accepted), optionally with the WeChat conversation it came through. */
export async function makeCase(h: Harness, o: CaseOptions = {}) {
  const { db, directory } = h.env.deps;
  let conversationId: string | null = null;
  if (o.kf) {
    const identity = await db.channelIdentity.create({ data: { kind: 'wecom_kf', address: o.kf.externalUserId } });
    const conversation = await db.conversation.create({ data: { identityId: identity.id, channel: 'wecom_kf' } });
    conversationId = conversation.id;
    await db.message.create({
      data: {
        channel: 'wecom_kf',
        direction: 'inbound',
        providerId: randomUUID(),
        conversationId,
        sender: o.kf.externalUserId,
        recipient: o.kf.openKfId,
        text: '我想申请低保',
        status: 'processed',
        receivedAt: h.clock.now(),
      },
    });
  }
  return db.case.create({
    data: {
      trackingNumber: caseNumber(),
      type: 'application',
      status: 'accepted',
      urgent: o.urgent ?? false,
      channel: o.channel ?? (o.kf ? 'wecom_kf' : 'sms'),
      phone: o.phone ?? null,
      townshipId: o.townshipCode ? (directory.townshipId(o.townshipCode) ?? null) : null,
      conversationId,
      applicantName: '王某',
      idNumberMasked: '110***********002X',
      createdAt: h.clock.now(),
    },
  });
}

export async function makeStaff(h: Harness, role: StaffRole, wecomUserId?: string) {
  return h.env.deps.db.staffUser.create({ data: { name: `${role} ${++seq}`, role, tokenHash: randomBytes(32).toString('hex'), wecomUserId: wecomUserId ?? null } });
}

export const staffActor = (s: { id: string; role: StaffRole }) => ({ type: 'staff' as const, id: s.id, role: s.role });
export type StaffActor = ReturnType<typeof staffActor>;

/**
 * The harness of one test file: started before its tests, closed after them (after the file's own afterAll hooks).
 * Its fields are filled in once the file's first beforeAll hook has run.
 */
export function useHarness(opts: Parameters<typeof startHarness>[0] = {}): Harness {
  const h = {} as Harness;
  beforeAll(async () => {
    Object.assign(h, await startHarness(opts));
  });
  afterAll(async () => {
    await h.close?.();
  });
  return h;
}

/** A staff member made in the file's harness before its tests, as the actor the referral functions take. */
export function useStaff(h: Harness, role: StaffRole, wecomUserId?: string): StaffActor {
  const actor = {} as StaffActor;
  beforeAll(async () => {
    Object.assign(actor, staffActor(await makeStaff(h, role, wecomUserId)));
  });
  return actor;
}

export const plan = (p: Partial<PlannedReferral> & Pick<PlannedReferral, 'unit'>): PlannedReferral => ({ category: 'minimum_living', role: 'lead', step: 'handle', ...p });

/** Messages the fake WeCom delivered to one member. */
export const sentTo = (h: Harness, toUser: string) => h.wecom.sent.filter((m) => m.toUser === toUser);

/** One case with one referral, created at the clock's time. */
export async function makeReferral(h: Harness, p: Partial<PlannedReferral> & Pick<PlannedReferral, 'unit'>, c: CaseOptions = {}) {
  const kase = await makeCase(h, c);
  const { referrals } = await createReferrals(h.deps, {
    caseId: kase.id,
    caseTrackingNumber: kase.trackingNumber,
    caseType: c.urgent ? 'emergency' : 'application',
    urgent: c.urgent ?? false,
    now: h.clock.now(),
    planned: [plan(p)],
  });
  return referrals[0]!;
}

/** The state of a referral's timer rows: step → 'pending' | 'fired' | 'cancelled' with its due time. */
export async function timerStates(h: Harness, referralId: string) {
  const rows = await h.env.deps.db.referralTimer.findMany({ where: { referralId }, orderBy: { dueAt: 'asc' } });
  return Object.fromEntries(rows.map((t) => [t.step, { state: t.firedAt ? 'fired' : t.cancelledAt ? 'cancelled' : 'pending', dueAt: t.dueAt }]));
}
