import { z } from 'zod';
import { WecomApiError } from './errors.js';

export interface WecomApiOptions {
  /** `https://qyapi.weixin.qq.com` in production; a fake's URL in tests. */
  baseUrl: string;
  corpId: string;
  /** Secret of the app (or of customer service) whose token is used. */
  secret: string;
  fetch?: typeof fetch;
  /** Current time in epoch milliseconds, for token expiry. */
  now?: () => number;
  /** Tries per request, including the first (default 3). */
  attempts?: number;
  /** First backoff delay; doubles on each retry (default 250 ms). */
  baseDelayMs?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
}

/** One record from kf/sync_msg. origin 3 = the WeChat user, 4 = system event, 5 = a staff member. */
export const KfMessage = z.looseObject({
  msgid: z.string().min(1),
  open_kfid: z.string().min(1),
  external_userid: z.string().optional(),
  send_time: z.number().int(),
  origin: z.number().int(),
  servicer_userid: z.string().optional(),
  msgtype: z.string().min(1),
  text: z.object({ content: z.string(), menu_id: z.string().optional() }).optional(),
  image: z.object({ media_id: z.string() }).optional(),
  voice: z.object({ media_id: z.string() }).optional(),
  video: z.object({ media_id: z.string() }).optional(),
  file: z.object({ media_id: z.string() }).optional(),
});
export type KfMessage = z.infer<typeof KfMessage>;

export interface KfSyncResult {
  nextCursor: string;
  hasMore: boolean;
  msgList: KfMessage[];
}

export interface WecomApi {
  accessToken(): Promise<string>;
  sendAppText(input: { agentId: string | number; toUser: string; content: string }): Promise<{ msgid: string }>;
  kfSyncMsg(input: { cursor?: string; token: string; openKfId: string; limit?: number }): Promise<KfSyncResult>;
  kfSendText(input: { toUser: string; openKfId: string; content: string; msgid?: string }): Promise<{ msgid: string }>;
}

/** Token errors: invalid credential, invalid access_token, access_token expired. */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
const SYSTEM_BUSY = -1;
/** Tokens live 7200 s; renewing 5 minutes early avoids using one that expires in flight. */
const REFRESH_MARGIN_S = 300;

const Answer = z.looseObject({ errcode: z.number().int(), errmsg: z.string().default('') });
type Answer = z.infer<typeof Answer>;
const TokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const SendAnswer = z.object({
  msgid: z.string().default(''),
  invaliduser: z.string().default(''),
  unlicenseduser: z.string().default(''),
});
const SyncAnswer = z.object({
  next_cursor: z.string().default(''),
  has_more: z.union([z.number(), z.boolean()]).default(0),
  msg_list: z.array(KfMessage).default([]),
});
const KfSendAnswer = z.object({ msgid: z.string().default('') });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWecomApi(opts: WecomApiOptions): WecomApi {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  const attempts = opts.attempts ?? 3;
  const baseDelayMs = opts.baseDelayMs ?? 250;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const base = opts.baseUrl.replace(/\/+$/, '');
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  /** One HTTP exchange with retries on network errors, 5xx and "system busy". `api` names it in errors (never the URL: it holds the token or secret). */
  async function exchange(api: string, url: string, body?: unknown): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const retry = attempt < attempts;
      let res: Response;
      try {
        res = await doFetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        if (retry) {
          await sleep(baseDelayMs * 2 ** (attempt - 1));
          continue;
        }
        const reason = err instanceof Error ? err.message : String(err);
        throw new WecomApiError('wecom_unavailable', `WeCom ${api} unreachable after ${attempt} attempts (${reason}); check network access to ${base}`);
      }
      if (res.status >= 500 && retry) {
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      if (res.status >= 500) {
        throw new WecomApiError('wecom_unavailable', `WeCom ${api} answered HTTP ${res.status} on all ${attempt} attempts; try again later`);
      }
      if (!res.ok) {
        throw new WecomApiError('wecom_rejected', `WeCom ${api} answered HTTP ${res.status}; check the API base URL`);
      }
      let answer: Answer;
      try {
        answer = Answer.parse(await res.json());
      } catch {
        throw new WecomApiError('wecom_bad_response', `WeCom ${api} answered without a JSON errcode`);
      }
      if (answer.errcode === SYSTEM_BUSY && retry) {
        await sleep(baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      return answer;
    }
  }

  function refused(api: string, a: Answer, hint = ''): WecomApiError {
    return new WecomApiError(
      a.errcode === SYSTEM_BUSY ? 'wecom_unavailable' : 'wecom_rejected',
      `WeCom ${api} refused with errcode ${a.errcode}: ${a.errmsg}${hint}`,
      a.errcode,
      a.errmsg,
    );
  }

  function shaped<T extends z.ZodType>(api: string, schema: T, a: Answer): z.infer<T> {
    const parsed = schema.safeParse(a);
    if (!parsed.success) throw new WecomApiError('wecom_bad_response', `WeCom ${api} answer lacks expected fields`, a.errcode, a.errmsg);
    return parsed.data;
  }

  async function fetchToken(): Promise<string> {
    const query = new URLSearchParams({ corpid: opts.corpId, corpsecret: opts.secret });
    const a = await exchange('gettoken', `${base}/cgi-bin/gettoken?${query}`);
    if (a.errcode !== 0) throw refused('gettoken', a, ' (check the CorpID and the app secret)');
    const { access_token, expires_in } = shaped('gettoken', TokenAnswer, a);
    const lifetimeS = expires_in > 2 * REFRESH_MARGIN_S ? expires_in - REFRESH_MARGIN_S : expires_in / 2;
    cached = { token: access_token, expiresAt: now() + lifetimeS * 1000 };
    return access_token;
  }

  function accessToken(): Promise<string> {
    if (cached && now() < cached.expiresAt) return Promise.resolve(cached.token);
    // Concurrent callers share one gettoken: WeCom rate-limits it.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  /** POSTs with the cached token; a token WeCom no longer accepts is replaced once. */
  async function call(api: string, body: unknown): Promise<Answer> {
    for (let renewed = false; ; renewed = true) {
      const token = await accessToken();
      const a = await exchange(api, `${base}/cgi-bin/${api}?access_token=${encodeURIComponent(token)}`, body);
      if (TOKEN_ERRCODES.has(a.errcode) && !renewed) {
        if (cached?.token === token) cached = undefined;
        continue;
      }
      if (a.errcode !== 0) throw refused(api, a);
      return a;
    }
  }

  return {
    accessToken,

    async sendAppText({ agentId, toUser, content }) {
      const agentid = Number(agentId);
      if (!Number.isInteger(agentid)) throw new WecomApiError('wecom_rejected', `WeCom agentId must be an integer, got "${agentId}"`);
      const api = 'message/send';
      const a = shaped(api, SendAnswer, await call(api, { touser: toUser, msgtype: 'text', agentid, text: { content }, safe: 0 }));
      // errcode 0 still means "not delivered" for recipients WeCom lists as invalid or unlicensed.
      if (a.invaliduser || a.unlicenseduser) {
        throw new WecomApiError('wecom_rejected', `WeCom ${api} did not deliver: the recipient is not a member visible to app ${agentid} or has no licence`);
      }
      return { msgid: a.msgid };
    },

    async kfSyncMsg({ cursor, token, openKfId, limit }) {
      const api = 'kf/sync_msg';
      const a = shaped(api, SyncAnswer, await call(api, { cursor, token, limit, open_kfid: openKfId }));
      return { nextCursor: a.next_cursor, hasMore: Boolean(a.has_more), msgList: a.msg_list };
    },

    async kfSendText({ toUser, openKfId, content, msgid }) {
      const api = 'kf/send_msg';
      const a = shaped(api, KfSendAnswer, await call(api, { touser: toUser, open_kfid: openKfId, msgid, msgtype: 'text', text: { content } }));
      return { msgid: a.msgid };
    },
  };
}
