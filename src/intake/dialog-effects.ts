import { openCase, type OpenCaseInput } from '../cases/open-case.js';
import type { Redis } from 'ioredis';
import { lookupProgress, type ProgressLimits } from '../cases/progress.js';
import { identityOnRecord } from '../cases/identity-check.js';
import type { Db, Sql } from '../db/client.js';
import type { AsideEffect, AsideResult, Effect } from '../dialogs/effects.js';
import type { DialogEvent } from '../dialogs/state.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import type { TrackingNumbers } from '../domain/tracking-number.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import { openDutyTask } from '../duty/tasks.js';
import * as audit from '../audit/record.js';

export type EffectDeps = {
  db: Db;
  /** Prisma's pool, for the plain-SQL reads of a turn (the identity check). */
  sql: Sql;
  redis: Redis;
  redisPrefix: string;
  /** Failed progress lookups allowed per sender and per case within a window (guessing a stranger's last 4). */
  progressLimits: ProgressLimits;
  cipher: PersonalDataCipher;
  tracking: TrackingNumbers;
  directory: LoadedDirectory;
  logger: Logger;
  /**
   * Records a complete case and routes it (classify, merge or link, referrals, timers, notices) in one transaction
   * (src/cases/confirm-case.ts); idempotent on the message. Says if it was merged into the person's open case (并单).
   */
  openConfirmedCase: (input: OpenCaseInput, at: Date) => Promise<{ trackingNumber: string; mergedInto?: string }>;
  /** Called when a duty officer must look now (urgent, asked for a person). */
  onDutyFlag: (taskId: string) => Promise<void>;
  /** Records a clue from active discovery as a case routed to the township. */
  reportClue: (input: ClueReport, now: Date) => Promise<{ trackingNumber: string }>;
  /** Records the resident's answer to a follow-up question (closes or reopens the referral). */
  recordFollowUp: (input: { trackingNumber: string; satisfied: boolean; note: string; identityId: string; now: Date }) => Promise<unknown>;
};

/** A clue as a village assistant sent it in the WeCom app: what the clue port records (staff/report-clue.ts). */
export type ClueReport = {
  townshipCode: string;
  villageCode?: string | undefined;
  address?: string | undefined;
  what: string;
  urgent: boolean;
  reporter: { name: string; staffId?: string | undefined; wecomUserId?: string | undefined };
  channel: 'wecom_app';
};

export type TurnContext = { messageId: string; conversationId: string; identityId: string; msg: InboundMessage; now: Date };

/**
 * What carrying out an effect gives back: the event the dialog hears, and sometimes the words the resident gets
 * instead of the dialog's own (a lookup blocked after too many failures is the runner's answer, not the dialog's).
 */
export type EffectResult = DialogEvent | { event: DialogEvent; insteadOfReplies: Reply[] } | undefined;

/** Who contacts the resident and by when, from the county's own time limits. */
function contactBy(directory: LoadedDirectory, caseType: string): string {
  const limits = directory.directory.timeLimits;
  const say = (d: { hours: number } | { workingDays: number }) => ('hours' in d ? `${d.hours}小时内` : `${d.workingDays}个工作日内`);
  return caseType === 'emergency'
    ? `镇街社会救助窗口将在${say(limits.emergencyAidFirst)}联系您并先行救助`
    : `工作人员将在${say(limits.transfer)}联系您核实情况`;
}

/**
 * Carries out what a dialog turn asked for and returns the event to feed back,
 * if any. Runs once per stored inbound message (the caller deduplicates);
 * opening a case is also idempotent on the message, for a turn replayed after a crash.
 */
export async function executeEffect(deps: EffectDeps, t: TurnContext, effect: Effect): Promise<EffectResult> {
  switch (effect.type) {
    case 'open_case': {
      const a = effect.fields.applicant;
      const e = effect.fields.emergency;
      const input: OpenCaseInput = {
        type: effect.caseType,
        complete: effect.complete,
        completes: effect.trackingNumber,
        channel: effect.channel,
        conversationId: t.conversationId,
        identityId: t.identityId,
        openedByMessageId: t.messageId,
        applicant: {
          ...a,
          townshipCode: a.townshipCode ?? e?.townshipCode,
          villageCode: a.villageCode ?? e?.villageCode,
          address: a.address ?? e?.address,
          phone: a.phone ?? e?.reporter?.phone,
          reason: a.reason ?? e?.what,
        },
        consent: effect.fields.consent,
        emergency: e,
        urgent: e?.dangerNow ?? false,
        categoriesHint: effect.categoriesHint,
        missing: effect.missing,
        identityCheck: effect.identityCheck,
      };
      // A confirmed case is opened and routed at once; a partial record (the resident went quiet) is only kept.
      const opened = effect.complete
        ? await deps.openConfirmedCase(input, t.now)
        : await openCase({ db: deps.db, cipher: deps.cipher, directory: deps.directory, tracking: deps.tracking, now: t.now }, input);
      const mergedInto = 'mergedInto' in opened ? opened.mergedInto : undefined;
      return {
        kind: 'event',
        event: 'case_opened',
        trackingNumber: mergedInto ?? opened.trackingNumber,
        caseType: effect.caseType,
        contactBy: mergedInto
          ? `您之前已提交过同一事项的申请，这次的情况已合并到该申请（编号${mergedInto}）一起办理，${contactBy(deps.directory, effect.caseType)}`
          : contactBy(deps.directory, effect.caseType),
      };
    }
    case 'flag_duty': {
      const task = await openDutyTask(deps.db, {
        kind: effect.kind,
        urgent: effect.urgent,
        reason: effect.reason,
        conversationId: t.conversationId,
        contact: t.msg.sender,
        at: t.now,
      });
      await audit.record(deps.db, {
        at: t.now,
        actor: { type: 'system' },
        action: 'duty.flagged',
        entity: 'duty_task',
        entityId: task.id,
        after: { kind: effect.kind, urgent: effect.urgent, reason: effect.reason },
      });
      await deps.onDutyFlag(task.id);
      return undefined;
    }
    case 'check_identity': {
      // A verdict only: the name on record stays here, never in the dialog.
      const verdict = await identityOnRecord(deps, { idNumber: effect.idNumber, name: effect.name });
      return { kind: 'event', event: 'identity_checked', verdict };
    }
    case 'callback_task': {
      await openDutyTask(deps.db, { kind: 'callback', reason: effect.reason, conversationId: t.conversationId, contact: t.msg.sender, at: t.now });
      return undefined;
    }
    case 'lookup_progress': {
      const outcome = await lookupProgress(
        { ...deps, limits: deps.progressLimits },
        { identityId: t.identityId, conversationId: t.conversationId },
        { trackingNumber: effect.trackingNumber, phone: effect.phone, idLast4: effect.idLast4 },
        t.now,
      );
      if (outcome.kind === 'found') return { kind: 'event', event: 'progress_result', cases: outcome.cases };
      const notFound: DialogEvent = { kind: 'event', event: 'progress_result', cases: [] };
      if (outcome.kind === 'not_found') return notFound;
      // The dialog hears "nothing found" (its state moves on); the resident hears why, and who can help.
      const hotline = deps.directory.directory.county.window.hotline;
      return {
        event: notFound,
        insteadOfReplies: [
          {
            text: `为保护申请人的信息，查询失败次数过多，自助查询已暂停。请拨打${hotline}，工作人员核实身份后帮您查询；也可以回复0转人工。`,
            speech: `为保护申请人的信息，查询失败次数过多，自助查询已暂停。请拨打${hotline.split('').join(' ')}，工作人员核实身份后帮您查询。`,
          },
        ],
      };
    }
  }
}

/**
 * Carries out what a message answered beside the dialog asked for (a clue, an answer to a follow-up question) and
 * gives its result; undefined when there is nothing to record it on (no referral awaits this resident's answer), so
 * the message goes to the dialog after all.
 */
export async function performAside(deps: EffectDeps, t: TurnContext, effect: AsideEffect): Promise<AsideResult | undefined> {
  switch (effect.type) {
    case 'report_clue': {
      const reporter = await deps.db.staffUser.findFirst({ where: { wecomUserId: t.msg.sender, active: true }, select: { id: true, name: true } });
      const opened = await deps.reportClue(
        {
          townshipCode: effect.townshipCode,
          villageCode: effect.villageCode,
          address: effect.address,
          what: effect.what,
          urgent: effect.urgent,
          reporter: { name: reporter?.name ?? t.msg.sender, staffId: reporter?.id, wecomUserId: t.msg.sender },
          channel: 'wecom_app',
        },
        t.now,
      );
      return { event: 'clue_reported', trackingNumber: opened.trackingNumber, townshipCode: effect.townshipCode, urgent: effect.urgent };
    }
    case 'record_follow_up': {
      const phoneDigits = t.msg.channel === 'sms' || t.msg.channel === 'voice' ? t.msg.sender.replace(/^\+86/, '') : undefined;
      const pending = await awaitingFollowUp(deps.db, { identityId: t.identityId, phoneDigits });
      if (!pending) return undefined;
      await deps.recordFollowUp({ trackingNumber: pending.trackingNumber, satisfied: effect.satisfied, note: effect.note, identityId: t.identityId, now: t.now });
      return { event: 'follow_up_recorded', trackingNumber: pending.trackingNumber, satisfied: effect.satisfied };
    }
  }
}

/**
 * The referral whose follow-up question (回访) this resident was sent and has not answered yet: answered, no
 * satisfaction recorded, follow-up timer fired; found through the resident's conversations or the phone on the case.
 */
async function awaitingFollowUp(db: Db, who: { identityId: string; phoneDigits?: string | undefined }): Promise<{ trackingNumber: string } | undefined> {
  const referral = await db.referral.findFirst({
    where: {
      status: 'answered',
      satisfaction: null,
      timers: { some: { step: 'follow_up', firedAt: { not: null } } },
      case: { OR: [{ conversation: { identityId: who.identityId } }, ...(who.phoneDigits ? [{ phone: who.phoneDigits }] : [])] },
    },
    orderBy: { answeredAt: 'desc' },
    select: { trackingNumber: true },
  });
  return referral ?? undefined;
}
