import { randomBytes } from 'node:crypto';
import { startFakeServer, type FakeAnswer, type RecordedRequest } from './http.js';

/** WeCom answers errors as HTTP 200 with errcode/errmsg; errmsg links the code's explanation page. */
function wecomError(errcode: number, text: string): FakeAnswer {
  const hint = randomBytes(6).toString('hex');
  return {
    status: 200,
    json: { errcode, errmsg: `${text}, hint: [${hint}], more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` },
  };
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system busy',
  40001: 'invalid credential',
  40013: 'invalid corpid',
  40014: 'invalid access_token',
  41001: 'access_token missing',
  42001: 'access_token expired',
  40058: 'invalid Request Parameter',
  45009: 'api freq out of limit',
};

export interface FakeKfMessage {
  msgid: string;
  open_kfid: string;
  external_userid?: string;
  send_time: number;
  origin: number;
  msgtype: string;
  text?: { content: string };
  [key: string]: unknown;
}

export interface SentWecomMessage {
  api: 'message/send' | 'kf/send_msg';
  toUser: string;
  content: string;
  msgid: string;
  agentId?: number;
  openKfId?: string;
}

export interface FakeWecom {
  url: string;
  requests: RecordedRequest[];
  /** Text messages delivered through message/send and kf/send_msg. */
  sent: SentWecomMessage[];
  /** How many access tokens gettoken has issued. */
  readonly tokensIssued: number;
  /** Makes messages available to kf/sync_msg for this account (defaults: text from a WeChat user, origin 3). */
  queueKfMessages(openKfId: string, msgs: Array<Partial<FakeKfMessage>>): FakeKfMessage[];
  /** Every token issued so far now answers 42001, as after its 7200 s lifetime. */
  expireToken(): void;
  /** The next `n` requests answer HTTP 200 with this errcode (-1 = system busy). */
  failNext(n: number, errcode: number): void;
  /** The next `n` requests answer this HTTP status. */
  failNextHttp(n: number, status: number): void;
  close(): Promise<void>;
}

const encodeCursor = (i: number) => Buffer.from(`c${i}`).toString('base64url');
const decodeCursor = (c: string): number => {
  const m = /^c(\d+)$/.exec(Buffer.from(c, 'base64url').toString());
  return m ? Number(m[1]) : -1;
};

/** A local stand-in for qyapi.weixin.qq.com: gettoken, message/send, kf/sync_msg, kf/send_msg. */
export async function startFakeWecom(opts: { corpId: string; secret: string }): Promise<FakeWecom> {
  const requests: RecordedRequest[] = [];
  const sent: SentWecomMessage[] = [];
  const tokens = new Map<string, { expired: boolean }>();
  const kfQueues = new Map<string, FakeKfMessage[]>();
  const failures: FakeAnswer[] = [];
  let seq = 0;

  function checkToken(token: string | undefined): FakeAnswer | undefined {
    if (!token) return wecomError(41001, ERRMSG[41001]!);
    const t = tokens.get(token);
    if (!t) return wecomError(40014, ERRMSG[40014]!);
    if (t.expired) return wecomError(42001, ERRMSG[42001]!);
    return undefined;
  }

  function gettoken(q: Record<string, string>): FakeAnswer {
    if (q.corpid !== opts.corpId) return wecomError(40013, ERRMSG[40013]!);
    if (q.corpsecret !== opts.secret) return wecomError(40001, ERRMSG[40001]!);
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, { expired: false });
    return { status: 200, json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 } };
  }

  function messageSend(b: Record<string, unknown>): FakeAnswer {
    const text = b.text as { content?: unknown } | undefined;
    if (typeof b.touser !== 'string' || !Number.isInteger(b.agentid) || b.msgtype !== 'text' || typeof text?.content !== 'string') {
      return wecomError(40058, ERRMSG[40058]!);
    }
    const msgid = `msg${++seq}`;
    sent.push({ api: 'message/send', toUser: b.touser, content: text.content, msgid, agentId: b.agentid as number });
    return {
      status: 200,
      json: { errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid, response_code: '' },
    };
  }

  function kfSyncMsg(b: Record<string, unknown>): FakeAnswer {
    if (typeof b.open_kfid !== 'string') return wecomError(40058, ERRMSG[40058]!);
    const queue = kfQueues.get(b.open_kfid) ?? [];
    const start = typeof b.cursor === 'string' && b.cursor ? decodeCursor(b.cursor) : 0;
    if (start < 0) return wecomError(40058, ERRMSG[40058]!);
    const limit = typeof b.limit === 'number' && b.limit > 0 ? Math.min(b.limit, 1000) : 1000;
    const page = queue.slice(start, start + limit);
    const next = start + page.length;
    return {
      status: 200,
      json: { errcode: 0, errmsg: 'ok', next_cursor: encodeCursor(next), has_more: next < queue.length ? 1 : 0, msg_list: page },
    };
  }

  function kfSendMsg(b: Record<string, unknown>): FakeAnswer {
    const text = b.text as { content?: unknown } | undefined;
    if (typeof b.touser !== 'string' || typeof b.open_kfid !== 'string' || b.msgtype !== 'text' || typeof text?.content !== 'string') {
      return wecomError(40058, ERRMSG[40058]!);
    }
    const msgid = typeof b.msgid === 'string' && b.msgid ? b.msgid : `kfmsg${++seq}`;
    sent.push({ api: 'kf/send_msg', toUser: b.touser, content: text.content, msgid, openKfId: b.open_kfid });
    return { status: 200, json: { errcode: 0, errmsg: 'ok', msgid } };
  }

  const server = await startFakeServer((req) => {
    requests.push(req);
    const failure = failures.shift();
    if (failure) return failure;
    if (req.method === 'GET' && req.path === '/cgi-bin/gettoken') return gettoken(req.query);
    const handlers: Record<string, (b: Record<string, unknown>) => FakeAnswer> = {
      '/cgi-bin/message/send': messageSend,
      '/cgi-bin/kf/sync_msg': kfSyncMsg,
      '/cgi-bin/kf/send_msg': kfSendMsg,
    };
    const handler = req.method === 'POST' ? handlers[req.path] : undefined;
    if (!handler) return { status: 404, json: { errcode: 404, errmsg: 'not found' } };
    const tokenError = checkToken(req.query.access_token);
    if (tokenError) return tokenError;
    let body: unknown;
    try {
      body = JSON.parse(req.body);
    } catch {
      return wecomError(47001, 'data format error');
    }
    return handler((body ?? {}) as Record<string, unknown>);
  });

  return {
    url: server.url,
    requests,
    sent,
    get tokensIssued() {
      return tokens.size;
    },
    queueKfMessages(openKfId, msgs) {
      const queue = kfQueues.get(openKfId) ?? [];
      const added = msgs.map((m) => ({
        msgid: `from_msgid_${++seq}`,
        open_kfid: openKfId,
        external_userid: 'wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw',
        send_time: Math.floor(Date.now() / 1000),
        origin: 3,
        msgtype: 'text',
        ...m,
      }));
      queue.push(...added);
      kfQueues.set(openKfId, queue);
      return added;
    },
    expireToken() {
      for (const t of tokens.values()) t.expired = true;
    },
    failNext(n, errcode) {
      for (let i = 0; i < n; i++) failures.push(wecomError(errcode, ERRMSG[errcode] ?? 'error'));
    },
    failNextHttp(n, status) {
      for (let i = 0; i < n; i++) failures.push({ status, json: { errcode: -1, errmsg: 'system busy' } });
    },
    close: server.close,
  };
}
