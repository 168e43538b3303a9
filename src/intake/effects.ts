import { openCase, type OpenedCase } from '../cases/open-case.js';
import type { Redis } from 'ioredis';
import { lookupProgress, type ProgressLimits } from '../cases/progress.js';
import type { Db } from '../db/client.js';
import type { Effect } from '../dialogs/effects.js';
import type { DialogEvent } from '../dialogs/state.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { InboundMessage, Reply } from '../domain/messages.js';
import type { Logger } from '../logging.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';

export type EffectDeps = {
  db: Db;
  redis: Redis;
  redisPrefix: string;
  /** Failed progress lookups allowed per sender and per case within a window (guessing a stranger's last 4). */
  progressLimits: ProgressLimits;
  cipher: PersonalDataCipher;
  directory: LoadedDirectory;
  logger: Logger;
  /** Called once a complete case is recorded: classify, route, create referrals and timers. Says if it was merged (并单). */
  onCaseOpened: (caseId: string) => Promise<{ mergedInto?: string }>;
  /** Called when a duty officer must look now (urgent, asked for a person). */
  onDutyFlag: (taskId: string) => Promise<void>;
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
 * Routes a newly complete case. A turn replayed after a failure (Redis cut
 * before the state was saved) finds its case already opened: routing it again
 * would re-classify, re-audit and flag it to the duty officers a second time,
 * so a case that was merged or already has its referrals keeps what it got.
 */
async function routeOnce(deps: EffectDeps, opened: OpenedCase): Promise<{ mergedInto?: string }> {
  if (!opened.created) {
    const c = await deps.db.case.findUniqueOrThrow({
      where: { id: opened.id },
      select: { status: true, mergedInto: { select: { trackingNumber: true } }, _count: { select: { referrals: true } } },
    });
    if (c.status === 'merged') return { mergedInto: c.mergedInto?.trackingNumber };
    if (c._count.referrals > 0) return {};
  }
  return deps.onCaseOpened(opened.id);
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
      const opened = await openCase(
        { db: deps.db, cipher: deps.cipher, directory: deps.directory, now: t.now },
        {
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
        },
      );
      const { mergedInto } = effect.complete ? await routeOnce(deps, opened) : {};
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
      const task = await deps.db.dutyTask.create({
        data: {
          kind: effect.kind,
          urgent: effect.urgent,
          reason: effect.reason,
          conversationId: t.conversationId,
          contact: t.msg.sender,
          createdAt: t.now,
        },
      });
      await deps.db.auditEvent.create({
        data: { at: t.now, actorType: 'system', action: 'duty.flagged', entity: 'duty_task', entityId: task.id, after: { kind: effect.kind, urgent: effect.urgent, reason: effect.reason } },
      });
      await deps.onDutyFlag(task.id);
      return undefined;
    }
    case 'callback_task': {
      await deps.db.dutyTask.create({
        data: { kind: 'callback', reason: effect.reason, conversationId: t.conversationId, contact: t.msg.sender, createdAt: t.now },
      });
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
