/**
 * Why a background job or a message did not go out, in words a supervisor can act on. The reasons the workers record
 * are written for developers ("twilio_unavailable: Twilio Messages unreachable after 3 attempts …"); the console shows
 * these instead, and the developers' text stays in the job dashboard and the API.
 */

/** What each job does, as the county would say it. */
export const JOB_LABELS: Record<string, string> = {
  'timer.fire': '时限提醒、催办、督办或回访',
  'outbound.send': '发送消息（短信、企业微信、微信客服、电话）',
  'timers.rebuild': '时限定时任务巡检',
  'reports.monthly': '生成单位月报',
  'reports.daily': '生成单位日报',
  'dialog.silence': '居民未回复时的提醒',
};

export const QUEUE_LABELS: Record<string, string> = {
  timers: '时限',
  outbound: '消息发送',
  maintenance: '日常维护',
  'dialog-silence': '对话提醒',
};

/** Codes the senders and providers put first in a reason ("code: message"), with what they mean and what to do. */
const BY_CODE: [RegExp, string][] = [
  [/^channel_not_configured\b/, '该渠道没有配置（缺少服务商账号或号码），消息无法发出。请联系系统管理员完成配置。'],
  [/^twilio_unavailable\b/, '短信/电话服务商暂时连不上，多次重试后仍失败。请检查服务器网络，恢复后可在后台任务面板重试。'],
  [/^twilio_rejected\b/, '短信/电话服务商拒绝发送（号码无效或账号受限）。请核对居民号码，必要时电话联系。'],
  [/^twilio_bad_response\b/, '短信/电话服务商的答复无法识别。请联系系统管理员。'],
  [/^wecom_unavailable\b/, '企业微信暂时连不上，多次重试后仍失败。请检查服务器网络，恢复后可重试。'],
  [/^wecom_rejected\b/, '企业微信拒绝发送（接收人不在应用可见范围内，或配置有误）。请核对企业微信配置。'],
  [/^wecom_bad_response\b/, '企业微信的答复无法识别。请联系系统管理员。'],
  [/^outbound_malformed\b/, '待发消息的内容不完整，无法发送。请联系系统管理员。'],
  [/^send_failed\b/, '消息发送失败，原因不明。请联系系统管理员查看详情。'],
];

/** Reasons without a code, by what they say. */
const BY_TEXT: [RegExp, string][] = [
  [/malformed data/i, '任务数据不完整，无法执行（重试也不会成功）。请联系系统管理员。'],
  [/no handler for job/i, '系统不认识这个任务（可能是旧版本留下的）。请联系系统管理员。'],
  [/timed? ?out|ETIMEDOUT/i, '执行超时。通常是数据库或网络一时繁忙，可稍后重试。'],
  [/ECONNREFUSED|ECONNRESET|ENOTFOUND|unreachable|connect/i, '连接不上所需的服务（数据库、Redis 或服务商）。请检查服务是否正常运行。'],
  [/stalled/i, '任务执行中进程中断（如重启），多次后放弃。可重试。'],
];

/** A reason the workers recorded, in plain Chinese; one already in Chinese (a staff-facing AppError) is kept. */
export function explainFailure(reason: string | null | undefined): string {
  const r = (reason ?? '').trim();
  if (r === '') return '没有记录失败原因。';
  for (const [re, text] of BY_CODE) if (re.test(r)) return text;
  // "中文 / English": our own errors carry their Chinese half first.
  const chinese = r.split(' / ')[0]!;
  if (/[\u4e00-\u9fff]/.test(chinese)) return chinese;
  for (const [re, text] of BY_TEXT) if (re.test(r)) return text;
  return '任务执行失败（系统内部错误）。请联系系统管理员查看后台任务详情。';
}

export const jobLabel = (name: string) => JOB_LABELS[name] ?? '后台任务';
export const queueLabel = (queue: string) => QUEUE_LABELS[queue] ?? '其他';
