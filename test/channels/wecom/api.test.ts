import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWecomApi, type WecomApi } from '../../../src/channels/wecom/api.js';
import { WecomApiError } from '../../../src/channels/wecom/errors.js';
import { startFakeWecom, type FakeWecom } from '../../fakes/wecom-api.js';

const corpId = 'ww1436e0e65a779aee';
const secret = 'app-secret-do-not-log';
const OPEN_KFID = 'wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q';

let fake: FakeWecom;
let clock: number;
let api: WecomApi;

beforeEach(async () => {
  fake = await startFakeWecom({ corpId, secret });
  clock = 1_700_000_000_000;
  api = createWecomApi({ baseUrl: fake.url, corpId, secret, baseDelayMs: 1, now: () => clock });
});
afterEach(() => fake.close());

async function rejection(p: Promise<unknown>): Promise<WecomApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WecomApiError);
  return err as WecomApiError;
}

const paths = () => fake.requests.map((r) => r.path.replace('/cgi-bin/', ''));

describe('WeCom API client', () => {
  it('gets a token once and sends app text with it', async () => {
    await api.sendAppText({ agentId: '1000002', toUser: 'LiSi', content: '您的申请已转交民政办。' });
    await api.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: '第二条' });
    expect(paths()).toEqual(['gettoken', 'message/send', 'message/send']);
    expect(fake.requests[0]?.query).toEqual({ corpid: corpId, corpsecret: secret });
    const send = fake.requests[1]!;
    expect(send.query.access_token).toBeTruthy();
    expect(JSON.parse(send.body)).toEqual({ touser: 'LiSi', msgtype: 'text', agentid: 1000002, text: { content: '您的申请已转交民政办。' }, safe: 0 });
    expect(fake.sent.map((s) => s.content)).toEqual(['您的申请已转交民政办。', '第二条']);
  });

  it('shares one gettoken among concurrent calls', async () => {
    await Promise.all([1, 2, 3].map((i) => api.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: String(i) })));
    expect(fake.tokensIssued).toBe(1);
  });

  it('renews the token a little before it expires', async () => {
    await api.accessToken();
    clock += (7200 - 301) * 1000;
    await api.accessToken();
    expect(fake.tokensIssued).toBe(1);
    clock += 2000;
    await api.accessToken();
    expect(fake.tokensIssued).toBe(2);
  });

  it('replaces a token WeCom reports expired (42001) and retries once', async () => {
    await api.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: 'a' });
    fake.expireToken();
    await api.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: 'b' });
    expect(paths()).toEqual(['gettoken', 'message/send', 'message/send', 'gettoken', 'message/send']);
    expect(fake.sent.map((s) => s.content)).toEqual(['a', 'b']);
  });

  it('does not loop when even a fresh token is refused', async () => {
    const calls: string[] = [];
    const stub: typeof fetch = async (input) => {
      const url = new URL(String(input));
      calls.push(url.pathname);
      const body = url.pathname.endsWith('gettoken')
        ? { errcode: 0, errmsg: 'ok', access_token: `t${calls.length}`, expires_in: 7200 }
        : { errcode: 40014, errmsg: 'invalid access_token' };
      return new Response(JSON.stringify(body), { status: 200 });
    };
    const stubbed = createWecomApi({ baseUrl: 'http://wecom.invalid', corpId, secret, fetch: stub, baseDelayMs: 1 });
    const err = await rejection(stubbed.sendAppText({ agentId: 1, toUser: 'u', content: 'x' }));
    expect(err.errcode).toBe(40014);
    expect(calls).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send', '/cgi-bin/gettoken', '/cgi-bin/message/send']);
  });

  it('retries "system busy" and HTTP 5xx, then succeeds', async () => {
    await api.accessToken();
    fake.failNext(1, -1);
    fake.failNextHttp(1, 502);
    await api.kfSendText({ toUser: 'wmUser', openKfId: OPEN_KFID, content: '您好' });
    expect(paths()).toEqual(['gettoken', 'kf/send_msg', 'kf/send_msg', 'kf/send_msg']);
    expect(fake.sent).toHaveLength(1);
  });

  it('reports other errcodes at once with WeCom’s errcode and errmsg', async () => {
    await api.accessToken();
    fake.failNext(1, 45009);
    const err = await rejection(api.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: 'x' }));
    expect(err.code).toBe('wecom_rejected');
    expect(err.errcode).toBe(45009);
    expect(err.errmsg).toMatch(/api freq out of limit/);
    expect(err.message).toMatch(/message\/send refused with errcode 45009/);
    expect(paths()).toEqual(['gettoken', 'message/send']);
  });

  it('says which credential to check when gettoken is refused, without echoing the secret', async () => {
    const wrong = createWecomApi({ baseUrl: fake.url, corpId, secret: 'wrong-secret', baseDelayMs: 1 });
    const err = await rejection(wrong.sendAppText({ agentId: 1000002, toUser: 'LiSi', content: 'x' }));
    expect(err.errcode).toBe(40001);
    expect(err.message).toMatch(/app secret/);
    expect(err.message).not.toContain('wrong-secret');
    expect(paths()).toEqual(['gettoken']);
  });

  it('gives up after three attempts when WeCom stays busy', async () => {
    await api.accessToken();
    fake.failNext(3, -1);
    const err = await rejection(api.kfSendText({ toUser: 'wmUser', openKfId: OPEN_KFID, content: 'x' }));
    expect(err.code).toBe('wecom_unavailable');
    expect(err.errcode).toBe(-1);
  });

  it('pages kf/sync_msg with the cursor until has_more is 0', async () => {
    fake.queueKfMessages(OPEN_KFID, [1, 2, 3, 4, 5].map((i) => ({ text: { content: `第${i}条` } })));
    const token = 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR';
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await api.kfSyncMsg({ cursor, token, openKfId: OPEN_KFID, limit: 2 });
      pages++;
      seen.push(...page.msgList.map((m) => m.text?.content ?? ''));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['第1条', '第2条', '第3条', '第4条', '第5条']);
    const bodies = fake.requests.filter((r) => r.path.endsWith('sync_msg')).map((r) => JSON.parse(r.body));
    expect(bodies[0]).toEqual({ token, limit: 2, open_kfid: OPEN_KFID });
    expect(bodies[1].cursor).toBeTruthy();
    // A later event resumes from the last cursor and sees only new messages.
    fake.queueKfMessages(OPEN_KFID, [{ text: { content: '新消息' } }]);
    const next = await api.kfSyncMsg({ cursor, token, openKfId: OPEN_KFID });
    expect(next.msgList.map((m) => m.text?.content)).toEqual(['新消息']);
    expect(next.msgList[0]).toMatchObject({ origin: 3, open_kfid: OPEN_KFID, msgtype: 'text' });
  });

  it('sends kf text with a caller-chosen msgid', async () => {
    const res = await api.kfSendText({ toUser: 'wmUser', openKfId: OPEN_KFID, content: '已收到', msgid: 'reply-1' });
    expect(res.msgid).toBe('reply-1');
    const body = JSON.parse(fake.requests.at(-1)!.body);
    expect(body).toEqual({ touser: 'wmUser', open_kfid: OPEN_KFID, msgid: 'reply-1', msgtype: 'text', text: { content: '已收到' } });
  });

  it('reports an unreachable WeCom after retrying', async () => {
    await fake.close();
    const err = await rejection(api.accessToken());
    expect(err.code).toBe('wecom_unavailable');
    expect(err.message).toMatch(/gettoken unreachable after 3 attempts/);
    fake = await startFakeWecom({ corpId, secret });
  });
});
