import { describe, expect, it } from 'vitest';
import { applicationTurns, residents } from '../helpers/residents.js';
import { postSms, smsParams } from '../helpers/channels.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';

/**
 * Twilio redelivers a webhook it got no answer to, with the same MessageSid. Every delivery must be answered with the
 * same TwiML, read back from storage, and nothing may be stepped, stored or sent twice.
 */
const world = withProviders({ twilio: true });

const N = 8;
const people = residents(N, 47);

describe('SMS redelivered three more times', () => {
  it(`${N} applications, every SMS delivered 3 more times: ${N} cases, and every delivery answered with the same TwiML`, async () => {
    let deliveries = 0;
    let sids = 0;
    for (const person of people) {
      for (const [turn, text] of applicationTurns(person).entries()) {
        const params = smsParams(person.phone, text);
        sids += 1;
        const first = await postSms(world.env.app, params);
        expect(first.statusCode).toBe(200);
        const answer = readTwiml(first.body).messages;
        expect(answer.length, `${person.name} turn ${turn}`).toBeGreaterThan(0);
        // Two redeliveries after the answer went out, and one racing another copy.
        const later = [await postSms(world.env.app, params), ...(await Promise.all([postSms(world.env.app, params), postSms(world.env.app, params)]))];
        deliveries += 1 + later.length;
        for (const res of later) {
          expect(res.statusCode).toBe(200);
          expect(res.body, `${person.name} turn ${turn}`).toBe(first.body);
        }
      }
    }
    expect(deliveries).toBe(sids * 4);
    await world.env.deps.background.idle();

    const cases = await world.env.deps.db.case.findMany({ where: { phone: { in: people.map((p) => p.digits) } } });
    expect(cases).toHaveLength(N);
    expect(await world.env.deps.db.message.count({ where: { direction: 'inbound', channel: 'sms' } })).toBe(sids);
    // Each reply stored once, marked sent once its response went out, never sent again through the API.
    const outbound = await world.env.deps.db.message.findMany({ where: { direction: 'outbound', channel: 'sms', idempotencyKey: { startsWith: 'reply:' } } });
    expect(outbound.length).toBeGreaterThanOrEqual(sids);
    expect(outbound.filter((m) => m.status !== 'sent')).toEqual([]);
    expect(world.twilio.messages.filter((m) => people.some((p) => p.phone === m.to))).toEqual([]);
  });
});
