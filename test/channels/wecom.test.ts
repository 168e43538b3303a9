import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { wecomEncryptedPost, wecomVerifyQuery } from '../fakes/sign.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';

// WeCom's published sample credentials.
const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const CORP_ID = 'ww1436e0e65a779aee';
const SECRET = 'app-secret';
let env: TestEnv;
let fake: FakeWecom;
let nonce = 0;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: CORP_ID, secret: SECRET });
  env = await createTestEnv({
    WECOM_CORP_ID: CORP_ID,
    WECOM_TOKEN: TOKEN,
    WECOM_ENCODING_AES_KEY: AES_KEY,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: SECRET,
    WECOM_API_BASE_URL: fake.url,
  });
});
afterAll(async () => {
  await env?.close();
  await fake?.close();
});

const now = () => String(Math.floor(Date.now() / 1000));
const signing = (timestamp = now()) => ({ token: TOKEN, encodingAesKey: AES_KEY, corpId: CORP_ID, timestamp, nonce: String(++nonce) });

function postXml(xml: string, opts: { timestamp?: string; tamper?: (q: Record<string, string>, body: string) => [Record<string, string>, string] } = {}) {
  let { query, body } = wecomEncryptedPost({ ...signing(opts.timestamp), xml, agentId: '1000002' });
  let q: Record<string, string> = query;
  if (opts.tamper) [q, body] = opts.tamper(q, body);
  return env.app.inject({ method: 'POST', url: `/channels/wecom/callback?${new URLSearchParams(q)}`, headers: { 'content-type': 'text/xml' }, payload: body });
}

const appText = (from: string, content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;

const kfEvent = (openKfId: string) =>
  `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event><Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token><OpenKfId><![CDATA[${openKfId}]]></OpenKfId></xml>`;

describe('WeCom callback', () => {
  it('verifies the URL: answers the decrypted echostr only', async () => {
    const q = wecomVerifyQuery({ ...signing(), echo: '1288432023552776189' });
    const res = await env.app.inject({ method: 'GET', url: `/channels/wecom/callback?${new URLSearchParams(q)}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('1288432023552776189');
    const bad = await env.app.inject({ method: 'GET', url: `/channels/wecom/callback?${new URLSearchParams({ ...q, msg_signature: '0'.repeat(40) })}` });
    expect(bad.statusCode).toBe(403);
  });

  it('answers an app text message at once and replies through message/send', async () => {
    const res = await postXml(appText('zhangsan', '你好', '7000000000000000001'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    await env.deps.background.idle();
    const sent = fake.sent.filter((s) => s.toUser === 'zhangsan');
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]).toMatchObject({ api: 'message/send', agentId: 1000002 });
    expect(sent[0]!.content).toMatch(/1 紧急求助/);
    const out = await env.deps.db.message.findMany({ where: { direction: 'outbound', recipient: 'zhangsan' } });
    expect(out.every((m) => m.status === 'sent')).toBe(true);
  });

  it('acknowledges once the message is stored; a sender’s next messages wait for the turn before them', async () => {
    const said = ['我想申请低保', '我叫周玉兰', '2'];
    // Each acknowledgement comes back before its turn has run: the next message arrives while the turn is under way.
    for (const [i, text] of said.entries()) {
      const ack = await postXml(appText('zhouyulan', text, `700000000000000020${i}`));
      expect([ack.statusCode, ack.body]).toEqual([200, '']);
    }
    expect(await env.deps.db.message.count({ where: { channel: 'wecom_app', direction: 'inbound', sender: 'zhouyulan' } })).toBe(3);
    await env.deps.background.idle();
    // Replies are written as each turn finishes: their order is the order the turns ran.
    const replies = await env.deps.db.message.findMany({ where: { direction: 'outbound', recipient: 'zhouyulan' }, orderBy: { createdAt: 'asc' } });
    const inbound = await env.deps.db.message.findMany({ where: { channel: 'wecom_app', direction: 'inbound', sender: 'zhouyulan' } });
    const textOf = new Map(inbound.map((m) => [m.id, m.text]));
    const turns = [...new Set(replies.map((r) => textOf.get(r.idempotencyKey!.split(':')[1]!)))];
    expect(turns).toEqual(said);
    const conv = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: 'zhouyulan' } } });
    expect(openDialogState(conv.state, env.deps.cipher)?.slots.name).toBe('周玉兰');
  });

  it("WeCom's three retries of one message: one stored message, one reply", async () => {
    const xml = appText('lisi', '我要申请低保', '7000000000000000002');
    const results = await Promise.all([postXml(xml), postXml(xml), postXml(xml)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await env.deps.background.idle();
    expect(await env.deps.db.message.count({ where: { channel: 'wecom_app', direction: 'inbound', providerId: '7000000000000000002' } })).toBe(1);
    const outbound = await env.deps.db.message.count({ where: { direction: 'outbound', recipient: 'lisi' } });
    expect(fake.sent.filter((s) => s.toUser === 'lisi')).toHaveLength(outbound);
    expect(outbound).toBeGreaterThan(0);
  });

  it('pulls customer-service messages with kf/sync_msg from the saved cursor and replies with kf/send_msg', async () => {
    const kfid = 'wkAJ2GCAAAZSfhHCt7IFSvLKtMPxyJTw';
    fake.queueKfMessages(kfid, [{ external_userid: 'wmResident01', text: { content: '你好' } }]);
    const res = await postXml(kfEvent(kfid));
    expect(res.statusCode).toBe(200);
    await env.deps.background.idle();
    const replies = fake.sent.filter((s) => s.api === 'kf/send_msg' && s.toUser === 'wmResident01');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]!.openKfId).toBe(kfid);

    // The next event pulls only what is new since the cursor.
    fake.queueKfMessages(kfid, [{ external_userid: 'wmResident01', text: { content: '2' } }]);
    await postXml(kfEvent(kfid));
    await env.deps.background.idle();
    expect(await env.deps.db.message.count({ where: { channel: 'wecom_kf', direction: 'inbound', sender: 'wmResident01' } })).toBe(2);
    const conv = await env.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: 'wmResident01' } } });
    expect(openDialogState(conv.state, env.deps.cipher)?.flow).toBe('application');
  });

  it('refuses forged, tampered, wrong-corp and stale requests with 403 and stores nothing', async () => {
    const forged = await postXml(appText('mallory', '伪造', '7000000000000000010'), { tamper: (q, b) => [{ ...q, msg_signature: 'a'.repeat(40) }, b] });
    expect(forged.statusCode).toBe(403);
    const tampered = await postXml(appText('mallory', '篡改', '7000000000000000011'), {
      tamper: (q, b) => [q, b.replace(/<Encrypt><!\[CDATA\[(.)/, (_m, c: string) => `<Encrypt><![CDATA[${c === 'A' ? 'B' : 'A'}`)],
    });
    expect(tampered.statusCode).toBe(403);
    const stale = await postXml(appText('mallory', '重放', '7000000000000000012'), { timestamp: String(Math.floor(Date.now() / 1000) - 3600) });
    expect(stale.statusCode).toBe(403);
    const { query, body } = wecomEncryptedPost({ ...signing(), corpId: 'wwSomeoneElse00000', xml: appText('mallory', '别家', '7000000000000000013') });
    const wrongCorp = await env.app.inject({ method: 'POST', url: `/channels/wecom/callback?${new URLSearchParams(query)}`, headers: { 'content-type': 'text/xml' }, payload: body });
    expect(wrongCorp.statusCode).toBe(403);
    expect(await env.deps.db.message.count({ where: { sender: 'mallory' } })).toBe(0);
    expect(env.logs.join('')).toMatch(/wecom_bad_signature/);
  });

  it('answers malformed XML, an XML bomb, a wrong content type and unknown events without crashing', async () => {
    const broken = await env.app.inject({ method: 'POST', url: '/channels/wecom/callback?msg_signature=x&timestamp=1&nonce=1', headers: { 'content-type': 'text/xml' }, payload: '<xml><Encrypt>' });
    expect([400, 403]).toContain(broken.statusCode);
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>`;
    const bombed = await env.app.inject({ method: 'POST', url: '/channels/wecom/callback?msg_signature=x&timestamp=1&nonce=1', headers: { 'content-type': 'text/xml' }, payload: bomb });
    expect([400, 403]).toContain(bombed.statusCode);
    const json = await env.app.inject({ method: 'POST', url: '/channels/wecom/callback', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(415);
    const location = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[wangwu]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[location]]></MsgType><Location_X>35.1</Location_X><Location_Y>118.3</Location_Y><MsgId>7000000000000000020</MsgId><AgentID>1000002</AgentID></xml>`;
    const unknown = await postXml(location);
    expect(unknown.statusCode).toBe(200);
  });
});

describe('clues from village assistants in the WeCom app (主动发现)', () => {
  it('a message starting with 线索 becomes a clue case routed to the township for a home visit', async () => {
    await postXml(appText('cunguan01', '线索：枣园镇东鲁村，有位独居老人家里断粮了', '7000000000000000100'));
    await env.deps.background.idle();
    const reply = fake.sent.filter((s) => s.toUser === 'cunguan01').at(-1);
    expect(reply?.content).toMatch(/线索已登记，编号 \d{12}，已转枣园镇入户核查/);
    const c = await env.deps.db.case.findFirstOrThrow({ where: { type: 'clue' }, include: { referrals: { include: { township: true } }, village: true } });
    expect(c.village?.name).toBe('东鲁村');
    expect(c.referrals.some((r) => r.township?.code === 'zaoyuan')).toBe(true);
  });

  it('a clue without a recognisable place gets the format to use, and no case', async () => {
    const before = await env.deps.db.case.count({ where: { type: 'clue' } });
    await postXml(appText('cunguan02', '线索：有人需要帮助', '7000000000000000101'));
    await env.deps.background.idle();
    expect(fake.sent.filter((s) => s.toUser === 'cunguan02').at(-1)?.content).toMatch(/请按这个格式发送线索/);
    expect(await env.deps.db.case.count({ where: { type: 'clue' } })).toBe(before);
  });
});
