import { z } from 'zod';
import words from './acts.words.json' with { type: 'json' };
import type { QuestionTopic } from './acts.js';

/**
 * A turn read as dialog acts, in one schema for the rules' reading and a model's (issue 14): answer(field, value,
 * confidence), affirm, deny, correct(field, value), question(topic), dont_know, request_human, urgent_signal,
 * greeting, off_topic. One flat object per act, every key present (null where it does not apply), so the same schema
 * is a strict JSON-schema response format. ID and phone numbers are no field: the rules alone read them.
 */

export const ACT_KINDS = ['answer', 'affirm', 'deny', 'correct', 'question', 'dont_know', 'request_human', 'urgent_signal', 'greeting', 'off_topic'] as const;
export type ActKind = (typeof ACT_KINDS)[number];

/** The items a model may answer or correct: words, never numbers. */
export const ACT_FIELDS = ['reason', 'name', 'householdSize', 'place', 'relation', 'what', 'affected'] as const;
export type ActField = (typeof ACT_FIELDS)[number];

export const QUESTION_TOPICS: [QuestionTopic, ...QuestionTopic[]] = ['other', ...(Object.keys(words.questionTopics) as QuestionTopic[])];

const needsValue = (a: { act: ActKind }) => a.act === 'answer' || a.act === 'correct';

export const TurnAct = z
  .object({
    act: z.enum(ACT_KINDS),
    field: z.enum(ACT_FIELDS).nullable(),
    value: z.string().nullable(),
    topic: z.enum(QUESTION_TOPICS).nullable(),
    confidence: z.number().min(0).max(1),
  })
  .strict()
  .refine((a) => !needsValue(a) || (a.field !== null && !!a.value?.trim()), { message: 'answer and correct need a field and a value' })
  .refine((a) => a.act !== 'question' || a.topic !== null, { message: 'question needs a topic' });
export type TurnAct = z.infer<typeof TurnAct>;

export const MAX_ACTS = 8;
export const TurnActs = z.array(TurnAct).max(MAX_ACTS);

/** What a model answers: the acts of one turn. */
export const ModelActs = z.object({ acts: TurnActs }).strict();

/** An act with the keys it does not use set to null. */
export function act(kind: ActKind, extra: Partial<Omit<TurnAct, 'act'>> = {}): TurnAct {
  return { act: kind, field: null, value: null, topic: null, confidence: 1, ...extra };
}
