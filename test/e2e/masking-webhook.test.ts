import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDigits } from '../../src/dialogs/understand/digits.js';
import { extractPhone, extractPhoneLoose, findIdNumber, normalizeUtterance, parseIdNumber } from '../../src/dialogs/understand/index.js';
import { createStaff } from '../../src/staff/create-staff.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { variants } from '../privacy/number-variants.js';
import { postSms, smsParams, TWILIO } from '../helpers/channels.js';

/**
 * A sample of the generated ID and phone variants (test/privacy/personal-numbers.test.ts runs 10,000+ through the
 * masking itself) sent through the real signed SMS webhook: what is stored (text, keys, raw payload), what the bot
 * answered, what staff see by default and what was logged holds none of them readable.
 */
let env: TestEnv;
let token: string;
const SAMPLE = variants(10_200).filter((_, i) => i % 34 === 0); // 300, all three kinds

beforeAll(async () => {
  env = await createTestEnv({ ...TWILIO, LOG_LEVEL: 'debug' });
  token = (await createStaff(env.deps.db, { name: '督导', role: 'supervisor' })).token;
});
afterAll(() => env?.close());

const digitStream = (text: string) => allDigits(normalizeUtterance(text));

/** Why a stored or shown string still gives the number away, if it does. */
function leaks(text: string, value: string): string | undefined {
  const id = findIdNumber(text);
  const whole = parseIdNumber(text);
  const read = [id?.ok ? id.value : undefined, whole.ok ? whole.value : undefined, extractPhone(text), extractPhoneLoose(text)].filter(Boolean);
  if (read.length) return `parser reads ${read.join(', ')}`;
  const stream = digitStream(text);
  const digits = value.replace(/X$/, '');
  for (let i = 0; i + 8 <= digits.length; i++) if (stream.includes(digits.slice(i, i + 8))) return `digits ${digits.slice(i, i + 8)} visible`;
  return undefined;
}

describe('generated ID and phone variants through the SMS webhook', () => {
  it(`${SAMPLE.length} messages: 0 readable in the stored messages, the replies, the staff default view or the logs`, async () => {
    const sent = [];
    for (const [i, v] of SAMPLE.entries()) {
      const from = `+86137${String(i).padStart(8, '0')}`;
      const params = smsParams(from, v.text);
      const res = await postSms(env.app, params);
      expect(res.statusCode).toBe(200);
      sent.push({ ...v, from, sid: params.MessageSid, reply: res.body });
    }

    const problems: unknown[] = [];
    for (const v of sent) {
      const inbound = await env.deps.db.message.findFirstOrThrow({ where: { channel: 'sms', direction: 'inbound', providerId: v.sid } });
      for (const [what, text] of [['text', inbound.text], ['digits', inbound.digits ?? ''], ['raw', JSON.stringify(inbound.raw)]] as const) {
        const why = leaks(text, v.value);
        if (why) problems.push({ where: `stored ${what}`, text: v.text, stored: text.slice(0, 200), why });
      }
      const view = await env.app.inject({ method: 'GET', url: `/api/v1/conversations/${inbound.conversationId}`, headers: { authorization: `Bearer ${token}` } });
      expect(view.statusCode).toBe(200);
      for (const m of view.json().messages as { text: string }[]) {
        const why = leaks(m.text, v.value);
        if (why) problems.push({ where: 'staff view', text: v.text, shown: m.text, why });
      }
      const outbound = await env.deps.db.message.findMany({ where: { conversationId: inbound.conversationId, direction: 'outbound' } });
      for (const m of outbound) {
        const why = leaks(m.text, v.value);
        if (why) problems.push({ where: 'reply', text: v.text, reply: m.text, why });
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);

    // The logs: neither the number nor the resident's words with it.
    const log = env.logs.join('');
    expect(log.length).toBeGreaterThan(1000);
    const inLogs = sent.filter((v) => log.includes(v.value) || log.includes(v.text));
    expect(inLogs.map((v) => v.text)).toEqual([]);
  });
});
