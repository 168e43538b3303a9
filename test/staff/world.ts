import { randomBytes, randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import type { Response } from 'light-my-request';
import { newState, type DialogState } from '../../src/dialogs/state.js';
import type { ChannelKind, DutyTaskKind } from '../../src/generated/prisma/enums.js';
import type { Prisma } from '../../src/generated/prisma/client.js';
import type { Jobs } from '../../src/jobs/create-jobs.js';
import { createReferrals } from '../../src/referrals/create.js';
import type { ReferralDeps } from '../../src/referrals/ports.js';
import type { PlannedReferral } from '../../src/routing/types.js';
import { createStaff } from '../../src/staff/create-staff.js';
import { maskIdNumber } from '../../src/privacy/personal-numbers.js';
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-api.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

/**
 * A hotline with fake Twilio and WeCom, staff of every role, and factories for cases, referrals and conversations:
 * what the staff-side tests (API, console, browser, Open311) stand on.
 */

export const TWILIO = { accountSid: `AC${'0'.repeat(31)}9`, authToken: 'staff-side-twilio-token' };
export const WECOM = { corpId: 'wwstaffside', secret: 'staff-side-secret' };
export const OUR_NUMBER = '+8653912349';
export const KF_ID = 'wkKF0001';
/** The Prometheus scraper's bearer token in these worlds; /metrics and /docs need it (or a signed-in staff member). */
export const METRICS_TOKEN = 'world-metrics-token-0123456789';
export const asScraper = { authorization: `Bearer ${METRICS_TOKEN}` };

export const STAFF = {
  supervisor: { name: '县督办 李主任', role: 'supervisor' },
  duty: { name: '值班员 张敏', role: 'duty_officer' },
  duty2: { name: '值班员 王强', role: 'duty_officer' },
  zaoyuan: { name: '枣园镇 赵社工', role: 'township_staff', township: 'zaoyuan' },
  bancheng: { name: '半程镇 孙社工', role: 'township_staff', township: 'bancheng' },
  minzheng: { name: '区民政局 周科员', role: 'agency_staff', agency: 'minzheng' },
  canlian: { name: '区残联 吴科员', role: 'agency_staff', agency: 'canlian' },
} as const;
export type StaffKey = keyof typeof STAFF;

export type World = {
  env: TestEnv;
  jobs: Jobs;
  deps: ReferralDeps;
  twilio: FakeTwilio;
  wecom: FakeWecom;
  token: Record<StaffKey, string>;
  id: Record<StaffKey, string>;
  /** A bearer-token API call as one of the staff. */
  api(who: StaffKey, method: InjectOptions['method'], url: string, payload?: unknown): Promise<Response>;
  close(): Promise<void>;
};

/** `now`: the service's clock (console, metrics, job delays); the factories below still stamp rows with the wall clock unless given `at`. */
export async function buildWorld(env: Record<string, string> = {}, opts: { now?: () => Date } = {}): Promise<World> {
  const twilio = await startFakeTwilio(TWILIO);
  const wecom = await startFakeWecom(WECOM);
  const test = await createTestEnv({
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_NUMBER_12349: OUR_NUMBER,
    TWILIO_API_BASE_URL: twilio.url,
    WECOM_CORP_ID: WECOM.corpId,
    WECOM_TOKEN: 'callback-token',
    WECOM_ENCODING_AES_KEY: 'b'.repeat(43),
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: WECOM.secret,
    WECOM_API_BASE_URL: wecom.url,
    METRICS_TOKEN,
    // Figures are read right after the changes the tests make: no cached answers here (test/http covers the caches).
    METRICS_CACHE_SECONDS: '0',
    OPEN311_CACHE_SECONDS: '0',
    ...env,
  }, { now: opts.now });
  const token = {} as Record<StaffKey, string>;
  const id = {} as Record<StaffKey, string>;
  for (const [key, s] of Object.entries(STAFF) as [StaffKey, (typeof STAFF)[StaffKey]][]) {
    const made = await createStaff(test.deps.db, s);
    token[key] = made.token;
    id[key] = made.id;
  }
  return {
    env: test,
    jobs: test.deps.jobs,
    deps: test.deps.referrals,
    twilio,
    wecom,
    token,
    id,
    api: (who, method, url, payload) =>
      test.app.inject({ method, url, headers: { authorization: `Bearer ${token[who]}` }, ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }) }),
    async close() {
      await test.close();
      await twilio.close();
      await wecom.close();
    },
  };
}

let seq = 0;
const nextNumber = () => `2026${String(Date.now() % 100000000).padStart(8, '0')}${String(++seq).padStart(3, '0')}`.slice(0, 15);

export const ID_NUMBER = '11010519491231002X';
export const PHONE = '13812345678';

export type CaseOptions = {
  township?: string;
  phone?: string | null;
  idNumber?: string | null;
  categories?: string[];
  type?: 'application' | 'emergency' | 'enquiry' | 'clue';
  status?: 'accepted' | 'closed' | 'incomplete' | 'merged';
  urgent?: boolean;
  channel?: ChannelKind;
  conversationId?: string;
  name?: string;
  at?: Date;
};

/** A case as the intake leaves it, with an encrypted ID number and a phone unless told otherwise. */
export async function makeCase(w: World, o: CaseOptions = {}) {
  const { db, cipher, directory } = w.env.deps;
  const idNumber = o.idNumber === undefined ? ID_NUMBER : o.idNumber;
  return db.case.create({
    data: {
      trackingNumber: nextNumber(),
      type: o.type ?? 'application',
      status: o.status ?? 'accepted',
      urgent: o.urgent ?? false,
      categories: o.categories ?? ['minimum_living'],
      channel: o.channel ?? 'sms',
      conversationId: o.conversationId ?? null,
      applicantName: o.name ?? '王秀云',
      idNumberEnc: idNumber ? cipher.encrypt(idNumber) : null,
      idNumberHash: idNumber ? cipher.lookupHash(idNumber) : null,
      idNumberMasked: idNumber ? maskIdNumber(idNumber) : null,
      phone: o.phone === undefined ? PHONE : o.phone,
      householdSize: 3,
      townshipId: o.township ? (directory.townshipId(o.township) ?? null) : null,
      address: '东街12号',
      reason: '丈夫去年病故，没有收入',
      createdAt: o.at ?? new Date(),
    },
  });
}

export const plan = (p: Partial<PlannedReferral> & Pick<PlannedReferral, 'unit'>): PlannedReferral => ({ category: 'minimum_living', role: 'lead', step: 'handle', ...p });

/** A case with one referral to `unit`, dispatched at `at` (a past date makes it overdue). */
export async function makeReferral(w: World, unit: PlannedReferral['unit'], o: CaseOptions & { planned?: Partial<PlannedReferral> } = {}) {
  const c = await makeCase(w, o);
  const { referrals } = await createReferrals(w.deps, {
    caseId: c.id,
    caseTrackingNumber: c.trackingNumber,
    caseType: o.type ?? 'application',
    urgent: o.urgent ?? false,
    now: o.at ?? new Date(),
    planned: [plan({ unit, ...o.planned })],
  });
  return { kase: c, referral: referrals[0]! };
}

export const township = (code: string) => ({ kind: 'township' as const, code });
export const agency = (code: string) => ({ kind: 'agency' as const, code });

/** A resident's conversation as the intake leaves it: their message, the bot's state, and a duty flag. */
export async function makeConversation(
  w: World,
  o: { channel?: 'sms' | 'wecom_kf' | 'wecom_app'; sender?: string; text?: string; state?: Partial<DialogState>; flag?: DutyTaskKind | null; urgent?: boolean } = {},
) {
  const { db } = w.env.deps;
  const channel = o.channel ?? 'sms';
  const sender = o.sender ?? (channel === 'sms' ? `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` : `wm${randomBytes(6).toString('hex')}`);
  const recipient = channel === 'sms' ? OUR_NUMBER : channel === 'wecom_kf' ? KF_ID : '1000002';
  const kind = channel === 'sms' ? 'phone' : channel === 'wecom_kf' ? 'wechat_external' : 'wecom_user';
  const identity = await db.channelIdentity.create({ data: { kind, address: sender } });
  const at = new Date().toISOString();
  const state: DialogState = { ...newState(channel, at), ...o.state };
  const conversation = await db.conversation.create({ data: { identityId: identity.id, channel, state: state as unknown as Prisma.InputJsonValue } });
  await db.message.create({
    data: {
      channel,
      direction: 'inbound',
      providerId: randomUUID(),
      conversationId: conversation.id,
      sender,
      recipient,
      text: o.text ?? '我要找人工，我的身份证是11010519491231002X',
      status: 'processed',
      receivedAt: new Date(),
    },
  });
  const task =
    o.flag === null
      ? null
      : await db.dutyTask.create({
          data: { kind: o.flag ?? 'asked_for_person', urgent: o.urgent ?? false, reason: '居民要求转人工（申请救助）', conversationId: conversation.id, contact: sender },
        });
  return { conversation, task, sender };
}
