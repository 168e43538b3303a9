import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import pg from 'pg';
import { openCase } from '../cases/open-case.js';
import { buildDeps, type Deps } from '../composition.js';
import { parseConfig, type Config } from '../config.js';
import { applyMigrations } from '../db/migrate.js';
import { parseConversations, type Conversation, type ResidentTurn } from '../dialogs/eval/conversation-file.js';
import { play, type HotlineSession, type Played } from '../dialogs/eval/play.js';
import { formatDialogReport, MAX_REPEATS, score, type Outcome, type Scored } from '../dialogs/eval/score.js';
import { formatDialogWordScores, scoreDialogWords } from '../dialogs/eval/word-scores.js';
import { loadDirectoryFile } from '../directory/load.js';
import { importDirectory } from '../directory/store.js';
import { buildApp } from '../server/app.js';
import { createLogger } from '../logging.js';
import { MIGRATIONS_DIR } from '../paths.js';
import { openDialogState } from '../privacy/sealed-state.js';
import { createSimClient } from '../sim/sim-client.js';
import { createStaff } from '../staff/create-staff.js';

/**
 * `hotline eval dialogs FILE`: each persona in the file talks to a fresh hotline (its own database,
 * its own Redis prefix) over the real signed Twilio and WeCom webhooks; each case is read back through
 * the staff API's full view. The database is dropped afterwards.
 */

const PUBLIC = 'https://hotline.eval.invalid';
/** Made up for each run: the fresh hotline and the player share them, nothing else sees them. */
const CREDS = {
  TWILIO_ACCOUNT_SID: `AC${randomBytes(16).toString('hex')}`,
  TWILIO_AUTH_TOKEN: randomBytes(16).toString('hex'),
  TWILIO_NUMBER_12349: '+8653912349',
  WECOM_CORP_ID: `ww${randomBytes(8).toString('hex')}`,
  WECOM_TOKEN: randomBytes(8).toString('hex'),
  WECOM_ENCODING_AES_KEY: randomBytes(32).toString('base64').replace(/=+$/, ''),
  WECOM_AGENT_ID: '1000002',
  WECOM_SECRET: randomBytes(16).toString('hex'),
  // Nothing listens here: WeCom replies stay queued (no workers run) and are read from the database.
  WECOM_API_BASE_URL: 'http://127.0.0.1:9',
};

type Fresh = { deps: Deps; baseUrl: string; token: string; close(): Promise<void> };

async function freshHotline(base: Config): Promise<Fresh> {
  const name = `hotline_eval_${randomBytes(4).toString('hex')}`;
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await applyMigrations({ databaseUrl, migrationsDir: MIGRATIONS_DIR });
  const config = parseConfig({
    ...process.env,
    ...CREDS,
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    REDIS_PREFIX: `eval_${randomBytes(4).toString('hex')}`,
    PUBLIC_BASE_URL: PUBLIC,
    DATA_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_SENDER: '0',
    RUN_WORKERS: 'false',
  });
  const deps = await buildDeps(config, { logger: createLogger('error') });
  await importDirectory(deps.db, await loadDirectoryFile(config.countyFile));
  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const { token } = await createStaff(deps.db, { name: '评测', role: 'supervisor' });
  return {
    deps,
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    async close() {
      await app.close();
      for (let cursor = '0'; ; ) {
        const [next, keys] = await deps.redis.scan(cursor, 'MATCH', `${config.redis.prefix}:*`, 'COUNT', 500);
        if (keys.length) await deps.redis.del(...keys);
        cursor = next;
        if (cursor === '0') break;
      }
      await deps.close();
      url.pathname = '/postgres';
      const admin = new pg.Client({ connectionString: url.toString() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

const national = (from: string) => from.replace(/^\+?86/, '');

async function conversationOf(deps: Deps, from: string) {
  return deps.db.conversation.findFirst({ where: { identity: { address: from } }, orderBy: { startedAt: 'desc' } });
}

/** A case for a progress persona to ask about: the file says {{TRACKING}} where its number goes. */
async function seedCase(deps: Deps, c: Conversation): Promise<string | undefined> {
  if (!JSON.stringify(c).includes('{{TRACKING}}')) return undefined;
  const opened = await openCase(
    { db: deps.db, cipher: deps.cipher, directory: deps.directory, tracking: deps.tracking, now: new Date() },
    { type: 'application', complete: true, channel: c.channel === 'wecom' ? 'wecom_app' : c.channel, applicant: { phone: national(c.from), name: c.expect.fields.name } },
  );
  return opened.trackingNumber;
}

async function runOne(f: Fresh, c: Conversation): Promise<{ scored: Scored; transcript: Played['transcript'] }> {
  const { deps } = f;
  const tracking = await seedCase(deps, c);
  const client = createSimClient({
    baseUrl: f.baseUrl,
    publicBaseUrl: PUBLIC,
    channel: c.channel,
    from: c.from,
    to: CREDS.TWILIO_NUMBER_12349,
    twilio: { accountSid: CREDS.TWILIO_ACCOUNT_SID, authToken: CREDS.TWILIO_AUTH_TOKEN },
    wecom: { token: CREDS.WECOM_TOKEN, encodingAesKey: CREDS.WECOM_ENCODING_AES_KEY, corpId: CREDS.WECOM_CORP_ID, agentId: CREDS.WECOM_AGENT_ID },
    db: deps.db,
  });
  await client.start();
  const session: HotlineSession = {
    send: (turn) => client.send(turn),
    async waiting() {
      const conv = await conversationOf(deps, c.from);
      const state = conv && openDialogState(conv.state, deps.cipher);
      return state ? { flow: state.flow, step: state.step } : undefined;
    },
  };
  const fill = (t: ResidentTurn): ResidentTurn => {
    if (!tracking) return t;
    const sub = (s?: string) => s?.replaceAll('{{TRACKING}}', tracking);
    return typeof t === 'string' ? sub(t)! : { text: sub(t.text), digits: sub(t.digits) };
  };
  const played = await play(c, session, fill);
  return { scored: score(c, played, await outcomeOf(f, c.from, tracking, played.transcript)), transcript: played.transcript };
}

async function outcomeOf(f: Fresh, from: string, tracking: string | undefined, transcript: Array<{ who: string; text: string }>): Promise<Outcome> {
  const { deps } = f;
  const conv = await conversationOf(deps, from);
  const state = conv ? openDialogState(conv.state, deps.cipher) : undefined;
  const tasks = conv ? await deps.db.dutyTask.findMany({ where: { conversationId: conv.id } }) : [];
  const opened = conv ? await deps.db.case.findFirst({ where: { conversationId: conv.id }, orderBy: { createdAt: 'desc' } }) : null;
  let view: Outcome['case'];
  if (opened && opened.trackingNumber !== tracking) {
    const res = await fetch(`${f.baseUrl}/api/v1/cases/${opened.trackingNumber}/full`, {
      method: 'POST',
      headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: '对话评测核对采集结果' }),
    });
    if (!res.ok) throw new Error(`读取案件${opened.trackingNumber}失败：${res.status} ${await res.text()}`);
    view = (await res.json()) as Outcome['case'];
  }
  return {
    case: view,
    flaggedUrgent: tasks.some((t) => t.urgent) || !!view?.urgent,
    withPerson: conv?.status === 'staff' || state?.flow === 'handover' || tasks.some((t) => t.kind === 'asked_for_person' || t.kind === 'stuck'),
    // On voice the number is read out in groups of four ("2 0 2 6，1 2 0 7，…"): compared without the spacing.
    progressAnswered: !!tracking && transcript.some((m) => m.who === 'bot' && m.text.replace(/[\s，]/g, '').includes(`承办编号${tracking}：`)),
  };
}

export function registerDialogEvalCommand(evalCommand: Command, config: () => Config): void {
  evalCommand
    .command('dialog-words')
    .argument('<files...>', 'conversations files, as for eval dialogs (never the frozen test split)')
    .option('--examples', 'under each poor word, one message it hit that the persona did not mean that way')
    .description('scores each word list of the dialog acts (acts.words.json) on the personas: hits, share the persona meant, words never found')
    .action(async (files: string[], opts: { examples?: boolean }) => {
      const conversations = (await Promise.all(files.map(async (f) => parseConversations(await readFile(f, 'utf8'))))).flat();
      console.log(formatDialogWordScores(scoreDialogWords(conversations), { examples: opts.examples }));
    });

  evalCommand
    .command('dialogs')
    .argument('<file>', 'conversations, one persona per line (format in README.md)')
    .option('--show <id>', 'print the transcript of one conversation')
    .option('--failures <file>', 'write the transcripts of the conversations not captured, wrongly flagged urgent, or with a prompt sent more than twice, to this file')
    .option('--transcripts <file>', 'write every transcript, with its resident turns, to this file (to see where turns go)')
    .description('play each conversation against a fresh hotline over the signed webhooks; last line is machine-readable')
    .action(async (file: string, opts: { show?: string; failures?: string; transcripts?: string }) => {
      const conversations = parseConversations(await readFile(file, 'utf8'));
      const f = await freshHotline(config());
      try {
        const scored: Scored[] = [];
        const failures: string[] = [];
        const all: string[] = [];
        for (const c of conversations) {
          if (opts.show && c.id !== opts.show) continue;
          const run = await runOne(f, c);
          if (opts.show) for (const m of run.transcript) console.log(`${m.who === 'bot' ? '热线' : '居民'}> ${m.text}`);
          scored.push(run.scored);
          const lines = run.transcript.map((m) => `${m.who === 'bot' ? '热线' : '居民'}> ${m.text}`);
          all.push(`## ${c.id} [${c.style ?? '-'}] ${run.scored.captured ? '✓' : '✗'} ${run.scored.flow} turns=${run.scored.residentTurns}`, ...lines, '');
          const falseAlarm = run.scored.urgentFlagged && !run.scored.urgentExpected;
          const repeated = run.scored.maxRepeats > MAX_REPEATS;
          if (!run.scored.captured || falseAlarm || repeated) {
            const marks = `${falseAlarm ? ' 误报紧急' : ''}${repeated ? ` 同一句问了${run.scored.maxRepeats}遍` : ''}`;
            failures.push(`## ${c.id} [${c.style ?? '-'}] ${run.scored.why ?? ''}${marks}`, ...lines, '');
          }
        }
        if (opts.failures) await writeFile(opts.failures, failures.join('\n'));
        if (opts.transcripts) await writeFile(opts.transcripts, all.join('\n'));
        console.log(formatDialogReport(scored));
      } finally {
        await f.close();
      }
    });
}
