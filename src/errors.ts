/**
 * The one error type the service throws on purpose. `code` is stable for clients,
 * `message` tells a person what to do, `status` is the HTTP answer, and
 * `reportable` marks faults worth an operator's attention (vs. a caller's mistake).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly reportable = false,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** What `notFound` is told about ("Referral 2612…"), in Chinese, by the English word the callers start it with. */
const KINDS: [en: string, zh: string][] = [
  ['Referral', '转办件'],
  ['Case', '案件'],
  ['Conversation', '对话'],
  ['Duty task', '值班任务'],
  ['Key person', '重点人群对象'],
];

export const notFound = (what: string) => {
  const kind = KINDS.find(([en]) => what === en || what.startsWith(`${en} `));
  const zh = kind ? `${kind[1]}${what.slice(kind[0].length)}` : '该记录';
  return new AppError('not_found', `没有找到${zh}，或它不在您的办理范围内：请核对编号 / ${what} was not found`, 404);
};
export const unauthorized = () =>
  new AppError(
    'unauthorized',
    '请先登录：在请求头中附上 Authorization: Bearer <令牌>，令牌由 `hotline staff add` 生成；已停用或过期的令牌请找管理员重新生成 / Sign in first: send "Authorization: Bearer <token>" from `hotline staff add`',
    401,
  );
