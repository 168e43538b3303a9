import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps, type Deps } from '../../src/composition.js';
import type { InboundMessage } from '../../src/domain/messages.js';
import { createLogger } from '../../src/logging.js';
import { openDialogState } from '../../src/privacy/sealed-state.js';
import { buildApp } from '../../src/server/app.js';
import { wecomEncryptedPost } from '../fakes/sign.js';
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-api.js';
import { createTestEnv, type TestEnv } from '../helpers/env.js';

/**
 * Two hotline processes behind a balancer, one database and one Redis prefix. WeCom is acknowledged as soon as a
 * message is stored and the turn runs afterwards, so a resident's next message can reach the other process while
 * the first still waits for its turn there: the second process answers the earlier message first, and the first
 * process then finds it answered. Each resident's messages are answered in the order they came.
 */
const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const CORP_ID = 'ww1436e0e65a779aee';
let fake: FakeWecom;
let a: TestEnv;
let b: { deps: Deps; app: FastifyInstance };
let nonce = 0;

beforeAll(async () => {
  fake = await startFakeWecom({ corpId: CORP_ID, secret: 'app-secret' });
  a = await createTestEnv({ WECOM_CORP_ID: CORP_ID, WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES_KEY, WECOM_AGENT_ID: '1000002', WECOM_SECRET: 'app-secret', WECOM_API_BASE_URL: fake.url });
  const deps = await buildDeps(a.config, { logger: createLogger('silent') });
  b = { deps, app: await buildApp(deps) };
});
afterAll(async () => {
  await b?.app.close();
  await b?.deps.close();
  await a?.close();
  await fake?.close();
});

const now = () => String(Math.floor(Date.now() / 1000));
const appText = (from: string, content: string, msgId: string) =>
  `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId><AgentID>1000002</AgentID></xml>`;

function post(app: FastifyInstance, xml: string) {
  const { query, body } = wecomEncryptedPost({ token: TOKEN, encodingAesKey: AES_KEY, corpId: CORP_ID, timestamp: now(), nonce: String(++nonce), xml, agentId: '1000002' });
  return app.inject({ method: 'POST', url: `/channels/wecom/callback?${new URLSearchParams(query)}`, headers: { 'content-type': 'text/xml' }, payload: body });
}

describe('WeCom with two processes', () => {
  it('a message stored by one process and not yet answered there is answered first by the process that got the next one', async () => {
    // Process A has stored the first message and acknowledged it; its turn still waits in A's queue.
    const first: InboundMessage = { channel: 'wecom_app', providerId: '7100000000000000001', sender: 'wangwu', recipient: '1000002', text: '我想申请低保', media: [], receivedAt: new Date(), raw: {} };
    const heldByA = await a.deps.intake.store(first);
    expect(heldByA.kind).toBe('stored');

    // The resident's next message reaches process B.
    const ack = await post(b.app, appText('wangwu', '我叫王五', '7100000000000000002'));
    expect([ack.statusCode, ack.body]).toEqual([200, '']);
    await b.deps.background.idle();

    // Both answered, the first first: replies are written as each turn finishes.
    const replies = await a.deps.db.message.findMany({ where: { direction: 'outbound', recipient: 'wangwu' }, orderBy: { createdAt: 'asc' } });
    const inbound = await a.deps.db.message.findMany({ where: { channel: 'wecom_app', direction: 'inbound', sender: 'wangwu' } });
    expect(inbound.every((m) => m.status === 'processed')).toBe(true);
    const textOf = new Map(inbound.map((m) => [m.id, m.text]));
    expect([...new Set(replies.map((r) => textOf.get(r.idempotencyKey!.split(':')[1]!)))]).toEqual(['我想申请低保', '我叫王五']);
    expect(fake.sent.filter((s) => s.toUser === 'wangwu')).toHaveLength(replies.length);
    const conv = await a.deps.db.conversation.findFirstOrThrow({ where: { identity: { address: 'wangwu' } } });
    expect(openDialogState(conv.state, a.deps.cipher)?.flow).toBe('application');

    // A's turn comes round at last: the message was answered (a repeat, answered from storage), nothing is said twice.
    const sentBefore = fake.sent.length;
    if (heldByA.kind !== 'stored') throw new Error('not stored');
    const late = await heldByA.turn();
    expect(late).toEqual({ kind: 'duplicate' });
    expect(fake.sent.length).toBe(sentBefore);
    expect(await a.deps.db.message.count({ where: { direction: 'outbound', recipient: 'wangwu' } })).toBe(replies.length);
  });
});
