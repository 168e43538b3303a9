import { describe, expect, it } from 'vitest';
import { query } from '../helpers/pg.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { postSms, smsParams } from '../helpers/channels.js';
import { applicationTurns, residents, trackingNumberIn } from '../helpers/residents.js';

/**
 * The turn's hot path stores with plain reads and inserts instead of upserts
 * (one statement instead of an interactive transaction of five): these are the
 * races and replays the upserts used to cover.
 */
const world = withProviders({ twilio: true });

describe('turn storage without upserts', () => {
  it('two first messages from a new number at once: one identity, both messages stored and answered', async () => {
    const [r] = residents(1, 47);
    const both = await Promise.all([postSms(world.env.app, smsParams(r!.phone, '你好')), postSms(world.env.app, smsParams(r!.phone, '我想申请低保'))]);
    expect(both.map((x) => x.statusCode)).toEqual([200, 200]);
    expect(both.every((x) => readTwiml(x.body).messages.length > 0)).toBe(true);
    expect(await world.env.deps.db.channelIdentity.count({ where: { address: r!.phone } })).toBe(1);
    expect(await world.env.deps.db.message.count({ where: { sender: r!.phone, direction: 'inbound', status: 'processed' } })).toBe(2);
  });

  it('a turn that fails in its last statement leaves nothing half-written and is replayed once', async () => {
    const [r] = residents(2, 47).slice(1);
    const turns = applicationTurns(r!);
    for (const text of turns.slice(0, -1)) await postSms(world.env.app, smsParams(r!.phone, text));
    // PostgreSQL refuses to mark the confirming message processed: the turn has opened the case, then its last
    // statement (state, message processed, replies) fails as a whole.
    await query(
      world.env.databaseUrl,
      `CREATE FUNCTION hardening_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'hardening: refused'; END $$ LANGUAGE plpgsql;
       CREATE TRIGGER hardening_refuse BEFORE UPDATE OF status ON "Message" FOR EACH ROW
         WHEN (NEW.direction = 'inbound' AND NEW.status = 'processed' AND NEW.text = '对') EXECUTE FUNCTION hardening_refuse();`,
    );
    let res;
    try {
      res = await postSms(world.env.app, smsParams(r!.phone, turns.at(-1)!));
    } finally {
      await query(world.env.databaseUrl, 'DROP TRIGGER hardening_refuse ON "Message"; DROP FUNCTION hardening_refuse();');
    }
    expect(readTwiml(res.body).messages.join('')).toMatch(/消息已收到/);
    const inbound = await world.env.deps.db.message.findFirstOrThrow({ where: { sender: r!.phone, text: '对' } });
    expect(inbound.status).toBe('received');
    expect(await world.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } })).toBe(0);

    expect(await world.env.deps.intake.recover(0)).toEqual({ spooled: 0, resumed: 1 });
    expect((await world.env.deps.db.message.findUniqueOrThrow({ where: { id: inbound.id } })).status).toBe('processed');
    expect(await world.env.deps.db.message.count({ where: { idempotencyKey: { startsWith: `reply:${inbound.id}:` } } })).toBeGreaterThan(0);
    // The replay finds the case the failed turn opened: one case, one receipt.
    expect(await world.env.deps.db.case.count({ where: { phone: r!.digits } })).toBe(1);
    const receipts = world.twilio.messages.filter((m) => m.to === r!.phone && /承办编号/.test(String(m.body)));
    expect(receipts).toHaveLength(1);
    const c = await world.env.deps.db.case.findFirstOrThrow({ where: { phone: r!.digits } });
    expect(trackingNumberIn(String(receipts[0]!.body))).toBe(c.trackingNumber);
  });
});
