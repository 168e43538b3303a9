import type { ReferralView } from '../../staff/referral-view.js';
import { localDate } from '../../staff/local-dates.js';
import { dateOnly, dateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { clockBadge, clockTable, fields, options, urgentBadge } from './components.js';
import { unitOptions } from './worklist.js';

function caseCard(ctx: PageContext, r: ReferralView): Html {
  const c = r.case;
  const e = c.emergency as { what?: string; affected?: string; dangerNow?: boolean; reporter?: { name?: string; relation?: string } } | null;
  return html`<section class="card" aria-labelledby="case-h"><h2 id="case-h">案件信息 <span class="small muted">承办编号 ${c.trackingNumber}</span></h2>
${fields([
  ['类型', html`${urgentBadge(c.urgent)}${c.typeLabel}`],
  ['紧急原因', c.urgentReason],
  ['申请人', c.applicantName],
  ['性别', c.applicantSex === 'male' ? '男' : c.applicantSex === 'female' ? '女' : null],
  ['身份证号', c.idNumberMasked],
  ['联系电话', c.phoneMasked],
  ['家庭人口', c.householdSize],
  ['地址', [c.township, c.village, c.address].filter(Boolean).join(' ')],
  ['申请关系', c.relation],
  ['困难情况', c.reason],
  ...(e ? ([['现场情况', e.what], ['受影响的人', e.affected], ['现在有危险', e.dangerNow === undefined ? null : e.dangerNow ? '是' : '否'], ['报告人', e.reporter ? [e.reporter.relation, e.reporter.name].filter(Boolean).join(' ') : null]] as [string, unknown][]) : []),
  ['授权核对', c.consentGiven === null ? null : c.consentGiven ? '已同意' : '未同意'],
  ['受理渠道', c.channelLabel],
  ['受理时间', dateTime(ctx.directory, c.createdAt)],
])}
<form method="post" action="/console/cases/${c.trackingNumber}/full" class="actions">
  ${csrfField(ctx)}
  <label for="reveal-reason">查看完整身份证号和电话 <span class="hint">（须填写事由，系统会记录查看人、时间和事由）</span></label>
  <input id="reveal-reason" name="reason" type="text" required minlength="2" maxlength="300" placeholder="例如：入户核实身份">
  <button type="submit" class="secondary">查看完整信息</button>
</form>
</section>`;
}

function actionForms(ctx: PageContext, r: ReferralView): Html {
  const a = r.actions;
  const base = `/console/referrals/${r.trackingNumber}`;
  const today = localDate(ctx.directory, ctx.now);
  const any = Object.values(a).some(Boolean);
  if (!any) return html``;
  return html`<section aria-labelledby="act-h"><h2 id="act-h">办理</h2>
${a.sign ? html`<form method="post" action="${base}/sign" class="card">${csrfField(ctx)}<p>请确认已收到本转办件并安排人员办理。签收时限：${dateTime(ctx.directory, r.signDueAt)}。</p><button type="submit">签收</button></form>` : ''}
${a.note ? html`<details class="action"><summary>记录办理情况</summary><form method="post" action="${base}/handling">${csrfField(ctx)}
  <label for="note">办理情况 <span class="hint">例如：已电话联系申请人，约定周三入户核查</span></label><textarea id="note" name="note" required minlength="2" maxlength="2000"></textarea>
  <div class="actions"><button type="submit">保存记录</button></div></form></details>` : ''}
${a.answer ? html`<details class="action" open><summary>反馈办理结果（转办件办理反馈单）</summary><form method="post" action="${base}/answer">${csrfField(ctx)}
  <label for="result">办理结果 <span class="hint">将告知居民，请用通俗的话写明办了什么、结果如何</span></label><textarea id="result" name="result" required minlength="2" maxlength="2000"></textarea>
  <label for="date">办结日期</label><input id="date" name="date" type="date" value="${today}" max="${today}" required>
  <label for="handler">经办人</label><input id="handler" name="handler" type="text" value="${ctx.staff?.name ?? ''}" required maxlength="50">
  <label for="fnote">备注 <span class="hint">（选填，仅内部可见）</span></label><textarea id="fnote" name="note" maxlength="2000"></textarea>
  <div class="actions"><button type="submit">提交反馈</button></div></form></details>` : ''}
${a.requestExtension ? html`<details class="action"><summary>申请延期</summary><form method="post" action="${base}/extension">${csrfField(ctx)}
  <p>当前办理时限：${dateTime(ctx.directory, r.dueAt)}。延期须经县级窗口批准。</p>
  <label for="due">申请延至</label><input id="due" name="dueDate" type="date" min="${today}" required>
  <label for="ext-reason">延期理由</label><textarea id="ext-reason" name="reason" required minlength="4" maxlength="1000"></textarea>
  <div class="actions"><button type="submit">提交延期申请</button></div></form></details>` : ''}
${a.return ? html`<details class="action"><summary>退回（不属于本单位职责）</summary><form method="post" action="${base}/return" data-confirm="确定退回该转办件？退回后将由县级窗口重新派发。">${csrfField(ctx)}
  <label for="ret-reason">退回理由 <span class="hint">请写明为什么不属于本单位，以及建议由哪个单位办理</span></label><textarea id="ret-reason" name="reason" required minlength="4" maxlength="1000"></textarea>
  <div class="actions"><button type="submit" class="danger">退回县级窗口</button></div></form></details>` : ''}
${a.approveExtension ? html`<details class="action" open><summary>批准延期</summary><form method="post" action="${base}/approve">${csrfField(ctx)}
  <p>申请延至 ${dateTime(ctx.directory, r.extension?.dueAt)}，理由：${r.extension?.reason ?? ''}</p>
  <label for="approve-due">批准延至 <span class="hint">（不填则按申请日期）</span></label><input id="approve-due" name="dueDate" type="date" min="${today}">
  <div class="actions"><button type="submit">批准延期</button></div></form></details>` : ''}
${a.urge ? html`<form method="post" action="${base}/urge" class="card">${csrfField(ctx)}<p>催办会立即给承办单位的经办人员发企业微信消息（已开通企业微信时），并记入办理记录。</p><button type="submit">催办</button></form>` : ''}
${a.followUp ? html`<details class="action" open><summary>记录回访（电话或上门）</summary><form method="post" action="${base}/follow-up">${csrfField(ctx)}
  <fieldset><legend>居民是否满意</legend>
  <label class="check"><input type="radio" name="satisfied" value="yes" required> 居民满意（办结）</label>
  <label class="check"><input type="radio" name="satisfied" value="no"> 居民不满意（退回承办单位重新办理）</label></fieldset>
  <label for="fu-note">回访情况 <span class="hint">例如：电话回访，居民表示已收到救助金</span></label><textarea id="fu-note" name="note" required minlength="2" maxlength="1000"></textarea>
  <div class="actions"><button type="submit">记录回访</button></div></form></details>` : ''}
${a.reassign ? html`<details class="action" open><summary>仲裁改派</summary><form method="post" action="${base}/reassign">${csrfField(ctx)}
  <label for="unit">改派给</label><select id="unit" name="unit" required>${options(unitOptions(ctx.directory).filter(([v]) => v.startsWith('township:') || v.startsWith('agency:')), undefined)}</select>
  <label for="re-reason">改派说明</label><textarea id="re-reason" name="reason" required minlength="2" maxlength="1000"></textarea>
  <div class="actions"><button type="submit">改派</button></div></form></details>` : ''}
</section>`;
}

export function referralPage(ctx: PageContext, r: ReferralView): string {
  const base = `/console/referrals/${r.trackingNumber}`;
  return page(
    ctx,
    `转办件 ${r.trackingNumber}`,
    html`<div class="grid">
<section class="card" aria-labelledby="ref-h"><h2 id="ref-h">${urgentBadge(r.urgent)}${r.categoryName} · ${r.stepLabel}</h2>
${fields([
  ['承办单位', `${r.unit.name}（${r.roleLabel}）`],
  ['状态', r.statusLabel],
  ['时限', clockBadge(r.clock)],
  ['派发时间', dateTime(ctx.directory, r.dispatchedAt)],
  ['签收时限', dateTime(ctx.directory, r.signDueAt)],
  ['签收时间', dateTime(ctx.directory, r.signedAt)],
  ['办理时限', dateTime(ctx.directory, r.dueAt)],
  ['暂停计时', r.paused],
  ['延期申请', r.extension ? `${r.extension.approvedAt ? '已批准' : '待批准'}：延至 ${dateTime(ctx.directory, r.extension.dueAt)}，理由：${r.extension.reason ?? ''}` : null],
  ['退回理由', r.returnReason],
])}
${clockTable((iso) => dateTime(ctx.directory, iso), r.clock.clocks)}
<p class="actions"><a class="button secondary" href="${base}/service-form">打印服务办理单</a><a class="button secondary" href="${base}/feedback-form">打印办理反馈单</a></p>
</section>
${caseCard(ctx, r)}
</div>
${
  r.feedback
    ? html`<section class="card" aria-labelledby="fb-h"><h2 id="fb-h">办理反馈</h2>${fields([
        ['办理结果', r.feedback.result],
        ['办结日期', dateOnly(ctx.directory, r.feedback.date)],
        ['经办人', r.feedback.handler],
        ['备注', r.feedback.note],
        ['回访', r.satisfaction ? `${r.satisfaction.label}${r.satisfaction.note ? `：${r.satisfaction.note}` : ''}` : '待回访'],
      ])}</section>`
    : ''
}
${actionForms(ctx, r)}
${
  r.related.length > 0
    ? html`<section aria-labelledby="rel-h"><h2 id="rel-h">同一案件的其他转办件</h2><table class="list"><thead><tr><th scope="col">转办编号</th><th scope="col">承办单位</th><th scope="col">状态</th><th scope="col">退回理由</th></tr></thead><tbody>${r.related.map(
        (s) => html`<tr><td data-label="转办编号">${s.trackingNumber}</td><td data-label="承办单位">${s.unit}</td><td data-label="状态">${s.statusLabel}</td><td data-label="退回理由">${s.returnReason ?? '—'}</td></tr>`,
      )}</tbody></table></section>`
    : ''
}
<section aria-labelledby="hist-h"><h2 id="hist-h">办理记录</h2>
<table class="list"><thead><tr><th scope="col">时间</th><th scope="col">事项</th><th scope="col">办理人</th><th scope="col">说明</th></tr></thead>
<tbody>${r.history.map(
      (h) => html`<tr><td data-label="时间">${dateTime(ctx.directory, h.at)}</td><td data-label="事项">${h.label}</td><td data-label="办理人">${h.actor}</td><td data-label="说明">${h.note ?? h.reason ?? ''}</td></tr>`,
    )}</tbody></table></section>
<p><a href="/console/referrals">返回工作清单</a></p>`,
  );
}
