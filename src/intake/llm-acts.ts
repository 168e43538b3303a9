import OpenAI from 'openai';
import { z } from 'zod';
import type { ModelQuestion } from '../dialogs/model-gate.js';
import { ACT_FIELDS, ModelActs, QUESTION_TOPICS, type TurnAct } from '../dialogs/understand/turn-acts.js';
import type { Logger } from '../logging.js';
import { maskPersonalNumbers } from '../privacy/personal-numbers.js';

/**
 * The dialog's turn reader on a chat-completions model (issue 14, "the optional LLM"): the runner asks it before the
 * step for the turns `questionForModel` picks, and the step uses what it read only where the rules read nothing
 * (src/dialogs/model-acts.ts). Any failure is a warning with a code and no resident text, and the rules read the turn.
 */

/** The runner's port: never throws; undefined when the model could not be used. */
export type TurnReader = (question: ModelQuestion) => Promise<TurnAct[] | undefined>;

export type LlmActsOptions = { baseUrl: string; apiKey: string; model: string; timeoutMs: number; logger: Logger };

const FIELD_NAMES: Record<(typeof ACT_FIELDS)[number], string> = {
  reason: '困难情况（原话概括）',
  name: '申请人或当事人的姓名（只写名字本身，必须是居民说出的字）',
  householdSize: '家庭人口（户口本上一起生活的人数，含本人；写阿拉伯数字）',
  place: '住址或事发地点（写镇或街道、村或社区的名字）',
  relation: '说话人和申请人的关系（本人、家属、村干部、邻居、其他 之一）',
  what: '发生了什么',
  affected: '谁遇到了困难',
};

const SYSTEM_PROMPT = [
  '你是社会救助热线的对话理解助手。热线刚问了居民一个问题，请把居民这一句回复读成对话行为（acts），只按给定的JSON格式回答。',
  '行为 act：answer 回答了问题或说出某一项（field、value）；affirm 肯定、同意；deny 否定、不同意；correct 说前面记的某一项不对并给出新值（field、value）；',
  'question 反问热线（topic）；dont_know 不知道、记不清、没带；request_human 要找工作人员或真人；urgent_signal 话里有人现在有危险（受伤、急病没人管、没吃的、没地方住、想不开、被打）；greeting 打招呼；off_topic 与问题无关或看不懂。',
  `项目 field：${ACT_FIELDS.map((f) => `${f} ${FIELD_NAMES[f]}`).join('；')}。`,
  `反问主题 topic：${QUESTION_TOPICS.join('、')}（documents 证件材料，timing 多久有结果，robot 是不是机器人，money 能给多少，cost 收不收费，privacy 会不会泄露，other 其他）。`,
  '不用的键写 null。confidence 是0到1之间的数，表示你有多确定；拿不准就写低分。不要编造居民没说的内容。身份证号和电话号码已被遮盖，不要回答这两项。',
].join('\n');

/** The act schema as a strict JSON-schema response format: the same zod schema the answer is checked with. */
const RESPONSE_FORMAT = (() => {
  const { $schema: _drop, ...schema } = z.toJSONSchema(ModelActs, { target: 'draft-7', io: 'output' });
  return { type: 'json_schema' as const, json_schema: { name: 'dialog_acts', strict: true, schema } };
})();

type Failure = { code: string; status?: number };

/** Kind of failure only: an error's message can echo the request, and the request holds the resident's words. */
function failureOf(error: unknown): Failure {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return { code: 'llm_acts_timeout' };
  if (error instanceof OpenAI.APIConnectionError) return { code: 'llm_acts_unreachable' };
  if (error instanceof OpenAI.APIError) return error.status !== undefined ? { code: 'llm_acts_http', status: error.status } : { code: 'llm_acts_api' };
  return { code: 'llm_acts_failed' };
}

function parse(content: string | null | undefined): TurnAct[] | Failure {
  let json: unknown;
  try {
    json = JSON.parse(content ?? '');
  } catch {
    return { code: 'llm_acts_not_json' };
  }
  const checked = ModelActs.safeParse(json);
  return checked.success ? checked.data.acts : { code: 'llm_acts_schema' };
}

/** The turn holds the conversation's lock (15 s, ./lock.ts) while it waits: never longer than this, whatever LLM_TIMEOUT_MS says. */
const TURN_WAIT_MAX_MS = 8000;

export function createLlmTurnReader({ baseUrl, apiKey, model, timeoutMs, logger }: LlmActsOptions): TurnReader {
  const client = new OpenAI({ baseURL: baseUrl, apiKey, timeout: Math.min(timeoutMs, TURN_WAIT_MAX_MS), maxRetries: 0 });
  const warn = (q: ModelQuestion, f: Failure) => logger.warn({ ...f, flow: q.flow, step: q.step }, 'dialog LLM not used; the rules read this turn');
  return async (q) => {
    let content: string | null | undefined;
    try {
      const completion = await client.chat.completions.create({
        model,
        temperature: 0,
        response_format: RESPONSE_FORMAT,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          // ID and phone numbers masked: no answer asked of the model is a number (those steps are never sent).
          { role: 'user', content: `热线正在问：${q.topic}\n居民的回复：${maskPersonalNumbers(q.text)}` },
        ],
      });
      content = completion.choices[0]?.message.content;
    } catch (error) {
      warn(q, failureOf(error));
      return undefined;
    }
    const acts = parse(content);
    if (!Array.isArray(acts)) {
      warn(q, acts);
      return undefined;
    }
    return acts;
  };
}
