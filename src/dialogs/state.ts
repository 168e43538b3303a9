import { z } from 'zod';
import { CategoryCode } from '../domain/categories.js';
import { Channel } from '../domain/messages.js';
import { TurnActs } from './understand/turn-acts.js';

/**
 * Conversation state between turns: plain, versioned JSON, so it can sit in Redis,
 * survive a restart, and be read by a duty officer taking over.
 */

export const FLOWS = ['menu', 'emergency', 'application', 'progress', 'enquiry', 'handover', 'closed'] as const;
export const Flow = z.enum(FLOWS);
export type Flow = z.infer<typeof Flow>;

/** Every question the bot can be waiting on; retries and skips are counted per step. */
export const STEPS = [
  'menu',
  // application
  'reason',
  'name',
  'idNumber',
  'householdSize',
  'place',
  'phone_confirm',
  'phone',
  'relation',
  'consent',
  /** The ID number was registered under another name: same person, wrong number, or someone else? */
  'identity_check',
  'summary',
  // emergency
  'what',
  'where',
  'affected',
  'danger',
  'reporter',
  // progress
  'progress_key',
  'progress_phone',
  'progress_last4',
  // enquiry
  'enquiry_category',
  'enquiry_answered',
  // any flow: is anyone in danger, is there food and a roof tonight
  'safety',
] as const;
export const Step = z.enum(STEPS);
export type Step = z.infer<typeof Step>;

/** Who is asking, relative to the person who needs help. */
export const RELATIONS = ['本人', '家属', '村干部', '邻居', '其他'] as const;
export const Relation = z.enum(RELATIONS);
export type Relation = z.infer<typeof Relation>;

const Iso = z.iso.datetime({ offset: true });
const Digits = z.string().regex(/^\d{5,15}$/);

/** The fields of the county's service form (服务办理单). */
export const ApplicantSlots = z
  .object({
    name: z.string().min(1).optional(),
    idNumber: z.string().regex(/^\d{17}[\dX]$/).optional(),
    householdSize: z.number().int().min(1).max(30).optional(),
    townshipCode: z.string().optional(),
    villageCode: z.string().optional(),
    address: z.string().optional(),
    phone: Digits.optional(),
    reason: z.string().optional(),
  })
  .strict();
export type ApplicantSlots = z.infer<typeof ApplicantSlots>;

/** Consent to verification of household finances (授权核对): recorded either way. */
export const Consent = z.object({ given: z.boolean(), at: Iso, channel: Channel }).strict();
export type Consent = z.infer<typeof Consent>;

export const EmergencyFields = z
  .object({
    what: z.string().optional(),
    townshipCode: z.string().optional(),
    villageCode: z.string().optional(),
    address: z.string().optional(),
    /** Who is affected, in the caller's words. */
    affected: z.string().optional(),
    /** How to reach the affected people: a phone number when one was given. */
    contact: z.string().optional(),
    dangerNow: z.boolean().optional(),
    reporter: z
      .object({ relation: Relation.optional(), name: z.string().optional(), phone: Digits.optional() })
      .strict()
      .optional(),
  })
  .strict();
export type EmergencyFields = z.infer<typeof EmergencyFields>;

/**
 * What checking an ID number against the names it was registered under found: nothing on record, the same name, or
 * another name. Only this verdict reaches the dialog, never the other name or anything else of the earlier record.
 */
export const IdentityVerdict = z.enum(['new', 'same_name', 'other_name']);
export type IdentityVerdict = z.infer<typeof IdentityVerdict>;

/** The resident's answer when the ID number was registered under another name (a wrong ID number is given again instead). */
export const NameMismatchAnswer = z.enum(['same_person', 'different_person', 'unsure']);
export type NameMismatchAnswer = z.infer<typeof NameMismatchAnswer>;

export const IdentityCheck = z
  .object({
    /** The ID number and name the verdict is about: checked again when either changes. */
    idNumber: ApplicantSlots.shape.idNumber,
    name: z.string().optional(),
    verdict: IdentityVerdict.optional(),
    answer: NameMismatchAnswer.optional(),
    /** An ID number registered under another name was said to be wrong and given again. */
    idRetold: z.boolean().optional(),
  })
  .strict();
export type IdentityCheck = z.infer<typeof IdentityCheck>;

export const DialogState = z
  .object({
    v: z.literal(1),
    flow: Flow,
    step: Step.optional(),
    slots: ApplicantSlots,
    /** Steps the resident chose to skip; staff call back for them. */
    skipped: z.array(Step),
    /** Failed answers per step, to stop re-prompting after two. */
    retries: z.partialRecord(Step, z.number().int().nonnegative()),
    consent: Consent.optional(),
    relation: Relation.optional(),
    emergency: EmergencyFields,
    /** Assistance categories the conversation points to, a hint for routing. */
    categories: z.array(CategoryCode),
    /** Category last explained in the enquiry flow, offered as an application. */
    enquiryCategory: CategoryCode.optional(),
    progressQuery: z.object({ phone: Digits.optional() }).strict(),
    /** What was already said and flagged about danger, so it is said once, not every turn. */
    safety: z
      .object({
        flagged: z.boolean(),
        lifeDangerTold: z.boolean(),
        mentalHealthTold: z.boolean(),
        /** Urgency was unclear: the safety question comes before the next item. */
        pending: z.boolean().optional(),
        /** The safety question was asked once; it is not asked again. */
        asked: z.boolean().optional(),
        /** The first answer was unclear, so it was asked once more in plainer words. */
        askedAgain: z.boolean().optional(),
      })
      .strict(),
    /** Asked for a person half-way through the form, the resident was told how little is left; asked again, a person it is. */
    finishOffered: z.boolean().optional(),
    /** Flow to go back to when a duty officer hands the conversation back. */
    heldFlow: Flow.optional(),
    originChannel: Channel,
    lastChannel: Channel,
    startedAt: Iso,
    updatedAt: Iso,
    remindersSent: z.number().int().nonnegative(),
    /** Effect emitted earlier whose result event has not arrived yet. */
    pendingEffect: z
      .discriminatedUnion('type', [
        /** confirmed: the resident confirmed, so the result closes the conversation with a receipt. */
        z.object({ type: z.literal('open_case'), confirmed: z.boolean() }).strict(),
        z.object({ type: z.literal('lookup_progress') }).strict(),
        z.object({ type: z.literal('check_identity') }).strict(),
      ])
      .optional(),
    /** The ID number checked against the names it was registered under, and what the resident answered. */
    identityCheck: IdentityCheck.optional(),
    /** Case opened as incomplete (silence): finishing the flow completes it rather than opening a duplicate. */
    trackingNumber: z.string().optional(),
  })
  .strict();
export type DialogState = z.infer<typeof DialogState>;

export const MessageInput = z
  .object({
    kind: z.literal('message'),
    channel: Channel,
    text: z.string().max(4000),
    /** Keypad digits on voice; `*` stands for X in ID numbers, `#` ends the entry. */
    digits: z.string().max(64).optional(),
    speechConfidence: z.number().min(0).max(1).optional(),
    at: Iso,
    /** A model's reading of the words (src/dialogs/model-acts.ts), read by the runner before the step; absent without one. */
    model: TurnActs.optional(),
  })
  .strict();
export type MessageInput = z.infer<typeof MessageInput>;

export const CaseOpenedEvent = z
  .object({
    kind: z.literal('event'),
    event: z.literal('case_opened'),
    trackingNumber: z.string().min(1),
    caseType: z.enum(['emergency', 'application', 'enquiry', 'clue']),
    /** Who will contact the resident and by when, e.g. "镇街社会救助窗口将在24小时内联系您". */
    contactBy: z.string().optional(),
  })
  .strict();

export const ProgressCase = z
  .object({ trackingNumber: z.string(), statusText: z.string(), nextDate: z.iso.date().optional() })
  .strict();
export type ProgressCase = z.infer<typeof ProgressCase>;

export const DialogInput = z.union([
  MessageInput,
  CaseOpenedEvent,
  z.object({ kind: z.literal('event'), event: z.literal('progress_result'), cases: z.array(ProgressCase) }).strict(),
  /** What the ID number's record says of the name given (src/cases/identity-check.ts). */
  z.object({ kind: z.literal('event'), event: z.literal('identity_checked'), verdict: IdentityVerdict }).strict(),
  /** The runner fires this when the resident stopped answering. */
  z.object({ kind: z.literal('event'), event: z.literal('silence') }).strict(),
  /** A duty officer handed the conversation back to the bot. */
  z.object({ kind: z.literal('event'), event: z.literal('staff_released') }).strict(),
]);
export type DialogInput = z.infer<typeof DialogInput>;
export type DialogEvent = Exclude<DialogInput, MessageInput>;

/** A dropped call may be continued within this window; after it, a message starts afresh. */
const RESUME_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A message at `at` starts a new conversation: none before, the last one closed, or too long ago to continue. */
export function startsAfresh(prev: DialogState | undefined, at: string): boolean {
  return !prev || prev.flow === 'closed' || Date.parse(at) - Date.parse(prev.updatedAt) > RESUME_WINDOW_MS;
}

export function newState(channel: Channel, at: string): DialogState {
  return {
    v: 1,
    flow: 'menu',
    step: 'menu',
    slots: {},
    skipped: [],
    retries: {},
    emergency: {},
    categories: [],
    progressQuery: {},
    safety: { flagged: false, lifeDangerTold: false, mentalHealthTold: false },
    originChannel: channel,
    lastChannel: channel,
    startedAt: at,
    updatedAt: at,
    remindersSent: 0,
  };
}
