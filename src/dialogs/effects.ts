import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import { Channel } from '../domain/messages.js';
import { ApplicantSlots, Consent, EmergencyFields, NameMismatchAnswer, Relation } from './state.js';

/**
 * What a turn asks the outside world to do. The dialog never does I/O itself: the
 * runner executes each effect exactly once per provider delivery and feeds results
 * back as event inputs (case_opened, progress_result, identity_checked).
 */

export const OpenCase = z
  .object({
    type: z.literal('open_case'),
    caseType: z.enum(['emergency', 'application', 'enquiry', 'clue']),
    /** False when the resident went silent or skipped something: staff complete it by phone. */
    complete: z.boolean(),
    /** Steps still missing when complete is false, so staff know what to ask. */
    missing: z.array(z.string()),
    /** Set when this completes a case opened earlier as incomplete: update it, never open a duplicate. */
    trackingNumber: z.string().optional(),
    channel: Channel,
    fields: z
      .object({
        applicant: ApplicantSlots.extend({ relation: Relation.optional() }),
        consent: Consent.optional(),
        emergency: EmergencyFields.optional(),
      })
      .strict(),
    categoriesHint: z.array(CategoryCode).optional(),
    /**
     * The ID number was found registered under another name: what the resident answered (no answer: they did not
     * say). The case is merged into the person's open matter only when they said it is the same person.
     */
    identityCheck: z
      .object({
        /** The number on this record is registered under another name (false: one was, and the resident gave the number again). */
        mismatch: z.boolean(),
        answer: NameMismatchAnswer.optional(),
        idRetold: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type OpenCase = z.infer<typeof OpenCase>;

export const FlagDuty = z
  .object({
    type: z.literal('flag_duty'),
    reason: z.string(),
    urgent: z.boolean(),
    lifeDanger: z.boolean().optional(),
    kind: z.enum(['urgent', 'asked_for_person', 'stuck']),
  })
  .strict();
export type FlagDuty = z.infer<typeof FlagDuty>;

export const LookupProgress = z
  .object({
    type: z.literal('lookup_progress'),
    trackingNumber: z.string().optional(),
    phone: z.string().optional(),
    idLast4: z.string().regex(/^\d{3}[\dX]$/).optional(),
  })
  .strict();
export type LookupProgress = z.infer<typeof LookupProgress>;

/**
 * Is this ID number registered under another name? The runner looks it up by its keyed hash (src/cases/identity-check.ts)
 * and answers with identity_checked, a verdict only: the other name never reaches the dialog.
 */
export const CheckIdentity = z
  .object({ type: z.literal('check_identity'), idNumber: z.string().regex(/^\d{17}[\dX]$/), name: z.string().min(1) })
  .strict();
export type CheckIdentity = z.infer<typeof CheckIdentity>;

/** Staff call the resident back, e.g. for a skipped answer or after silence. */
export const CallbackTask = z.object({ type: z.literal('callback_task'), reason: z.string() }).strict();
export type CallbackTask = z.infer<typeof CallbackTask>;

export const Effect = z.discriminatedUnion('type', [OpenCase, FlagDuty, LookupProgress, CallbackTask, CheckIdentity]);
export type Effect = z.infer<typeof Effect>;

/**
 * Messages answered beside the guided dialog, which neither read nor change its state: a village assistant's clue
 * (flows/clue.ts) and a resident's answer to a follow-up question (flows/follow-up.ts). `aside` in engine.ts reads
 * them; the runner carries the effect out and hands its result to `answerAside` for the reply.
 */
export const ReportClue = z
  .object({
    type: z.literal('report_clue'),
    townshipCode: z.string(),
    villageCode: z.string().optional(),
    address: z.string().optional(),
    what: z.string(),
    urgent: z.boolean(),
  })
  .strict();
export type ReportClue = z.infer<typeof ReportClue>;

export const RecordFollowUp = z.object({ type: z.literal('record_follow_up'), satisfied: z.boolean(), note: z.string() }).strict();
export type RecordFollowUp = z.infer<typeof RecordFollowUp>;

export const AsideEffect = z.discriminatedUnion('type', [ReportClue, RecordFollowUp]);
export type AsideEffect = z.infer<typeof AsideEffect>;

/** What carrying out an aside effect gave: the clue's case number, the referral the answer was recorded on. */
export type AsideResult =
  | { event: 'clue_reported'; trackingNumber: string; townshipCode: string; urgent: boolean }
  | { event: 'follow_up_recorded'; trackingNumber: string; satisfied: boolean };
