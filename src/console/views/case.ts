import type { readCase } from '../../staff/case-view.js';
import type { revealCase } from '../../staff/case-full-view.js';
import { CASE_STATUS_LABELS, CASE_TYPE_LABELS, CHANNEL_LABELS, REFERRAL_STATUS_LABELS } from '../../staff/labels.js';
import { dateTime } from '../format.js';
import { html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { fields, urgentBadge } from './components.js';

type CaseData = Awaited<ReturnType<typeof readCase>>;
type FullCase = Awaited<ReturnType<typeof revealCase>>;

/** A case with its referrals; in full (after a stated reason) the ID number and phone are shown and the view is audited. */
export function casePage(ctx: PageContext, c: CaseData | FullCase): string {
  const full = 'disclosed' in c ? c : undefined;
  const a = c.applicant;
  return page(
    ctx,
    `案件 ${c.trackingNumber}`,
    html`${full ? html`<p class="notice" role="status">您正在查看完整个人信息。本次查看已记录：事由“${full.disclosed.reason}”。请勿截图或外传。</p>` : ''}
<section class="card"><h2>${urgentBadge(c.urgent)}${CASE_TYPE_LABELS[c.type]} · ${CASE_STATUS_LABELS[c.status]}</h2>
${fields([
  ['申请人', a.name],
  ['身份证号', full ? full.applicant.idNumber : a.idNumberMasked],
  ['联系电话', full ? full.applicant.phone : a.phoneMasked],
  ['回电号码', c.callback.length > 0 ? c.callback.map((n) => `${n.label} ${n.number}`).join('；') : null],
  ['家庭人口', a.householdSize],
  ['地址', [a.township, a.village, a.address].filter(Boolean).join(' ')],
  ['申请关系', a.relation],
  ['困难情况', a.reason],
  ['紧急原因', c.urgentReason],
  ['受理渠道', CHANNEL_LABELS[c.channel]],
  ['受理时间', dateTime(ctx.directory, c.createdAt)],
])}
${
  c.notes.length > 0
    ? html`<div class="notice warn" role="note"><strong>核对提示</strong>${c.notes.map((n) => html`<p>${dateTime(ctx.directory, n.at)}：${n.text}</p>`)}</div>`
    : ''
}
${
  full
    ? ''
    : html`<form method="post" action="/console/cases/${c.trackingNumber}/full" class="actions">${csrfField(ctx)}
<label for="reveal-reason">查看完整身份证号、电话和回电号码 <span class="hint">（须填写事由，系统会记录查看人、时间和事由）</span></label>
<input id="reveal-reason" name="reason" type="text" required minlength="2" maxlength="300" placeholder="例如：回访核实身份">
<button type="submit" class="secondary">查看完整信息</button></form>`
}
</section>
<h2>转办件</h2>
<table class="list"><thead><tr><th scope="col">转办编号</th><th scope="col">承办单位</th><th scope="col">状态</th><th scope="col">办理时限</th></tr></thead>
<tbody>${c.referrals.map(
      (r) => html`<tr><td data-label="转办编号"><a href="/console/referrals/${r.trackingNumber}">${r.trackingNumber}</a></td><td data-label="承办单位">${r.township ?? r.agency ?? '县级窗口'}</td><td data-label="状态">${REFERRAL_STATUS_LABELS[r.status]}</td><td data-label="办理时限">${dateTime(ctx.directory, r.dueAt)}</td></tr>`,
    )}</tbody></table>`,
  );
}
