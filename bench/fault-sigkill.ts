/**
 * Fault script (issue 15): two hotline processes, a burst of residents, one process SIGKILLed mid-burst and restarted.
 *
 *   npx tsx bench/fault-sigkill.ts                 # 15 SMS + 15 WeCom residents, 5 messages each; exit 1 on any loss
 *   FAULT_SMS=30 FAULT_WECOM=0 npx tsx bench/fault-sigkill.ts
 *   FAULT_SEED=7 FAULT_KILL_AT=0.3 npx tsx bench/fault-sigkill.ts
 *   FAULT_KILL=0 npx tsx bench/fault-sigkill.ts     # the same burst with no kill (a control)
 *   FAULT_KEEP=1 …                                 # keep the database for a look afterwards
 *
 * Two real server processes (`src/start.ts`, what `npm start` runs: HTTP and workers, the recovery sweep every 10 s)
 * share one throwaway database and one Redis prefix, as two machines behind a balancer; each keeps its own spool
 * directory across its restart. The Twilio and WeCom REST fakes run in this process. Each resident sends the five
 * messages that complete an assistance application, signed exactly as Twilio and WeCom sign them, through a
 * balancer in this process (round robin over the two processes; a refused connection goes to the other one, as
 * nginx's proxy_next_upstream does). Once FAULT_KILL_AT of the messages are answered, the process with the most
 * requests in flight is SIGKILLed (at the first moment, within 1.5 s, that it has 3 or more); FAULT_RESTART_MS later
 * it is started again on the same port (a supervisor's restart). The providers behave as they do on a failed webhook:
 *   - Twilio (with connection overrides `#rc=3`): a connection cut or a timeout (15 s) is retried, same MessageSid;
 *   - WeCom: a callback not answered within 5 s is sent again, up to 3 more times, same MsgId.
 * A resident writes again once answered (SMS: the TwiML, holding reply included; WeCom: the acknowledgement) after a
 * short pause, so a WeCom resident's next message often comes while the last one's turn still runs.
 *
 * Once every resident is done and the database stops changing (the dead process's locks expire, the recovery sweeps
 * run), it checks from the database: every message stored once and processed once, each resident's turns processed
 * in the order sent (the reply of each turn is the next question of the application, and the turns committed in
 * sending order), one conversation and one case per resident with the fields they gave, and every reply the hotline
 * recorded reached the resident once. It prints the figures (the lines bench/results.md keeps) and exits 1 on any
 * loss.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrate.js';
import { HOLDING_REPLY } from '../src/intake/intake.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { twilioSignedForm, wecomEncryptedPost } from '../test/fakes/sign.js';
import { startFakeTwilio } from '../test/fakes/twilio-api.js';
import { startFakeWecom } from '../test/fakes/wecom-api.js';
import { residents, type Resident } from '../test/helpers/residents.js';
import { readTwiml } from '../test/helpers/twiml.js';
import { BENCH_CREDENTIALS as C, PUBLIC_BASE_URL } from './load.js';
import { PG_BASE, admin, dropRedisPrefix } from './scratch-stores.js';

const t0 = performance.now();
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SMS_RESIDENTS = Number(process.env.FAULT_SMS ?? 15);
const WECOM_RESIDENTS = Number(process.env.FAULT_WECOM ?? 15);
/** Share of all messages answered when the kill comes. */
const KILL_AT = Number(process.env.FAULT_KILL_AT ?? 0.4);
const RESTART_MS = Number(process.env.FAULT_RESTART_MS ?? 1000);
/** How long to wait, after the last resident is done, for every message to be processed. */
const RECOVERY_TIMEOUT_MS = Number(process.env.FAULT_RECOVERY_TIMEOUT_S ?? 120) * 1000;
const SEED = Number(process.env.FAULT_SEED ?? 1);
/** FAULT_KILL=0: the same burst with no kill, a control. */
const KILL = process.env.FAULT_KILL !== '0';
const TOTAL_SENDERS = SMS_RESIDENTS + WECOM_RESIDENTS;
const TURNS = 5;

/** A small seeded generator, so a run's pauses can be repeated (FAULT_SEED). */
let rand = SEED >>> 0 || 1;
const random = () => ((rand = (Math.imul(rand, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
const pause = (min: number, max: number) => sleep(min + random() * (max - min));

// ───────────────────────── the residents and their messages ─────────────────────────

type Channel = 'sms' | 'wecom';
type Sender = { channel: Channel; address: string; resident: Resident; texts: string[]; providerIds: string[] };

/**
 * The five messages of an application on each channel (each answers the question the last one's reply asks, so a
 * message taken out of order or twice leaves the application unfinished or its fields wrong): SMS, a resident for
 * themselves; WeCom, a village cadre for a villager.
 */
const SMS_TEXTS = (r: Resident) => [`我叫${r.name}，给自己申请低保，身份证${r.id}，家里三口人，住枣园镇东鲁村，老伴瘫痪在床`, '是', '同意', '没有', '对'];
const WECOM_TEXTS = (r: Resident) => [`我是村干部，替村里人申请低保，身份证${r.id}，电话${r.digits}，家里三口人，住枣园镇东鲁村，老伴瘫痪在床`, r.name, '同意', '没有', '对'];
/** What the first reply to each turn asks, in order (the same on both channels from the second turn on). */
const EXPECTED_REPLY: Record<Channel, RegExp[]> = {
  sms: [/是否用您现在这个号码/, /授权/, /最后问一句/, /请核对您的申请/, /申请已提交/],
  wecom: [/叫什么名字/, /授权/, /最后问一句/, /请核对您的申请/, /申请已提交/],
};

const series = 40 + (SEED % 10);
const people = residents(TOTAL_SENDERS, series);
let msgId = BigInt(Date.now()) * 1000n;
const senders: Sender[] = people.map((resident, i) => {
  const channel: Channel = i < SMS_RESIDENTS ? 'sms' : 'wecom';
  const texts = channel === 'sms' ? SMS_TEXTS(resident) : WECOM_TEXTS(resident);
  return {
    channel,
    address: channel === 'sms' ? resident.phone : `cadre_${series}_${i}`,
    resident,
    texts,
    providerIds: texts.map(() => (channel === 'sms' ? `SM${randomBytes(16).toString('hex')}` : String((msgId += 1n)))),
  };
});
const TOTAL_MESSAGES = TOTAL_SENDERS * TURNS;

// ───────────────────────── the fleet ─────────────────────────

const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_fault_${id}`;
const databaseUrl = `${PG_BASE}/${dbName}`;
const prefix = `fault_${id}`;
const dataKey = randomBytes(32).toString('base64');


function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

type Proc = { index: number; port: number; spoolDir: string; child?: ChildProcess; incarnation: number; inFlight: number; logs: string[] };

function waitForExit(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startProcess(p: Proc, env: Record<string, string>): Promise<number> {
  const started = performance.now();
  p.incarnation += 1;
  const log = join(tmpdir(), `hotline-fault-${process.pid}-${p.index}-${p.incarnation}.log`);
  p.logs.push(log);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(p.port), SPOOL_DIR: p.spoolDir },
    stdio: ['ignore', fd, fd],
  });
  p.child = child;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (const deadline = Date.now() + 120_000; ; ) {
    if (exited) throw new Error(`hotline process ${p.index + 1} exited before it was ready; its log is ${log}`);
    if (Date.now() > deadline) throw new Error(`hotline process ${p.index + 1} not ready within 120 s; its log is ${log}`);
    const ready = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port: p.port, path: '/readyz', timeout: 1000 }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.on('timeout', () => req.destroy());
      req.end();
    });
    if (ready) return performance.now() - started;
    await sleep(100);
  }
}

// ───────────────────────── the balancer and the providers ─────────────────────────

type Answer = { status: number; body: string };
/** The request reached a process and no answer came back whole (cut by the kill, or too slow). */
class Cut extends Error {}

const tally = { refusedAndRerouted: 0, providerRetries: 0, cutRequests: 0, timeouts: 0, status5xx: 0, holdingReplies: 0, emptyAnswers: 0, gaveUp: 0 };
let procs: Proc[] = [];
let rr = 0;

/** One try on one process: refused (nothing was sent), or an answer, or cut. */
function tryOn(p: Proc, path: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer | 'refused'> {
  return new Promise((resolve, reject) => {
    let sent = false;
    p.inFlight += 1;
    const done = () => (p.inFlight -= 1);
    const req = request({ host: '127.0.0.1', port: p.port, method: 'POST', path, headers: { ...headers, 'content-length': Buffer.byteLength(body), connection: 'close' }, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', () => {
        done();
        reject(new Cut('response cut'));
      });
    });
    req.on('socket', (s) => s.once('connect', () => (sent = true)));
    req.on('timeout', () => {
      tally.timeouts += 1;
      req.destroy(new Cut('timeout'));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      done();
      if (!sent && err.code === 'ECONNREFUSED') resolve('refused');
      else reject(err instanceof Cut ? err : new Cut(err.code ?? err.message));
    });
    req.end(body);
  });
}

/** Where each message's deliveries went and how they ended (printed for a resident with a loss). */
const trace = new Map<string, string[]>();
const note = (providerId: string, what: string) => trace.set(providerId, [...(trace.get(providerId) ?? []), what]);

/** The balancer: round robin; a refused connection goes to the next process (both refusing: wait and try again). */
async function forward(providerId: string, path: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  const first = rr++;
  for (let attempt = 0; ; attempt += 1) {
    const p = procs[(first + attempt) % procs.length]!;
    const at = `${((performance.now() - t0) / 1000).toFixed(2)}s p${p.index + 1}.${p.incarnation}`;
    const answer = await tryOn(p, path, headers, body, timeoutMs).catch((err: Error) => {
      note(providerId, `${at} ${err.message}`);
      throw err;
    });
    if (answer !== 'refused') {
      note(providerId, `${at} ${answer.status}`);
      return answer;
    }
    tally.refusedAndRerouted += 1;
    if (attempt % procs.length === procs.length - 1) await sleep(250);
    if (attempt > 400) throw new Cut('every process refused for 100 s');
  }
}

/** Received by each resident: reply texts (SMS in TwiML; the API sends are read from the fakes afterwards). */
const received = new Map<string, string[]>();
let answered = 0;
let onAnswered = () => {};

/** Twilio with connection overrides (#rc=3): a cut or timed-out webhook is sent again, and a 5xx too. */
async function sendSms(s: Sender, k: number): Promise<void> {
  const params = { MessageSid: s.providerIds[k]!, AccountSid: C.TWILIO_ACCOUNT_SID, From: s.address, To: C.TWILIO_NUMBER_12349, Body: s.texts[k]!, NumMedia: '0' };
  const path = '/channels/twilio/sms';
  const signed = twilioSignedForm(C.TWILIO_AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params);
  for (let attempt = 0; attempt <= 3; attempt += 1) {
    if (attempt > 0) tally.providerRetries += 1;
    try {
      const a = await forward(s.providerIds[k]!, path, signed.headers, signed.payload, 15_000);
      if (a.status >= 500) {
        tally.status5xx += 1;
        await sleep(500);
        continue;
      }
      const messages = readTwiml(a.body).messages;
      if (messages.length === 0) tally.emptyAnswers += 1;
      if (messages.includes(HOLDING_REPLY.text)) tally.holdingReplies += 1;
      received.get(s.address)!.push(...messages.filter((m) => m !== HOLDING_REPLY.text));
      return;
    } catch (err) {
      if (!(err instanceof Cut)) throw err;
      tally.cutRequests += 1;
      await sleep(500);
    }
  }
  tally.gaveUp += 1;
}

/** WeCom: a callback not answered 200 within 5 s is sent again, up to three more times, same MsgId. */
async function sendWecom(s: Sender, k: number): Promise<void> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const xml = `<xml><ToUserName><![CDATA[${C.WECOM_CORP_ID}]]></ToUserName><FromUserName><![CDATA[${s.address}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${s.texts[k]}]]></Content><MsgId>${s.providerIds[k]}</MsgId><AgentID>${C.WECOM_AGENT_ID}</AgentID></xml>`;
  for (let attempt = 0; attempt <= 3; attempt += 1) {
    if (attempt > 0) tally.providerRetries += 1;
    const { query, body } = wecomEncryptedPost({ token: C.WECOM_TOKEN, encodingAesKey: C.WECOM_ENCODING_AES_KEY, corpId: C.WECOM_CORP_ID, timestamp: String(Math.floor(Date.now() / 1000)), nonce: randomBytes(6).toString('hex'), xml, agentId: C.WECOM_AGENT_ID });
    try {
      const a = await forward(s.providerIds[k]!, `/channels/wecom/callback?${new URLSearchParams(query)}`, { 'content-type': 'text/xml' }, body, 5_000);
      if (a.status === 200) return;
      if (a.status >= 500) tally.status5xx += 1;
    } catch (err) {
      if (!(err instanceof Cut)) throw err;
      tally.cutRequests += 1;
    }
    await sleep(1000);
  }
  tally.gaveUp += 1;
}

async function resident(s: Sender, startAfterMs: number): Promise<void> {
  received.set(s.address, []);
  await sleep(startAfterMs);
  for (let k = 0; k < TURNS; k += 1) {
    await (s.channel === 'sms' ? sendSms(s, k) : sendWecom(s, k));
    answered += 1;
    onAnswered();
    // Reading the answer and typing the next (WeCom: the acknowledgement comes before the answer, and a resident
    // often writes again before it).
    await (s.channel === 'sms' ? pause(100, 600) : pause(20, 250));
  }
}

// ───────────────────────── the checks ─────────────────────────

type Figures = { lines: [string, string][]; failures: string[]; notes: string[] };

async function check(sql: pg.Client, fakes: { twilio: Awaited<ReturnType<typeof startFakeTwilio>>; wecom: Awaited<ReturnType<typeof startFakeWecom>> }): Promise<Figures> {
  const failures: string[] = [];
  const notes: string[] = [];
  const { rows: inbound } = await sql.query<{ id: string; providerId: string; sender: string; status: string; conversationId: string | null }>(
    `SELECT id, "providerId", sender, status::text AS status, "conversationId" FROM "Message" WHERE direction = 'inbound'`,
  );
  const byProvider = new Map(inbound.map((m) => [m.providerId, m]));
  const { rows: replies } = await sql.query<{ inboundId: string; n: number; text: string; status: string; done: Date }>(
    `SELECT split_part("idempotencyKey", ':', 2) AS "inboundId", split_part("idempotencyKey", ':', 3)::int AS n, text, status::text AS status, "createdAt" AS done
       FROM "Message" WHERE direction = 'outbound' AND "idempotencyKey" LIKE 'reply:%' ORDER BY "idempotencyKey"`,
  );
  const repliesOf = new Map<string, typeof replies>();
  for (const r of replies) repliesOf.set(r.inboundId, [...(repliesOf.get(r.inboundId) ?? []), r]);

  let stored = 0;
  let processed = 0;
  let wrongReply = 0;
  let outOfOrder = 0;
  let withCase = 0;
  let duplicateCases = 0;
  let extraConversations = 0;
  let wrongFields = 0;
  let lostReplies = 0;
  let repeatedReplies = 0;
  for (const s of senders) {
    const rows = s.providerIds.map((pid) => byProvider.get(pid));
    stored += rows.filter(Boolean).length;
    processed += rows.filter((m) => m?.status === 'processed').length;
    const firsts = rows.map((m) => (m ? repliesOf.get(m.id)?.find((r) => r.n === 0) : undefined));
    for (const [k, first] of firsts.entries()) {
      if (rows[k]?.status === 'processed' && !EXPECTED_REPLY[s.channel][k]!.test(first?.text ?? '')) {
        wrongReply += 1;
        failures.push(`${s.channel} ${s.address} turn ${k + 1}: reply ${JSON.stringify((first?.text ?? '(none)').slice(0, 40))} does not ask what turn ${k + 2} answers`);
      }
    }
    const times = firsts.map((f) => f?.done.getTime() ?? Number.NaN);
    if (times.some((t, k) => k > 0 && !(t > times[k - 1]!))) {
      outOfOrder += 1;
      failures.push(`${s.channel} ${s.address}: turns committed in the order ${times.map((t, k) => [t, k + 1] as const).sort((a, b) => a[0] - b[0]).map(([, k]) => k).join(',')}`);
    }
    const conversations = new Set(rows.map((m) => m?.conversationId).filter(Boolean));
    if (conversations.size > 1) {
      extraConversations += conversations.size - 1;
      failures.push(`${s.channel} ${s.address}: ${conversations.size} conversations`);
    }
    const { rows: cases } = await sql.query<{ applicantName: string | null; phone: string | null; householdSize: number | null; idNumberMasked: string | null }>(
      `SELECT c."applicantName", c.phone, c."householdSize", c."idNumberMasked" FROM "Case" c JOIN "Conversation" v ON v.id = c."conversationId" JOIN "ChannelIdentity" i ON i.id = v."identityId" WHERE i.address = $1`,
      [s.address],
    );
    if (cases.length >= 1) withCase += 1;
    if (cases.length > 1) {
      duplicateCases += cases.length - 1;
      failures.push(`${s.channel} ${s.address}: ${cases.length} cases`);
    }
    const c = cases[0];
    if (c && (c.applicantName !== s.resident.name || c.phone !== s.resident.digits || c.householdSize !== 3 || !c.idNumberMasked?.endsWith(s.resident.id.slice(-4)))) {
      wrongFields += 1;
      failures.push(`${s.channel} ${s.address}: case fields ${JSON.stringify(c)}`);
    }
    if (!c) failures.push(`${s.channel} ${s.address}: no case (${rows.map((m) => m?.status ?? 'not stored').join(', ')})`);
    if (failures.some((f) => f.includes(s.address))) {
      for (const [k, pid] of s.providerIds.entries()) failures.push(`  turn ${k + 1} (${rows[k]?.id ?? 'not stored'}): ${(trace.get(pid) ?? []).join('; ')}`);
    }
    // Every reply the hotline recorded for this resident reached them once: in a TwiML answer or through the API.
    const recorded = rows.flatMap((m) => (m ? (repliesOf.get(m.id) ?? []).map((r) => r.text) : []));
    const got =
      s.channel === 'sms'
        ? [...received.get(s.address)!, ...fakes.twilio.messages.filter((m) => m.to === s.address).map((m) => String(m.body))]
        : fakes.wecom.sent.filter((m) => m.toUser === s.address).map((m) => m.content);
    for (const text of new Set(recorded)) {
      const want = recorded.filter((t) => t === text).length;
      const have = got.filter((t) => t === text).length;
      if (have < want) {
        lostReplies += want - have;
        failures.push(`${s.channel} ${s.address}: reply never reached the resident: ${JSON.stringify(text.slice(0, 40))}`);
      }
      if (have > want) {
        repeatedReplies += have - want;
        notes.push(`${s.channel} ${s.address}: reply reached the resident ${have} times: ${JSON.stringify(text.slice(0, 40))}`);
      }
    }
  }
  const { rows: totals } = await sql.query<{ cases: number; inbound: number; conversations: number }>(
    `SELECT (SELECT count(*) FROM "Case")::int AS cases, (SELECT count(*) FROM "Message" WHERE direction = 'inbound')::int AS inbound, (SELECT count(*) FROM "Conversation")::int AS conversations`,
  );
  const t = totals[0]!;
  if (stored !== TOTAL_MESSAGES) failures.push(`${TOTAL_MESSAGES - stored} messages never stored`);
  if (processed !== TOTAL_MESSAGES) failures.push(`${TOTAL_MESSAGES - processed} messages never processed`);
  if (t.cases !== TOTAL_SENDERS) failures.push(`${t.cases} cases in all for ${TOTAL_SENDERS} residents`);
  if (t.inbound !== TOTAL_MESSAGES) failures.push(`${t.inbound} inbound rows for ${TOTAL_MESSAGES} messages`);
  return {
    failures,
    notes,
    lines: [
      ['residents with their case', `${withCase}/${TOTAL_SENDERS} (${t.cases} cases in all, ${duplicateCases} duplicate, ${wrongFields} with a wrong field)`],
      ['messages stored once / processed', `${stored}/${TOTAL_MESSAGES} / ${processed}/${TOTAL_MESSAGES} (${t.inbound} inbound rows)`],
      ['turns answered out of step (processed twice or out of order)', `${wrongReply}`],
      ['residents whose turns committed out of order', `${outOfOrder}/${TOTAL_SENDERS}`],
      ['conversations', `${t.conversations} for ${TOTAL_SENDERS} residents (${extraConversations} extra)`],
      ['replies recorded that never reached the resident / reached twice', `${lostReplies} / ${repeatedReplies}`],
    ],
  };
}

// ───────────────────────── the run ─────────────────────────

async function main() {
  const began = performance.now();
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
  const twilio = await startFakeTwilio({ accountSid: C.TWILIO_ACCOUNT_SID, authToken: C.TWILIO_AUTH_TOKEN });
  const wecom = await startFakeWecom({ corpId: C.WECOM_CORP_ID, secret: C.WECOM_SECRET });
  const env: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    // A logical database no test flushes (test/jobs uses 13, bench/timers.ts 14); keys are removed by prefix.
    REDIS_URL: 'redis://127.0.0.1:6379/12',
    REDIS_PREFIX: prefix,
    PUBLIC_BASE_URL,
    DATA_KEY: dataKey,
    ...C,
    TWILIO_API_BASE_URL: twilio.url,
    WECOM_API_BASE_URL: wecom.url,
  };
  procs = await Promise.all([0, 1].map(async (index) => ({ index, port: await freePort(), spoolDir: mkdtempSync(join(tmpdir(), `hotline-fault-spool-${index}-`)), incarnation: 0, inFlight: 0, logs: [] }) as Proc));
  const sql = new pg.Client({ connectionString: databaseUrl });
  let figures: Figures | undefined;
  const timeline: [string, string][] = [];
  try {
    // The first process loads the county directory into the empty database; the second finds it.
    for (const p of procs) {
      const ms = await startProcess(p, env);
      console.error(`process ${p.index + 1} ready on port ${p.port} in ${(ms / 1000).toFixed(1)} s (log: ${p.logs.at(-1)})`);
    }
    await sql.connect();

    // The kill, once KILL_AT of the messages are answered, of the process with the most requests in flight.
    let killedAt = 0;
    let kill: Promise<void> | undefined;
    const killAfter = Math.max(1, Math.round(TOTAL_MESSAGES * KILL_AT));
    onAnswered = () => {
      if (!KILL || kill || answered < killAfter) return;
      kill = (async () => {
        // The moment with the most requests in flight to one process, within a second and a half (at least 3 is
        // enough): the kill should cut turns half done, not fall between two.
        const busiest = () => (procs[0]!.inFlight > procs[1]!.inFlight ? procs[0]! : procs[1]!);
        for (const until = performance.now() + 1500; busiest().inFlight < 3 && performance.now() < until; ) await sleep(1);
        const victim = busiest();
        const inFlight = victim.inFlight;
        const waiting = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Message" WHERE direction = 'inbound' AND status = 'received'`)).rows[0]!.n;
        victim.child!.kill('SIGKILL');
        killedAt = performance.now();
        await waitForExit(victim.child!);
        timeline.push(['SIGKILL', `process ${victim.index + 1} at ${answered}/${TOTAL_MESSAGES} messages answered, ${inFlight} requests in flight to it, ${waiting} stored messages waiting for their turn`]);
        console.error(`SIGKILL process ${victim.index + 1}: ${inFlight} requests in flight to it, ${waiting} messages waiting for their turn`);
        await sleep(RESTART_MS);
        const ms = await startProcess(victim, env);
        timeline.push(['restarted', `${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill (start-up ${(ms / 1000).toFixed(1)} s)`]);
        console.error(`process ${victim.index + 1} restarted and ready ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
      })();
    };

    const burstStart = performance.now();
    // Residents start over the first 3 s, so the kill falls while every one of them is mid-application.
    await Promise.all(senders.map((s, i) => resident(s, (i * 3000) / TOTAL_SENDERS)));
    const burstEnd = performance.now();
    if (KILL && !kill) throw new Error('the burst ended before the kill (FAULT_KILL_AT too high?)');
    if (kill) await kill;
    else timeline.push(['no kill', 'FAULT_KILL=0: the control run']);
    timeline.push(['residents done', `${((burstEnd - burstStart) / 1000).toFixed(1)} s after the first message (${TOTAL_MESSAGES} messages, ${TOTAL_SENDERS} residents)`]);

    // Recovery: wait until every message is processed and the rows stop changing (replies sent, cases routed).
    const settledBy = performance.now() + RECOVERY_TIMEOUT_MS;
    let last = '';
    let allProcessedAt: number | undefined;
    for (let quiet = 0; quiet < 6 && performance.now() < settledBy; ) {
      const { rows } = await sql.query<{ waiting: number; processed: number; cases: number; pending: number }>(
        `SELECT count(*) FILTER (WHERE direction = 'inbound' AND status = 'received')::int AS waiting,
                count(*) FILTER (WHERE direction = 'inbound' AND status = 'processed')::int AS processed,
                (SELECT count(*) FROM "Case")::int AS cases,
                count(*) FILTER (WHERE direction = 'outbound' AND status IN ('queued', 'in_response'))::int AS pending
           FROM "Message"`,
      );
      const now = JSON.stringify(rows[0]);
      if (rows[0]!.processed >= TOTAL_MESSAGES && rows[0]!.waiting === 0 && allProcessedAt === undefined) allProcessedAt = performance.now();
      quiet = now === last && rows[0]!.waiting === 0 ? quiet + 1 : 0;
      last = now;
      await sleep(500);
    }
    timeline.push([
      'every message processed',
      allProcessedAt ? `${((allProcessedAt - (killedAt || burstStart)) / 1000).toFixed(1)} s after the ${killedAt ? 'kill' : 'first message'}` : `not within ${RECOVERY_TIMEOUT_MS / 1000} s of the last resident's message (${last})`,
    ]);
    figures = await check(sql, { twilio, wecom });
  } finally {
    await sql.end().catch(() => undefined);
    await Promise.all(
      procs.map(async (p) => {
        if (!p.child || p.child.exitCode !== null || p.child.signalCode !== null) return;
        const force = setTimeout(() => p.child!.kill('SIGKILL'), 20_000);
        p.child.kill('SIGTERM');
        await waitForExit(p.child);
        clearTimeout(force);
      }),
    );
    await dropRedisPrefix(prefix);
    if (process.env.FAULT_KEEP) console.error(`kept the database ${databaseUrl} (FAULT_KEEP)`);
    else await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((err: Error) => console.error(`could not drop ${dbName}: ${err.message}`));
    await twilio.close();
    await wecom.close();
  }

  const rows: [string, string][] = [
    ...timeline,
    ['providers', `${tally.cutRequests} webhooks cut or timed out and sent again (${tally.providerRetries} retries, ${tally.gaveUp} given up), ${tally.refusedAndRerouted} refused connections sent to the other process, ${tally.status5xx} 5xx answers`],
    ['SMS answers', `${tally.holdingReplies} holding replies ("稍后回复您"; the answer followed by API), ${tally.emptyAnswers} empty`],
    ...figures!.lines,
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(
    [
      `SIGKILL mid-burst (bench/fault-sigkill.ts, seed ${SEED}): 2 processes (src/start.ts) on one database and Redis prefix, ${SMS_RESIDENTS} SMS + ${WECOM_RESIDENTS} WeCom residents × ${TURNS} messages, node ${process.version}`,
      ...rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`),
      `total run ${((performance.now() - began) / 1000).toFixed(0)} s`,
      ...figures!.notes,
      figures!.failures.length === 0 ? 'no loss' : `LOSS:\n  ${figures!.failures.join('\n  ')}`,
    ].join('\n'),
  );
  process.exit(figures!.failures.length === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
