import OpenAI from 'openai';
import { z } from 'zod';
import { CATEGORY_CODES, CategoryCode } from '../domain/categories.js';
import { classify } from './classify.js';
import { maskNumbers } from './mask.js';
import type { Classification } from './types.js';

export type LlmOptions = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** Told why the model's answer was not used. Never receives the resident's text. */
  warn?: (message: string) => void;
};

export type LlmClassifier = { refine(text: string, rules: Classification): Promise<Classification> };

const CATEGORY_NAMES: Record<CategoryCode, string> = {
  minimum_living: '最低生活保障（低保）',
  extreme_poverty: '特困人员救助供养（五保）',
  temporary: '临时救助（急难型、支出型）',
  disaster: '受灾人员救助',
  medical: '医疗救助、疾病应急救助',
  education: '教育救助',
  housing: '住房救助（公租房、危房改造）',
  employment: '就业救助（零就业家庭、公益性岗位、培训）',
  disability: '残疾人救助（两项补贴、康复、辅具）',
  child: '孤儿、事实无人抚养儿童、困境儿童',
  elderly: '困难老年人（高龄津贴、失能照护）',
  worker: '困难职工帮扶（工会）',
  legal_aid: '法律援助',
  vagrant: '流浪乞讨人员救助',
  youth: '困难青少年帮扶（团委）',
  women: '困难妇女、单亲母亲、家暴受害者',
  judicial_aid: '涉诉困难家庭（国家司法救助）',
};

const SYSTEM_PROMPT = [
  '你是社会救助热线的分诊助手。根据居民的话，判断需要哪些救助类别，只能用下列代码：',
  ...CATEGORY_CODES.map((code) => `${code}：${CATEGORY_NAMES[code]}`),
  '紧急情况：轻生或自伤的话、正在发生的暴力、儿童老人或残疾人无人照料、今晚没饭吃或没地方住、受冻受淹、火灾燃气倒塌被困、重病得不到治疗。',
  '否定的说法（“不是想死”“没有着火”）不算紧急；拿不准时算紧急，由人来判断。',
  '只回答一个JSON对象，不要其他文字，格式：',
  '{"categories":[{"code":"代码","confidence":0到1之间的数,"reason":"简短理由"}],"urgent":true或false,"urgentReason":"紧急时写原因","lifeDanger":true或false,"mentalHealth":true或false}',
  'categories 按重要性排列，第一个是主办类别。',
].join('\n');

const Answer = z.object({
  categories: z.array(z.object({ code: z.string(), confidence: z.number().optional(), reason: z.string().optional() })),
  urgent: z.boolean().optional(),
  urgentReason: z.string().optional(),
  lifeDanger: z.boolean().optional(),
  mentalHealth: z.boolean().optional(),
});
type Answer = z.infer<typeof Answer>;

/** Models wrap JSON in prose or ``` fences now and then; take the outermost object. */
function parseAnswer(content: string): Answer | undefined {
  const from = content.indexOf('{');
  const to = content.lastIndexOf('}');
  if (from < 0 || to <= from) return undefined;
  try {
    const parsed = Answer.safeParse(JSON.parse(content.slice(from, to + 1)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));

/** The model's categories over the rules' urgency: urgency can be raised by the model, never lowered. */
function merge(rules: Classification, answer: Answer): Classification | undefined {
  const categories: Classification['categories'] = [];
  for (const c of answer.categories) {
    const code = CategoryCode.safeParse(c.code);
    if (!code.success || categories.some((k) => k.code === code.data)) continue;
    categories.push({ code: code.data, confidence: clamp01(c.confidence ?? 0.6), reason: `模型: ${c.reason ?? ''}`.trim() });
  }
  if (categories.length === 0) return undefined;

  const modelUrgent = answer.urgent === true;
  const modelReason = modelUrgent ? `模型判断紧急: ${answer.urgentReason ?? ''}`.trim() : undefined;
  const urgentReason = [rules.urgent ? rules.urgentReason : undefined, modelReason].filter((r) => r !== undefined).join('；');
  return {
    categories,
    urgent: rules.urgent || modelUrgent,
    ...(urgentReason !== '' ? { urgentReason } : {}),
    lifeDanger: rules.lifeDanger || answer.lifeDanger === true,
    mentalHealth: rules.mentalHealth || answer.mentalHealth === true,
    source: 'llm',
    unsure: false,
  };
}

/** Kind of failure only: error messages can echo the request, and the request holds the resident's words. */
function describe(error: unknown): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'timed out';
  if (error instanceof OpenAI.APIConnectionError) return 'connection failed';
  if (error instanceof OpenAI.APIError) return error.status !== undefined ? `HTTP ${error.status}` : 'API error';
  return error instanceof Error ? error.constructor.name : 'unknown error';
}

/**
 * A second opinion from a chat-completions model for texts the rules are unsure about.
 * Any failure (timeout, HTTP error, bad JSON, no valid code) keeps the rules' answer.
 */
export function createLlmClassifier({ baseUrl, apiKey, model, timeoutMs, warn = (m) => console.warn(m) }: LlmOptions): LlmClassifier {
  const client = new OpenAI({ baseURL: baseUrl, apiKey, timeout: timeoutMs, maxRetries: 0 });
  return {
    async refine(text, rules) {
      let content: string | null | undefined;
      try {
        const completion = await client.chat.completions.create({
          model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            // Numbers are masked: the model needs the situation, not the resident's phone or ID number.
            { role: 'user', content: `居民的话：${maskNumbers(text)}\n规则初判：${rules.categories.map((c) => c.code).join(', ') || '无'}` },
          ],
        });
        content = completion.choices[0]?.message.content;
      } catch (error) {
        warn(`routing llm: request failed (${describe(error)}); keeping the rules' answer`);
        return rules;
      }
      const answer = content ? parseAnswer(content) : undefined;
      if (!answer) {
        warn("routing llm: answer is not the expected JSON; keeping the rules' answer");
        return rules;
      }
      const merged = merge(rules, answer);
      if (!merged) {
        warn("routing llm: answer names no known category; keeping the rules' answer");
        return rules;
      }
      return merged;
    },
  };
}

/** Rules first; the model is asked only when the rules are unsure and a model is configured. */
export async function classifyWithFallback(text: string, llm: LlmClassifier | undefined): Promise<Classification> {
  const rules = classify(text);
  return rules.unsure && llm ? llm.refine(text, rules) : rules;
}
