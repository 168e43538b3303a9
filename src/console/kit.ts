import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffSide } from '../http/api/context.js';
import { csrfUserInfo, SESSION_COOKIE } from '../http/auth.js';
import type { PageContext } from './layout.js';

/** Short confirmations shown after an action (?done=…); keys, not text, travel in the URL. */
const DONE: Record<string, string> = {
  signed: '已签收。办理时限自派发时起算，请在到期前反馈办理结果。',
  noted: '办理情况已记录。',
  answered: '已反馈办理结果。结果已交由系统发给居民，到回访时间系统会请居民评价是否满意。',
  answered_no_contact: '已反馈办理结果。居民没有留下可以联系的方式，系统无法告知居民，也无法回访：请电话或上门告知。',
  answered_internal: '已反馈办理结果。本环节的结果报县级，不直接发给居民。',
  returned: '已退回县级窗口，由县级重新派发。',
  extension: '延期申请已提交，等待县级审批。',
  approved: '已批准延期，新的时限已生效。',
  reassigned: '已改派，新的转办件已派发给承办单位，办理时限重新计算。',
  taken: '已接管对话，机器人暂停回复。',
  replied: '回复已发送。',
  reply_queued: '回复暂时没有发出，系统会自动重发；如情况紧急请直接打电话。',
  fields: '修改已保存。',
  released: '已交回机器人继续接待，您接手的该任务随之办结。',
  closed: '对话已结束。',
  task_taken: '任务已接手，请按联系方式回电。',
  task_taken_ended: '任务已接手。该对话已结束，无法在线接管或回复：请按联系方式给居民回电。',
  task_done: '任务已办结。',
  urged: '已催办：催办消息已交由系统发给承办单位的经办人员，并记入办理记录。',
  urged_unsent: '催办已记入办理记录，但承办单位没有可以接收企业微信消息的人员，消息没有发出：请电话催办。',
  follow_up_satisfied: '回访已记录：居民满意，转办件已办结。',
  follow_up_reopened: '回访已记录：居民不满意，转办件已退回承办单位重新办理，新的办理时限已生效。',
  clue: '线索已上报，已转镇街入户调查。',
  person: '已加入花名册。',
  visit: '巡访已记录，下次巡访日期已更新。',
};

/** What console routes share: building a page's context, sending HTML, and the redirect after an action. */
export type ConsoleKit = {
  ctx(req: FastifyRequest, reply: FastifyReply, extra?: Partial<PageContext>): PageContext;
  send(reply: FastifyReply, body: string, status?: number): FastifyReply;
  /** Post/redirect/get: back to a page with a confirmation, so a refresh never repeats the action. */
  done(reply: FastifyReply, to: string, what: keyof typeof DONE): FastifyReply;
  /** The stylesheet's text, for downloaded forms that must print the same when opened from disk. */
  stylesheet: string;
};

export function createConsoleKit(side: Pick<StaffSide, 'deps'>, assets: { version: string; stylesheet: string }): ConsoleKit {
  const assetVersion = assets.version;
  return {
    stylesheet: assets.stylesheet,
    ctx(req, reply, extra = {}) {
      const done = (req.query as { done?: string } | undefined)?.done;
      return {
        staff: req.staff,
        csrfToken: reply.generateCsrf({ userInfo: csrfUserInfo(req.cookies?.[SESSION_COOKIE]) }),
        directory: side.deps.directory,
        path: req.url.split('?')[0] ?? req.url,
        now: side.deps.now(),
        assetVersion,
        notice: done ? DONE[done] : undefined,
        ...extra,
      };
    },
    send(reply, body, status = 200) {
      // Pages show personal data (names, masked numbers): never cache them anywhere.
      return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
    },
    done(reply, to, what) {
      return reply.redirect(`${to}${to.includes('?') ? '&' : '?'}done=${what}`, 303);
    },
  };
}

/** Form fields arrive as strings; an empty one means "not given". */
export function given(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** A query string or form without its empty fields, so defaults apply to them. */
export function filled(form: Record<string, string | undefined> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(form ?? {}).filter((e): e is [string, string] => given(e[1]) !== undefined));
}
