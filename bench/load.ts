import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { encrypt, getSignature } from '@wecom/crypto';
import twilio from 'twilio';

/**
 * Load for the HTTP bench: requests signed exactly as Twilio and WeCom sign them, generated before a run (a
 * distinct MessageSid / CallSid / MsgId and signature each), fired over keep-alive connections from this process at
 * the server processes started by bench/run.ts.
 */
export const PUBLIC_BASE_URL = 'https://hotline.example.org';
export const BENCH_CREDENTIALS = {
  TWILIO_ACCOUNT_SID: 'ACbench0000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'bench-twilio-auth-token',
  TWILIO_NUMBER_12349: '+8653912349',
  WECOM_CORP_ID: 'wwbench00000000001',
  WECOM_TOKEN: 'bench-wecom-callback-token',
  WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: 'bench-wecom-secret',
} as const;
const C = BENCH_CREDENTIALS;
/** The bearer token the bench's scraper sends for /metrics (METRICS_TOKEN of the bench servers). */
export const BENCH_METRICS_TOKEN = 'bench-metrics-token';

/** `sender`: who sends it; a fixed-rate run sends a sender's next message only once the last one was answered. */
export type BenchRequest = { path: string; headers: Record<string, string>; body: string; sender?: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid 18-digit ID number, distinct for every n below 16 million. */
function idNumber(n: number): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + (n % 18_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `371302${birth}${String(Math.floor(n / 18_000) % 900 + 100)}`;
  return body + '10X98765432'[WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0) % 11];
}

type Resident = { phone: string; digits: string; id: string; name: string };
const NAMES = ['王秀英', '李桂兰', '张建国', '刘玉梅', '陈志强', '杨淑珍', '赵德明', '黄桂芳'];
/** Resident `r` of a run; `series` (0–99) keeps runs apart, so no run meets another's conversations or limits. */
function resident(series: number, r: number): Resident {
  const digits = `137${String(series).padStart(2, '0')}${String(r).padStart(6, '0')}`;
  return { phone: `+86${digits}`, digits, id: idNumber(series * 100_000 + r), name: NAMES[r % NAMES.length]! };
}

/**
 * `n` requests from residents talking at once, in `lanes` parallel lanes, each lane a resident after another:
 * a resident's next turn comes `lanes` requests after the last. Lanes start one turn apart (lane L skips the
 * first L mod turns steps), so the heavy turns (opening a case) are spread evenly rather than arriving together.
 */
function conversations<T>(n: number, lanes: number, turns: number, make: (r: number, turn: number) => T): T[] {
  const out: T[] = [];
  for (let step = 0; out.length < n; step++) {
    for (let lane = 0; lane < lanes && out.length < n; lane++) {
      const t = step - (lane % turns);
      if (t >= 0) out.push(make(lane + lanes * Math.floor(t / turns), t % turns));
    }
  }
  return out;
}

let sidSeq = 0;
const sid = (prefix: string) => `${prefix}${process.pid.toString(16).padStart(8, '0')}${(++sidSeq).toString(16).padStart(24, '0')}`;

function twilioPost(path: string, params: Record<string, string>): BenchRequest {
  return {
    path,
    ...(params.From ? { sender: params.From } : {}),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(C.TWILIO_AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params) },
    body: new URLSearchParams(params).toString(),
  };
}

/** The SMS turns of an assistance application: details, phone, relation, consent; then "对" opens, classifies and routes a case. */
const smsTurn = (p: Resident, turn: number) =>
  [`我叫${p.name}，身份证${p.id}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`, '是', '1', '同意', '对'][turn]!;

/**
 * Residents applying by SMS. `dialog`: the four turns that fill the form (a dialog turn: state in, state out,
 * replies), never confirming. `application`: all five, so one turn in five opens a case (classification,
 * referrals, timers, staff notices).
 */
export function smsDialogs(n: number, lanes: number, series: number, opts: { turns: 'dialog' | 'application'; path?: string }): BenchRequest[] {
  return conversations(n, lanes, opts.turns === 'dialog' ? 4 : 5, (r, turn) => {
    const p = resident(series, r);
    return twilioPost(opts.path ?? '/channels/twilio/sms', { MessageSid: sid('SM'), AccountSid: C.TWILIO_ACCOUNT_SID, From: p.phone, To: C.TWILIO_NUMBER_12349, Body: smsTurn(p, turn), NumMedia: '0' });
  });
}

/** Calls of two turns: the greeting (ringing), then what the caller says, each answered with TwiML. */
export function voiceCalls(n: number, lanes: number, series: number): BenchRequest[] {
  const calls = new Map<number, string>();
  return conversations(n, lanes, 2, (r, turn) => {
    const p = resident(series, r);
    if (!calls.has(r)) calls.set(r, sid('CA'));
    const base = { CallSid: calls.get(r)!, AccountSid: C.TWILIO_ACCOUNT_SID, From: p.phone, To: C.TWILIO_NUMBER_12349, Direction: 'inbound' };
    return turn === 0
      ? twilioPost('/channels/twilio/voice', { ...base, CallStatus: 'ringing' })
      : twilioPost('/channels/twilio/voice?turn=1', { ...base, CallStatus: 'in-progress', SpeechResult: '我想申请低保，家里老人瘫痪在床', Confidence: '0.92' });
  });
}

/** WeCom app members applying on a resident's behalf: encrypted, signed callbacks; the reply goes out through the API. */
export function wecomMessages(n: number, lanes: number, series: number): BenchRequest[] {
  let msgId = BigInt(series) * 10n ** 15n + 7_000_000_000_000_000_000n;
  return conversations(n, lanes, 4, (r, turn) => {
    const p = resident(series, r);
    const text = [`帮${p.name}申请低保，身份证${p.id}，电话${p.digits}，家里三口人，住枣园镇东鲁村`, '1', '同意', '对'][turn]!;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const xml = `<xml><ToUserName><![CDATA[${C.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[assistant_${series}_${r}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${text}]]></Content><MsgId>${(msgId += 1n)}</MsgId><AgentID>${C.WECOM_AGENT_ID}</AgentID></xml>`;
    const cipher = encrypt(C.WECOM_ENCODING_AES_KEY, xml, C.WECOM_CORP_ID);
    const nonce = String(r * 10 + turn);
    const query = new URLSearchParams({ msg_signature: getSignature(C.WECOM_TOKEN, timestamp, nonce, cipher), timestamp, nonce });
    return {
      path: `/channels/wecom/callback?${query}`,
      sender: `assistant_${series}_${r}`,
      headers: { 'content-type': 'text/xml' },
      body: `<xml><ToUserName><![CDATA[${C.WECOM_CORP_ID}]]></ToUserName><Encrypt><![CDATA[${cipher}]]></Encrypt><AgentID><![CDATA[${C.WECOM_AGENT_ID}]]></AgentID></xml>`,
    };
  });
}

export type LoadResult = {
  /** Every latency (ms), sorted, for pooling several runs (bench/run.ts, the polling part). */
  latencies: number[];
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Responses by status code, and transport errors/timeouts. */
  statuses: Record<string, number>;
  errors: number;
};

const TIMEOUT_MS = 20_000;

export function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;
}

/**
 * The server processes requests go to, each with its share of the connections, and the tally of answers. With several
 * processes a request goes to the next one in turn as it is sent (round robin, as a balancer does), so a resident's
 * messages land on either.
 */
function loadOn(url: string | string[], connections: number) {
  const urls = Array.isArray(url) ? url : [url];
  const targets = urls.map((u) => {
    const target = new URL(u);
    return { host: target.hostname, port: target.port, agent: new Agent({ keepAlive: true, maxSockets: Math.max(1, Math.floor(connections / urls.length)) }) };
  });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let turn = 0;
  /** Sends one request; its latency runs from `since` (when it was due, or when it went out). */
  const send = (r: BenchRequest, since?: number) =>
    new Promise<void>((resolve) => {
      const { agent, host, port } = targets[turn++ % targets.length]!;
      const from = since ?? performance.now();
      const req = request({ agent, host, port, method: 'POST', path: r.path, headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) }, timeout: TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - from);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(r.body);
    });
  const result = (seconds: number): LoadResult => {
    for (const t of targets) t.agent.destroy();
    latencies.sort((a, b) => a - b);
    const done = latencies.length;
    return { latencies, requests: done, seconds, perSecond: done / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN, statuses, errors };
  };
  return { send, result };
}

/**
 * Fires the requests in order from `connections` keep-alive connections for `seconds`, as fast as the server answers
 * (closed loop: the saturated throughput); a resident's next message waits for the answer to their last. Past the
 * end of the list (a run outpacing its pool) a request repeats: the hotline answers it as a provider's retry. A fixed
 * `rate` goes to `fireAtRate`.
 */
export async function fire(url: string | string[], requests: BenchRequest[], opts: { rate?: number; connections: number; seconds: number }): Promise<LoadResult> {
  if (opts.rate) return fireAtRate(url, requests, { rate: opts.rate, connections: opts.connections, seconds: opts.seconds });
  const load = loadOn(url, opts.connections);
  const start = performance.now();
  const end = start + opts.seconds * 1000;
  const lastOf = new Map<string, Promise<void>>();
  let next = 0;
  const connection = async () => {
    while (performance.now() < end) {
      const r = requests[next++ % requests.length]!;
      const before = r.sender ? lastOf.get(r.sender) : undefined;
      let answered = () => {};
      const mine = new Promise<void>((resolve) => (answered = resolve));
      if (r.sender) lastOf.set(r.sender, mine);
      try {
        if (before) await before;
        if (performance.now() < end) await load.send(r);
      } finally {
        answered();
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, connection));
  return load.result((performance.now() - start) / 1000);
}

/**
 * Open loop at a fixed rate: request i is due at start + i/rate, evenly spaced, as independent residents write
 * (autocannon's rate mode instead sends each connection's budget for the second back to back, all connections at
 * once, so every second begins with a burst). Latency runs from when a request was due, not when it went out, so
 * a server that falls behind shows its backlog in the figures. At most `connections` requests are in flight, and a
 * resident writes again only once answered (for WeCom: once acknowledged): never two of their turns in flight.
 */
export async function fireAtRate(url: string | string[], requests: BenchRequest[], opts: { rate: number; connections: number; seconds: number }): Promise<LoadResult> {
  const load = loadOn(url, opts.connections);
  const total = Math.round(opts.rate * opts.seconds);
  const start = performance.now() + 20;
  const pending: Promise<void>[] = [];
  const lastOf = new Map<string, Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / opts.rate;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(wait);
    const r = requests[i % requests.length]!;
    const before = r.sender ? lastOf.get(r.sender) : undefined;
    const sent = before ? before.then(() => load.send(r, due)) : load.send(r, due);
    if (r.sender) lastOf.set(r.sender, sent);
    pending.push(sent);
  }
  await Promise.all(pending);
  return load.result((performance.now() - start) / 1000);
}
