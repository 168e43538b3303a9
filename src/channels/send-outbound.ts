import { createHash } from 'node:crypto';
import type { Sql } from '../db/client.js';
import { AppError } from '../errors.js';
import { markSendFailed, markSent } from '../messages/message-outbox.js';
import type { ChannelSenders } from './senders.js';

/** A send that failed; `permanent` ones (refused, not configured) are not worth retrying. */
export class OutboundFailure extends AppError {
  constructor(
    code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(code, message, 502, true);
    this.name = 'OutboundFailure';
  }
}

interface Row {
  id: string;
  status: string;
  channel: string;
  sender: string;
  recipient: string;
  text: string;
  raw: unknown;
}

const notConfigured = (what: string, fix: string) => new OutboundFailure('channel_not_configured', `${what} is not configured: ${fix}`, true);

/** WeCom customer service dedupes on a caller-chosen msgid of at most 32 characters from [0-9a-zA-Z_-]. */
const kfMsgId = (key: string) => createHash('sha256').update(key).digest('base64url').slice(0, 32);

/** Sends one row through its channel; returns the provider's id for it. */
async function deliver(senders: ChannelSenders, row: Row, key: string): Promise<string> {
  switch (row.channel) {
    case 'wecom_app': {
      if (!senders.wecomApp) throw notConfigured('WeCom app messaging', 'set WECOM_CORP_ID, WECOM_TOKEN, WECOM_ENCODING_AES_KEY and WECOM_SECRET');
      if (!row.sender) throw notConfigured('The WeCom app agent id', 'set WECOM_AGENT_ID to the self-built app that messages staff');
      return (await senders.wecomApp.sendAppText({ agentId: row.sender, toUser: row.recipient, content: row.text })).msgid;
    }
    case 'wecom_kf': {
      if (!senders.wecomKf) throw notConfigured('WeChat customer service', 'set WECOM_KF_SECRET (or WECOM_SECRET) with the WeCom settings');
      return (await senders.wecomKf.kfSendText({ toUser: row.recipient, openKfId: row.sender, content: row.text, msgid: kfMsgId(key) })).msgid;
    }
    case 'sms':
    case 'voice': {
      if (!senders.twilio) throw notConfigured('Twilio', 'set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
      if (!row.sender) throw notConfigured('The Twilio sending number', 'set TWILIO_NUMBER_12349 (or TWILIO_NUMBER_12345)');
      if (row.channel === 'sms') return (await senders.twilio.sendSms({ from: row.sender, to: row.recipient, body: row.text })).sid;
      const url = (row.raw as { url?: unknown } | null)?.url;
      if (typeof url !== 'string') throw new OutboundFailure('outbound_malformed', `call ${key} has no TwiML url in its raw data; stage calls with extra.url`, true);
      return (await senders.twilio.createCall({ from: row.sender, to: row.recipient, url })).sid;
    }
    default:
      throw new OutboundFailure('outbound_malformed', `message ${key} is on channel "${row.channel}", which the hotline does not send on`, true);
  }
}

/** Provider errors are AppErrors with a code; a refusal will be refused again, an outage may pass. */
function asFailure(err: unknown): OutboundFailure {
  if (err instanceof OutboundFailure) return err;
  if (err instanceof AppError) return new OutboundFailure(err.code, err.message, /_rejected$/.test(err.code));
  return new OutboundFailure('send_failed', err instanceof Error ? err.message : String(err), false);
}

/**
 * Sends the outbound message staged under `idempotencyKey`, at most once per key: the row is locked for the whole
 * send, so a second job for the same key (a duplicate, or a retry after a worker died mid-send) waits, then finds it
 * sent and does nothing. Failures are written to the row (status failed once no retry is left) and thrown. Plain SQL
 * on one pooled connection: every reply a WeCom resident gets goes through here, and through Prisma's interactive
 * transaction it cost several times the statements themselves.
 */
export async function sendOutbound(
  deps: { sql: Sql; senders: ChannelSenders },
  input: { idempotencyKey: string; finalAttempt: boolean; now: Date },
): Promise<'sent' | 'already_sent'> {
  const key = input.idempotencyKey;
  const client = await deps.sql.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<Row>(
      `SELECT id, status::text AS status, channel::text AS channel, sender, recipient, text, raw
         FROM "Message" WHERE "idempotencyKey" = $1 AND direction = 'outbound' FOR UPDATE`,
      [key],
    );
    const row = rows[0];
    if (!row) throw new OutboundFailure('outbound_missing', `no outbound message is staged under key ${key}; stage it (stageOutbound) before dispatching`, true);
    if (row.status === 'sent') {
      await client.query('COMMIT');
      return 'already_sent';
    }
    let failure: OutboundFailure | undefined;
    try {
      const providerId = await deliver(deps.senders, row, key);
      await markSent(client, row.id, input.now, providerId);
    } catch (err) {
      failure = asFailure(err);
      const status = failure.permanent || input.finalAttempt ? 'failed' : 'queued';
      await markSendFailed(client, row.id, status, `${failure.code}: ${failure.message}`, input.now);
    }
    await client.query('COMMIT');
    if (failure) throw failure;
    return 'sent';
  } catch (err) {
    if (!(err instanceof OutboundFailure)) broken = err as Error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // A connection that failed mid-transaction is not handed to the next caller.
    client.release(broken);
  }
}
