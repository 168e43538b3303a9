import OpenAI from 'openai';
import { z } from 'zod';
import { CATEGORY_CODES, CategoryCode } from '../domain/categories.js';
import { classify } from './classify.js';
import { maskDigitRuns } from '../privacy/personal-numbers.js';
import type { Classification, LlmReading } from './types.js';

export type LlmOptions = {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  /** Told why the model's answer was not used. Never receives the resident's text. */
  warn?: (message: string) => void;
};

/** The outcome of asking the model: its validated reading, or the kind of failure (never the resident's words). */
export type LlmResult = { ok: true; reading: LlmReading } | { ok: false; error: string };

export type LlmClassifier = {
  /** The model's own reading of a text, validated; a failure is warned about and returned, never thrown. */
  read(text: string): Promise<LlmResult>;
  /** The floor (rules and the learned model) with the model's reading on top; see `overFloor`. */
  refine(text: string, floor: Classification): Promise<Classification>;
};

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
  '先读出话里说的情况：谁（本人、儿童、老人、残疾人、其他人），什么状态（受伤摔倒、急病、没饭吃、没地方住、受冻、暴力、轻生、火、燃气、水淹、被困倒塌、无人照料、走失），什么时候（现在、过去、已解决），怎么说的（否定、假设、转述电视新闻、咨询政策）。',
  '紧急：上述危险状态现在正在发生，不是否定、假设、转述、过去或已经解决的。',
  '否定的说法（“不是想死”“没有着火”）不算紧急；拿不准时算紧急，由人来判断。',
  '只回答一个JSON对象，不要其他文字，格式：',
  '{"situations":[{"who":"谁","state":"状态","time":"现在/过去/已解决","modality":"直说/否定/假设/转述/咨询"}],"categories":[{"code":"代码","confidence":0到1之间的数,"reason":"简短理由"}],"urgent":true或false,"urgentReason":"紧急时写原因","lifeDanger":true或false,"mentalHealth":true或false}',
  'categories 按重要性排列，第一个是主办类别。',
].join('\n');

const Answer = z.object({
  situations: z.array(z.object({ who: z.string(), state: z.string(), time: z.string(), modality: z.string() })).optional().catch(undefined),
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

/** The answer as a reading: known codes only (at least one), confidence clamped, reasons kept. */
function toReading(answer: Answer, model: string): LlmReading | undefined {
  const categories: LlmReading['categories'] = [];
  for (const c of answer.categories) {
    const code = CategoryCode.safeParse(c.code);
    if (!code.success || categories.some((k) => k.code === code.data)) continue;
    categories.push({ code: code.data, confidence: clamp01(c.confidence ?? 0.6), reason: `模型: ${c.reason ?? ''}`.trim() });
  }
  if (categories.length === 0) return undefined;
  return {
    model,
    categories,
    urgent: answer.urgent === true,
    ...(answer.urgentReason ? { urgentReason: answer.urgentReason } : {}),
    lifeDanger: answer.lifeDanger === true,
    mentalHealth: answer.mentalHealth === true,
    ...(answer.situations ? { situations: answer.situations } : {}),
  };
}

/**
 * The model's reading over the floor (rules and the learned model): its categories lead, the
 * floor's follow as further needs, so nothing the floor found is lost; urgency is the floor's
 * raised by the model, never lowered, and a case the floor is unsure about stays in the ask
 * band unless the model flags it. The reading itself is kept in `llm`.
 */
export function overFloor(floor: Classification, reading: LlmReading): Classification {
  const categories = [...reading.categories];
  for (const c of floor.categories) if (!categories.some((k) => k.code === c.code)) categories.push(c);
  const modelReason = reading.urgent ? `模型判断紧急: ${reading.urgentReason ?? ''}`.trim() : undefined;
  const urgentReason = [floor.urgent ? floor.urgentReason : undefined, modelReason].filter((r) => r !== undefined).join('；');
  const urgent = floor.urgent || reading.urgent;
  return {
    categories,
    urgent,
    ...(urgentReason !== '' ? { urgentReason } : {}),
    lifeDanger: floor.lifeDanger || reading.lifeDanger,
    mentalHealth: floor.mentalHealth || reading.mentalHealth,
    source: 'llm',
    ...(floor.urgencyUnsure !== undefined ? { urgencyUnsure: !urgent && floor.urgencyUnsure } : {}),
    unsure: false,
    llm: reading,
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
 * A reader of the same schema as the rules, from a chat-completions model. Any failure
 * (timeout, HTTP error, bad JSON, no valid code) is warned about and keeps the floor's answer,
 * with the failure noted in `llm.error`.
 */
export function createLlmClassifier({ baseUrl, apiKey, model, timeoutMs, warn = (m) => console.warn(m) }: LlmOptions): LlmClassifier {
  const client = new OpenAI({ baseURL: baseUrl, apiKey, timeout: timeoutMs, maxRetries: 0 });
  const read = async (text: string): Promise<LlmResult> => {
    let content: string | null | undefined;
    try {
      const completion = await client.chat.completions.create({
        model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          // Numbers are masked: the model needs the situation, not the resident's phone or ID number.
          // The floor's answer is not shown: the model reads the text on its own, so the two can be compared.
          { role: 'user', content: `居民的话：${maskDigitRuns(text)}` },
        ],
      });
      content = completion.choices[0]?.message.content;
    } catch (error) {
      const kind = describe(error);
      warn(`routing llm: request failed (${kind}); keeping the rules' answer`);
      return { ok: false, error: `request failed (${kind})` };
    }
    const answer = content ? parseAnswer(content) : undefined;
    if (!answer) {
      warn("routing llm: answer is not the expected JSON; keeping the rules' answer");
      return { ok: false, error: 'answer is not the expected JSON' };
    }
    const reading = toReading(answer, model);
    if (!reading) {
      warn("routing llm: answer names no known category; keeping the rules' answer");
      return { ok: false, error: 'answer names no known category' };
    }
    return { ok: true, reading };
  };
  return {
    read,
    async refine(text, floor) {
      const result = await read(text);
      if (!result.ok) return { ...floor, llm: failedReading(model, result.error) };
      return overFloor(floor, result.reading);
    },
  };
}

const failedReading = (model: string, error: string): LlmReading => ({ model, categories: [], urgent: false, lifeDanger: false, mentalHealth: false, error });

/**
 * The rules and the learned model (the floor), and when a chat model is configured, its
 * reading on top: it is consulted on every case, not only when the floor is unsure.
 */
export async function classifyWithFallback(text: string, llm: LlmClassifier | undefined): Promise<Classification> {
  const floor = classify(text);
  return llm ? llm.refine(text, floor) : floor;
}
