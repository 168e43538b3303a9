import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPersonalDataCipher } from '../../src/privacy/cipher.js';
import { sealInbound } from '../../src/privacy/sealed-message.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';
import { createStaff } from '../../src/staff/create-staff.js';
import { addKeyPerson } from '../../src/staff/key-persons.js';
import { ADMIN_URL, query } from '../helpers/pg.js';
import { withProviders } from '../helpers/providers.js';
import { readTwiml } from '../helpers/twiml.js';
import { BASE, newSid, postSms, postTwilio, postWecom, smsParams, voiceParams, wecomAppText } from '../helpers/channels.js';
import { applicationTurns, residents, type Resident } from '../helpers/residents.js';

const world = withProviders({ twilio: true, wecom: true, spool: 'at-rest-spool-' });

const [applicant, rostered, caller, reported, spooled] = residents(5, 46) as [Resident, Resident, Resident, Resident, Resident];
/** The 17 digits before the check character: what must never be readable, whether the last is X, x or a keypad `*`. */
const body = (r: Resident) => r.id.slice(0, 17);
const masked = (id: string) => `${id.slice(0, 3)}***********${id.slice(-4)}`;

/** Every text and JSON column of every table holding `needle` verbatim, as "Table.column". */
async function columnsHolding(needle: string): Promise<string[]> {
  const columns = await query<{ table_name: string; column_name: string }>(
    world.env.databaseUrl,
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json') AND table_name <> '_prisma_migrations'`,
  );
  const hits: string[] = [];
  for (const c of columns) {
    const [row] = await query<{ n: string }>(world.env.databaseUrl, `SELECT count(*) AS n FROM "${c.table_name}" WHERE "${c.column_name}"::text LIKE $1`, [`%${needle}%`]);
    if (Number(row!.n) > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits.sort();
}

/** Every value of every Redis key under this file's prefix (strings, hashes, lists, sets, sorted sets, streams), by key. */
async function redisValues(): Promise<Map<string, string>> {
  const { redis } = world.env.deps;
  const values = new Map<string, string>();
  for (let cursor = '0'; ; ) {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${world.env.config.redis.prefix}:*`, 'COUNT', 500);
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? await redis.hgetall(key)
        : type === 'list' ? await redis.lrange(key, 0, -1)
        : type === 'set' ? await redis.smembers(key)
        : type === 'zset' ? await redis.zrange(key, 0, -1)
        : type === 'stream' ? await redis.xrange(key, '-', '+')
        : type === 'none' ? null // expired between SCAN and TYPE
        : `unexpected type ${type}`;
      if (value !== null) values.set(`${type} ${key}`, JSON.stringify(value));
    }
    cursor = next;
    if (cursor === '0') break;
  }
  return values;
}

/** Stops this file's database as an outage looks to the service (as in postgres-stopped.test.ts); returns the restart. */
async function stopDatabase() {
  const name = new URL(world.env.databaseUrl).pathname.slice(1);
  await query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await query(ADMIN_URL, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [name]);
  return () => query(ADMIN_URL, `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
}

async function spoolText(): Promise<string> {
  let text = '';
  for (const name of await readdir(world.spoolDir)) text += await readFile(join(world.spoolDir, name), 'utf8');
  return text;
}

/** A voice turn posted to the action URL the previous TwiML named, as Twilio does. */
async function voiceTurn(url: string, callSid: string, from: string, extra: Record<string, string>) {
  const res = await postTwilio(world.env.app, url.slice(BASE.length), voiceParams(callSid, from, extra));
  expect(res.statusCode).toBe(200);
  return readTwiml(res.body);
}

const conversationOf = (address: string) => world.env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address } }, orderBy: { startedAt: 'desc' } });

describe('ID numbers at rest', () => {
  it('Case, Resident and KeyPerson keep the ID number only encrypted, with a keyed lookup hash and a masked copy', async () => {
    for (const text of applicationTurns(applicant)) expect((await postSms(world.env.app, smsParams(applicant.phone, text))).statusCode).toBe(200);
    const supervisor = await createStaff(world.env.deps.db, { name: '督导', role: 'supervisor' });
    const staff = await world.env.deps.db.staffUser.findUniqueOrThrow({ where: { id: supervisor.id } });
    await addKeyPerson(world.env.deps, staff, { townshipCode: 'zaoyuan', name: '李桂兰', idNumber: rostered.id, phone: rostered.digits, category: 'minimum_living' }, new Date());

    for (const [table, id] of [['Case', applicant.id], ['Resident', applicant.id], ['KeyPerson', rostered.id]] as const) {
      const rows = await query<{ idNumberEnc: string; idNumberHash: string; idNumberMasked: string }>(world.env.databaseUrl, `SELECT "idNumberEnc", "idNumberHash", "idNumberMasked" FROM "${table}" WHERE "idNumberEnc" IS NOT NULL`);
      expect(rows, table).toHaveLength(1);
      const row = rows[0]!;
      expect(row.idNumberEnc, table).toMatch(/^v1:[A-Za-z0-9+/=]+$/);
      expect(row.idNumberEnc, table).not.toContain(id);
      expect(world.env.deps.cipher.decrypt(row.idNumberEnc), table).toBe(id);
      expect(row.idNumberHash, table).toBe(world.env.deps.cipher.lookupHash(id));
      expect(row.idNumberMasked, table).toBe(masked(id));
    }
  });

  it('a caller keys the ID number on the phone: the dialog captures it, only the masked digits are stored', async () => {
    const callSid = newSid('CA');
    let twiml = await voiceTurn(`${BASE}/channels/twilio/voice`, callSid, caller.phone, { CallStatus: 'ringing' });
    const answers: Record<string, string>[] = [{ Digits: '2' }, { SpeechResult: '老伴瘫痪在床，家里没有收入', Confidence: '0.9' }, { SpeechResult: caller.name, Confidence: '0.9' }];
    for (const answer of answers) {
      twiml = await voiceTurn(twiml.gather!.action, callSid, caller.phone, answer);
      // When the bot is unsure about danger it asks once; this caller is safe.
      if (twiml.said.includes('有没有人有危险')) twiml = await voiceTurn(twiml.gather!.action, callSid, caller.phone, { SpeechResult: '没有', Confidence: '0.9' });
    }
    expect(twiml.said).toContain('身份证号');
    // Twilio leaves out the finishing #; the caller keys * for X.
    twiml = await voiceTurn(twiml.gather!.action, callSid, caller.phone, { Digits: caller.id.replace('X', '*') });
    expect(twiml.said).not.toContain(body(caller));

    const conversation = await conversationOf(caller.phone);
    expect(openDialogState(conversation.state, world.env.deps.cipher)?.slots.idNumber).toBe(caller.id);
    const keyed = await world.env.deps.db.message.findFirstOrThrow({
      where: { channel: 'voice', direction: 'inbound', providerId: { startsWith: `${callSid}:` }, digits: { not: null } },
      orderBy: { receivedAt: 'desc' },
    });
    expect(keyed.digits).toBe(`${caller.id.slice(0, 3)}***********${caller.id.slice(-4).replace('X', '*')}`);
  });

  it('an emergency written on WeCom with an ID number in it is stored masked, and reported as a case', async () => {
    const assistant = 'village_assistant_46';
    const text = `东鲁村${reported.name}家里着火了，老人被困在屋里，她的身份证${reported.id}`;
    // The assistant answers whatever the report still needs, in any order the bot asks.
    const answers: Array<[RegExp, string]> = [
      [/哪里/, '枣园镇东鲁村'],
      [/是谁遇到了困难/, `${reported.name}，七十多了`],
      [/叫什么名字/, reported.name],
      [/有没有人有危险/, '有'],
      [/当事人本人/, '村干部，我姓周'],
      [/电话/, '13912345678'],
    ];
    let said = text;
    for (let turn = 0; turn < 10; turn += 1) {
      expect((await postWecom(world.env.app, wecomAppText(assistant, said))).statusCode).toBe(200);
      await world.env.deps.background.idle();
      const last = world.wecom.sent.filter((m) => m.toUser === assistant).at(-1)?.content ?? '';
      if (/紧急求助已登记/.test(last)) break;
      said = answers.find(([asked]) => asked.test(last))?.[1] ?? '不清楚';
    }
    expect(world.wecom.sent.filter((m) => m.toUser === assistant).at(-1)?.content).toMatch(/紧急求助已登记/);
    expect(await world.env.deps.db.case.count({ where: { type: 'emergency', channel: 'wecom_app' } })).toBe(1);
    const stored = await world.env.deps.db.message.findFirstOrThrow({ where: { channel: 'wecom_app', direction: 'inbound', sender: assistant }, orderBy: { receivedAt: 'asc' } });
    expect(stored.text).toBe(text.replace(reported.id, masked(reported.id)));
  });

  it('a message spooled while PostgreSQL is down is journalled sealed, and stored masked once it is back', async () => {
    const restart = await stopDatabase();
    try {
      expect((await postSms(world.env.app, smsParams(spooled.phone, applicationTurns(spooled)[0]!))).statusCode).toBe(200);
      const journal = await spoolText();
      expect(journal.length).toBeGreaterThan(0);
      expect(journal).not.toContain(body(spooled));
      expect(journal).not.toContain(spooled.digits);
    } finally {
      await restart();
    }
    expect((await world.env.deps.intake.recover(0)).spooled).toBe(1);
    await world.env.deps.background.idle();
    expect(await spoolText()).toBe('');
    const stored = await world.env.deps.db.message.findFirstOrThrow({ where: { sender: spooled.phone, direction: 'inbound' } });
    expect(stored.text).toContain(masked(spooled.id));
  });

  it('staff read the masked transcript by default, and the resident’s own words in the audited full view', async () => {
    const officer = await createStaff(world.env.deps.db, { name: '值班员', role: 'duty_officer' });
    const api = (method: 'GET' | 'POST', url: string, payload?: object) => world.env.app.inject({ method, url, headers: { authorization: `Bearer ${officer.token}` }, ...(payload ? { payload } : {}) });
    const conversation = await conversationOf(applicant.phone);
    const said = applicationTurns(applicant)[0]!;

    const view = await api('GET', `/api/v1/conversations/${conversation.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).not.toContain(body(applicant));
    expect(view.json().messages[0]).toMatchObject({ direction: 'inbound', text: said.replace(applicant.id, masked(applicant.id)) });
    const full = await api('POST', `/api/v1/conversations/${conversation.id}/full`, { reason: '核对居民报的身份证号' });
    expect(full.statusCode).toBe(200);
    expect(full.json().messages[0]).toMatchObject({ direction: 'inbound', text: said });
    // A message sealed under another key (a DATA_KEY mix-up) shows masked with the reason; the rest still opens.
    const foreign = createPersonalDataCipher(randomBytes(32));
    await world.env.deps.db.message.create({
      data: { channel: 'sms', direction: 'inbound', providerId: newSid('SM'), conversationId: conversation.id, sender: applicant.phone, text: `身份证${masked(applicant.id)}`, raw: sealInbound({ text: `身份证${applicant.id}`, raw: {} }, foreign).raw as object, status: 'processed', receivedAt: new Date() },
    });
    const mixed = await api('POST', `/api/v1/conversations/${conversation.id}/full`, { reason: '核对居民报的身份证号' });
    expect(mixed.statusCode).toBe(200);
    expect(mixed.json().messages[0]).toMatchObject({ text: said });
    expect(mixed.json().messages.at(-1).text).toBe(`身份证${masked(applicant.id)}（原文无法解密：与当前 DATA_KEY 不符）`);
    const audit = await world.env.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'personal_data.viewed', entityId: conversation.id } });
    expect(audit).toMatchObject({ actorId: officer.id, entity: 'conversation', reason: '核对居民报的身份证号' });

    const call = await conversationOf(caller.phone);
    const callView = await api('GET', `/api/v1/conversations/${call.id}`);
    expect(callView.json().fields.applicant.idNumber).toBe(masked(caller.id));
    expect(callView.body).not.toContain(body(caller));
    // The keyed-in ID shows as the keys pressed: masked by default, as keyed in the full view.
    const keyedIn = caller.id.replace('X', '*');
    expect(callView.json().messages.map((m: { text: string }) => m.text)).toContain(`按键：${keyedIn.slice(0, 3)}***********${keyedIn.slice(-4)}`);
    const callFull = await api('POST', `/api/v1/conversations/${call.id}/full`, { reason: '核对来电居民的身份证号' });
    expect(callFull.json().fields.applicant.idNumber).toBe(caller.id);
    expect(callFull.json().messages.map((m: { text: string }) => m.text)).toContain(`按键：${keyedIn}`);
  });

  it('a duty officer who takes a call over, corrects the ID number and hands it back leaves the state sealed', async () => {
    const officer = await createStaff(world.env.deps.db, { name: '值班员 乙', role: 'duty_officer' });
    const api = (method: 'POST' | 'PATCH', url: string, payload?: object) => world.env.app.inject({ method, url, headers: { authorization: `Bearer ${officer.token}` }, ...(payload ? { payload } : {}) });
    const call = await conversationOf(caller.phone);
    expect((await api('POST', `/api/v1/conversations/${call.id}/take`)).statusCode).toBe(200);
    const edited = await api('PATCH', `/api/v1/conversations/${call.id}/fields`, { idNumber: caller.id.toLowerCase(), householdSize: 2 });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().fields.applicant).toMatchObject({ idNumber: masked(caller.id), householdSize: 2 });
    const state = (await conversationOf(caller.phone)).state;
    expect(Object.keys(state as object)).toEqual(['sealed']);
    expect(openDialogState(state, world.env.deps.cipher)?.slots).toMatchObject({ idNumber: caller.id, householdSize: 2 });
    expect((await api('POST', `/api/v1/conversations/${call.id}/release`)).statusCode).toBe(200);
    expect(Object.keys((await conversationOf(caller.phone)).state as object)).toEqual(['sealed']);
  });
  it('no column anywhere holds a full ID number', async () => {
    for (const r of [applicant, rostered, caller, reported, spooled]) expect(await columnsHolding(body(r)), r.id).toEqual([]);
  });

  it('no Redis key (queues and their job data, locks, limits, silence waits) holds a full ID number', async () => {
    const values = await redisValues();
    // The scan sees the queues' job data, not just an empty prefix.
    expect([...values.keys()].some((k) => k.includes(':timers:') || k.includes(':outbound:'))).toBe(true);
    const hits = [...values].filter(([, v]) => [applicant, caller, reported, spooled].some((r) => v.includes(body(r)))).map(([k]) => k);
    expect(hits).toEqual([]);
  });

});
