import type { ConversationView } from '../../staff/conversation-view.js';
import { explainFailure } from '../../staff/job-failures.js';
import { CHANNEL_LABELS } from '../../staff/labels.js';
import { dateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { fields, options, urgentBadge } from './components.js';

const STATUS: Record<ConversationView['status'], string> = { bot: '机器人接待中', staff: '人工接待中', closed: '已结束' };

function transcript(ctx: PageContext, c: ConversationView): Html {
  if (c.messages.length === 0) return html`<p>还没有消息。</p>`;
  return html`<ol class="transcript" aria-label="对话记录">${c.messages.map(
    (m) => html`<li class="${m.direction}"><div class="meta">${dateTime(ctx.directory, m.at)} · ${
      m.direction === 'inbound' ? '居民' : m.staffName ? `工作人员 ${m.staffName}` : '机器人'
    }${m.status === 'failed' ? html` · <strong>发送失败</strong>：${explainFailure(m.error)}` : ''}</div>${m.text || '（无文字内容）'}</li>`,
  )}</ol>`;
}

function captured(c: ConversationView): Html {
  const f = c.fields;
  if (!f) return html`<p>机器人还没有采集到信息。</p>`;
  const a = f.applicant;
  const e = f.emergency;
  return html`${fields([
    ['对话阶段', `${f.flowLabel}${f.stepLabel ? `（${f.stepLabel}）` : ''}`],
    ['承办编号', f.trackingNumber],
    ['姓名', a.name],
    ['身份证号', a.idNumber],
    ['家庭人口', a.householdSize],
    ['地址', [a.township, a.village, a.address].filter(Boolean).join(' ')],
    ['联系电话', a.phone],
    ['困难情况', a.reason],
    ['申请关系', a.relation],
    ['紧急情况', e.what],
    ['事发地点', [e.township, e.village, e.address].filter(Boolean).join(' ')],
    ['受影响的人', e.affected],
    ['现在有危险', e.dangerNow === null ? null : e.dangerNow ? '是' : '否'],
    ['报告人', e.reporter ? [e.reporter.relation, e.reporter.name, e.reporter.phone].filter(Boolean).join(' ') : null],
    ['跳过的问题', f.skipped.join('、')],
  ])}`;
}

function editForm(ctx: PageContext, c: ConversationView): Html {
  const f = c.fields;
  if (!f) return html``;
  const townships: [string, string][] = [['', '（不变）'], ...ctx.directory.directory.townships.map((t): [string, string] => [t.code, t.name])];
  const emergency = f.flow === 'emergency' || f.heldFlow === 'emergency';
  return html`<details class="action"><summary>修改已采集信息</summary>
<form method="post" action="/console/conversations/${c.id}/fields">${csrfField(ctx)}
<p class="hint">留空的项保持不变。身份证号和电话出于保护只显示部分，需要修改时请完整填写。</p>
<label for="f-name">姓名</label><input id="f-name" name="name" type="text" value="${f.applicant.name ?? ''}" maxlength="50">
<label for="f-id">身份证号 <span class="hint">当前：${f.applicant.idNumber ?? '未填'}</span></label><input id="f-id" name="idNumber" type="text" inputmode="numeric" maxlength="20" autocomplete="off">
<label for="f-size">家庭人口</label><input id="f-size" name="householdSize" type="number" min="1" max="30" value="${f.applicant.householdSize ?? ''}">
<label for="f-t">镇街</label><select id="f-t" name="townshipCode">${options(townships, (emergency ? undefined : f.applicant.townshipCode) ?? '')}</select>
<label for="f-addr">详细地址</label><input id="f-addr" name="address" type="text" value="${(emergency ? f.emergency.address : f.applicant.address) ?? ''}" maxlength="200">
<label for="f-phone">联系电话 <span class="hint">当前：${f.applicant.phone ?? '未填'}</span></label><input id="f-phone" name="phone" type="tel" maxlength="20" autocomplete="off">
<label for="f-reason">困难情况</label><textarea id="f-reason" name="reason" maxlength="1000">${f.applicant.reason ?? ''}</textarea>
${
  emergency
    ? html`<label for="f-what">紧急情况</label><textarea id="f-what" name="what" maxlength="1000">${f.emergency.what ?? ''}</textarea>
<label for="f-aff">受影响的人</label><input id="f-aff" name="affected" type="text" value="${f.emergency.affected ?? ''}" maxlength="500">
<label for="f-danger">现在有危险吗</label><select id="f-danger" name="dangerNow">${options([['', '（不变）'], ['yes', '有危险'], ['no', '没有危险']], '')}</select>`
    : ''
}
<div class="actions"><button type="submit">保存修改</button></div>
</form></details>`;
}

export function conversationPage(ctx: PageContext, c: ConversationView, opts: { full?: boolean } = {}): string {
  const mine = c.status === 'staff' && c.heldBy?.id === ctx.staff?.id;
  const base = `/console/conversations/${c.id}`;
  const urgent = c.dutyTasks.some((t) => t.urgent);
  return page(
    ctx,
    `对话 · ${c.resident}`,
    html`<div class="grid">
<section class="card" aria-labelledby="conv-h"><h2 id="conv-h">${urgentBadge(urgent)}${STATUS[c.status]}</h2>
${fields([
  ['渠道', CHANNEL_LABELS[c.channel]],
  ['居民', c.resident],
  ['接管人', c.heldBy?.name],
  ['开始时间', dateTime(ctx.directory, c.startedAt)],
  ['最近消息', dateTime(ctx.directory, c.lastMessageAt)],
  ['相关案件', c.cases.length > 0 ? html`${c.cases.map((x) => html`<a href="/console/cases/${x.trackingNumber}">${x.trackingNumber}</a> `)}` : null],
  ['待办原因', c.dutyTasks.map((t) => t.reason).join('；')],
])}
<div class="actions">
${c.status !== 'closed' && !c.heldBy ? html`<form class="inline" method="post" action="${base}/take">${csrfField(ctx)}<button type="submit">接管对话</button></form>` : ''}
${mine ? html`<form class="inline" method="post" action="${base}/release" data-confirm="交回机器人后，由机器人继续接待该居民。确定？">${csrfField(ctx)}<button type="submit" class="secondary">交回机器人</button></form>` : ''}
${c.status !== 'closed' && (mine || !c.heldBy) ? html`<form class="inline" method="post" action="${base}/close" data-confirm="确定结束该对话？">${csrfField(ctx)}<button type="submit" class="danger">结束对话</button></form>` : ''}
</div>
</section>
<section class="card" aria-labelledby="cap-h"><h2 id="cap-h">已采集信息${opts.full ? '（完整）' : ''}</h2>
${captured(c)}
${mine ? editForm(ctx, c) : ''}
</section>
</div>
<section aria-labelledby="tr-h"><h2 id="tr-h">对话记录${opts.full ? '（完整）' : ''}</h2>
${transcript(ctx, c)}
${
  mine
    ? html`<form method="post" action="${base}/reply" class="card">${csrfField(ctx)}
<label for="reply">回复居民 <span class="hint">通过居民使用的渠道（${CHANNEL_LABELS[c.channel]}）发送。请勿发送完整身份证号或手机号。</span></label>
<textarea id="reply" name="text" required maxlength="1000"></textarea>
<div class="actions"><button type="submit">发送</button></div></form>`
    : c.status !== 'closed'
      ? html`<p class="muted">接管对话后才能回复居民。</p>`
      : html`<p class="notice warn" role="status">该对话已结束，不能再接管或在线回复。居民再发消息会开始新的对话；需要联系居民，请按联系方式回电。</p>`
}
${
  opts.full
    ? ''
    : html`<form method="post" action="${base}/full" class="actions">${csrfField(ctx)}
<label for="conv-reason">查看完整对话内容 <span class="hint">（须填写事由，系统会记录）</span></label>
<input id="conv-reason" name="reason" type="text" required minlength="2" maxlength="300" placeholder="例如：核对居民报的身份证号">
<button type="submit" class="secondary">查看完整内容</button></form>`
}
</section>
<p><a href="/console/duty">返回值班队列</a></p>`,
  );
}
