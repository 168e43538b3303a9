import { z } from 'zod';
import { CategoryCode } from '../../domain/categories.js';
import { RELATIONS } from '../state.js';

/**
 * A conversations file for `hotline eval dialogs`: one resident per line, written as a persona
 * (what they would answer to each kind of question), not as a fixed transcript, so the file
 * stays valid when the bot asks in another order or other words. Format in README.md.
 */

export const TOPICS = [
  'reason', 'name', 'id_number', 'household', 'place', 'phone', 'relation', 'consent', 'confirm',
  'safety', 'what', 'affected', 'danger', 'reporter', 'tracking', 'category',
] as const;
export const Topic = z.enum(TOPICS);
export type Topic = z.infer<typeof Topic>;

/** What the resident sends: words (spoken on voice), keypad digits on voice, or both. */
export const ResidentTurn = z.union([
  z.string(),
  // Keypad digits; a progress persona keys the tracking number as {{TRACKING}}.
  z.object({ text: z.string().optional(), digits: z.string().regex(/^(?:[0-9*#]|\{\{TRACKING\}\})+$/).optional() }).strict(),
]);
export type ResidentTurn = z.infer<typeof ResidentTurn>;

const Expect = z
  .object({
    flow: z.enum(['application', 'emergency', 'progress', 'human']),
    categories: z.array(CategoryCode).default([]),
    urgent: z.boolean().default(false),
    fields: z
      .object({
        name: z.string().optional(),
        idNumber: z.string().regex(/^\d{17}[\dX]$/).nullable().optional(),
        householdSize: z.number().int().positive().optional(),
        township: z.string().optional(),
        village: z.string().nullable().optional(),
        phone: z.string().regex(/^\d{5,15}$/).optional(),
        relation: z.enum(RELATIONS).optional(),
        consent: z.boolean().optional(),
      })
      .default({}),
  })
  .loose();

export const Conversation = z
  .object({
    id: z.string().min(1),
    channel: z.enum(['sms', 'voice', 'wecom']),
    from: z.string().min(1),
    style: z.string().optional(),
    opening: z.array(ResidentTurn).min(1),
    answers: z.partialRecord(Topic, z.array(ResidentTurn).min(1)),
    interjections: z.array(z.object({ before: Topic, text: ResidentTurn })).default([]),
    expect: Expect,
  })
  .loose();
export type Conversation = z.infer<typeof Conversation>;

/** Every line parsed, or one error listing each bad line (nothing is half-read). */
export function parseConversations(text: string): Conversation[] {
  const out: Conversation[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`第${i + 1}行不是JSON`);
      return;
    }
    const parsed = Conversation.safeParse(json);
    if (parsed.success) out.push(parsed.data);
    else problems.push(`第${i + 1}行：${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('；')}`);
  });
  if (problems.length > 0) throw new Error(`对话文件有${problems.length}处错误：\n${problems.join('\n')}`);
  return out;
}
