/**
 * What opening a case costs, measured in one process: residents go through the SMS application (details, phone,
 * relation, consent), then confirm ("对"), the turn that opens, classifies and routes a case (referrals, timers, staff
 * notices, audit). Turns run one at a time through the intake as the SMS webhook runs them, so this process's CPU time
 * and the PostgreSQL statements and Redis commands it sends are the turn's own.
 *
 *   tsx bench/case-open.ts [cases=200]       # BENCH_CASE_TRACE=1 also prints the statements of one confirming turn
 *
 * A case's cost is the confirming turn less an ordinary dialog turn (what every turn pays: store, lock, state, replies).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { buildDeps } from '../src/composition.js';
import { parseConfig } from '../src/config.js';
import { applyMigrations } from '../src/db/migrate.js';
import type { InboundMessage } from '../src/domain/messages.js';
import { createLogger } from '../src/logging.js';
import { MIGRATIONS_DIR } from '../src/paths.js';
import { BENCH_CREDENTIALS as C, PUBLIC_BASE_URL } from './load.js';
import { PG_BASE, admin } from './scratch-stores.js';

const CASES = Number(process.argv[2] ?? 200);
const WARM = 30;
const id = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const dbName = `hotline_bench_case_${id}`;


/** Every statement sent to PostgreSQL (Prisma's and plain SQL alike go through pg.Client#query) and every Redis command. */
const counts = { statements: 0, redis: 0 };
let trace: string[] | undefined;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  counts.statements += 1;
  if (trace) {
    const q = args[0] as string | { text: string };
    trace.push((typeof q === 'string' ? q : q.text).replace(/\s+/g, ' ').slice(0, 160));
  }
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;
const sendCommand = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
  counts.redis += 1;
  if (trace) trace.push(`redis ${(args[0] as { name: string }).name}`);
  return sendCommand.apply(this, args);
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(n: number): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + (n % 18_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `371302${birth}${String((Math.floor(n / 18_000) % 900) + 100)}`;
  return body + '10X98765432'[WEIGHTS.reduce((acc, w, i) => acc + w * Number(body[i]), 0) % 11];
}
const NAMES = ['王秀英', '李桂兰', '张建国', '刘玉梅', '陈志强', '杨淑珍', '赵德明', '黄桂芳'];

async function main() {
  await applyMigrations({ databaseUrl: `${PG_BASE}/${dbName}`, migrationsDir: MIGRATIONS_DIR });
  const config = parseConfig({
    LOG_LEVEL: 'warn',
    DATABASE_URL: `${PG_BASE}/${dbName}`,
    REDIS_URL: 'redis://127.0.0.1:6379/12',
    REDIS_PREFIX: `bench_case_${id}`,
    PUBLIC_BASE_URL,
    SPOOL_DIR: await mkdtemp(join(tmpdir(), 'bench-spool-')),
    DATA_KEY: randomBytes(32).toString('base64'),
    ...C,
  });
  // Quiet: this process's output is the figures (the provisional-calendar notice and the like are not).
  const deps = await buildDeps(config, { logger: createLogger('error'), onStartupWarning: () => undefined });
  let seq = 0;
  const say = async (r: number, text: string) => {
    const digits = `139${String(r).padStart(8, '0')}`;
    const msg: InboundMessage = { channel: 'sms', providerId: `SMcase${id}${++seq}`, sender: `+86${digits}`, recipient: C.TWILIO_NUMBER_12349, text, media: [], receivedAt: new Date(), raw: { Body: text } };
    const result = await deps.intake.accept(msg, 'in_response');
    if (result.kind !== 'replied') throw new Error(`turn not answered: ${result.kind}`);
    return result.replies.map((x) => x.text).join('\n');
  };
  const dialog = (r: number) => [`我叫${NAMES[r % NAMES.length]}，身份证${idNumber(900_000 + r)}，家里三口人，住枣园镇东鲁村，想申请低保，老伴瘫痪在床`, '是', '1', '同意'];

  const measure = async (from: number, to: number, work: (r: number) => Promise<unknown>) => {
    const before = { cpu: process.cpuUsage(), ...counts };
    for (let r = from; r < to; r++) await work(r);
    const cpu = process.cpuUsage(before.cpu);
    const n = to - from;
    return { cpuMs: (cpu.user + cpu.system) / 1000 / n, statements: (counts.statements - before.statements) / n, redis: (counts.redis - before.redis) / n };
  };

  try {
    // Warm up: every code path compiled, the pool's connections open.
    for (let r = 0; r < WARM; r++) {
      for (const text of dialog(r)) await say(r, text);
      await say(r, '对');
    }
    const turns = await measure(WARM, WARM + CASES, async (r) => {
      for (const text of dialog(r)) await say(r, text);
    });
    if (process.env.BENCH_CASE_TRACE) {
      const r = WARM + CASES;
      for (const text of dialog(r)) await say(r, text);
      trace = [];
      const receipt = await say(r, '对');
      console.error(trace.map((t, i) => `${String(i + 1).padStart(3)} ${t}`).join('\n'));
      console.error(receipt);
      trace = undefined;
    }
    let opened = 0;
    const confirm = await measure(WARM, WARM + CASES, async (r) => {
      if (/承办编号/.test(await say(r, '对'))) opened += 1;
    });
    const cases = await deps.db.case.count({ where: { status: 'routed' } });
    const per = (x: { cpuMs: number; statements: number; redis: number }) =>
      `${x.cpuMs.toFixed(2)} ms CPU, ${x.statements.toFixed(1)} statements, ${x.redis.toFixed(1)} Redis commands`;
    const dialogTurn = { cpuMs: turns.cpuMs / 4, statements: turns.statements / 4, redis: turns.redis / 4 };
    console.log(
      [
        `Case opening (bench/case-open.ts ${CASES}, one turn at a time, node ${process.version})`,
        `dialog turn (details, phone, relation, consent)    ${per(dialogTurn)}`,
        `confirming turn (opens, classifies, routes a case) ${per(confirm)}`,
        `case opening (confirming less a dialog turn)       ${(confirm.cpuMs - dialogTurn.cpuMs).toFixed(2)} ms CPU, ${(confirm.statements - dialogTurn.statements).toFixed(1)} statements, ${(confirm.redis - dialogTurn.redis).toFixed(1)} Redis commands`,
        `cases opened                                       ${opened} of ${CASES} confirmations (${cases} routed in all, ${WARM} of them warming up)`,
      ].join('\n'),
    );
  } finally {
    await deps.background.idle();
    const redis = deps.redis;
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 10_000);
      if (keys.length > 0) await redis.unlink(...keys);
      if ((cursor = next) === '0') break;
    }
    await deps.close();
    await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  }
}

main().catch(async (err) => {
  console.error(err);
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
  process.exit(1);
});
