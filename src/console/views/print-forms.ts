import type { ReferralView } from '../../staff/referral-view.js';
import { dateOnly, dateTime } from '../format.js';
import { html } from '../html.js';
import { csrfField, printPage, type PageContext } from '../layout.js';

const SEX: Record<string, string> = { male: '男', female: '女' };
const blank = (v: unknown) => (v === null || v === undefined || v === '' ? html`&nbsp;` : v);

/**
 * 服务办理单: the county's service form, filled from the case. ID number and phone are masked unless the form was
 * asked for in full (with a reason, audited): paper copies travel.
 */
export function serviceFormPage(ctx: PageContext, r: ReferralView, full?: { idNumber: string | null; phone: string | null }, standaloneCss?: string): string {
  const c = r.case;
  const county = ctx.directory.directory.county;
  const base = `/console/referrals/${r.trackingNumber}`;
  return printPage(
    ctx,
    `服务办理单 ${c.trackingNumber}`,
    html`<h1>社会救助服务办理单</h1>
<p class="no">${county.name} · 承办编号：<strong>${c.trackingNumber}</strong></p>
<table class="sheet">
<tr><th>受理时间</th><td>${dateTime(ctx.directory, c.createdAt)}</td><th>受理渠道</th><td>${c.channelLabel}</td></tr>
<tr><th>申请人</th><td>${blank(c.applicantName)}</td><th>性别</th><td>${blank(c.applicantSex ? SEX[c.applicantSex] : null)}</td></tr>
<tr><th>身份证号</th><td>${blank(full ? full.idNumber : c.idNumberMasked)}</td><th>家庭人口</th><td>${blank(c.householdSize)}</td></tr>
<tr><th>联系电话</th><td>${blank(full ? full.phone : c.phoneMasked)}</td><th>申请关系</th><td>${blank(c.relation)}</td></tr>
<tr><th>住址</th><td colspan="3">${blank([c.township, c.village, c.address].filter(Boolean).join(' '))}</td></tr>
<tr><th>申请事由</th><td colspan="3" class="tall">${blank(c.reason)}</td></tr>
<tr><th>救助类别</th><td>${r.categoryName}</td><th>授权核对</th><td>${c.consentGiven === null ? html`□同意 □不同意` : c.consentGiven ? '☑同意' : '☑不同意'}</td></tr>
<tr><th>转办单位</th><td>${r.unit.name}（${r.roleLabel}·${r.stepLabel}）</td><th>办理时限</th><td>${dateTime(ctx.directory, r.dueAt)}</td></tr>
<tr><th>转办编号</th><td colspan="3">${r.trackingNumber}</td></tr>
</table>
<div class="signatures"><span>申请人签字：</span><span>受理人签字：</span><span>日期：</span></div>
${
  full
    ? ''
    : html`<form method="post" action="${base}/service-form" class="no-print card">${csrfField(ctx)}
<label for="print-reason">打印完整身份证号和电话 <span class="hint">（须填写事由，系统会记录）</span></label>
<input id="print-reason" name="reason" type="text" required minlength="2" maxlength="300" placeholder="例如：入户调查存档">
<div class="actions"><button type="submit" class="secondary">生成完整版</button></div></form>`
}`,
    { download: `${base}/service-form?download=1`, back: base },
    standaloneCss,
  );
}

/** 转办件办理反馈单: filled once answered; before that it prints blank for a handwritten answer. */
export function feedbackFormPage(ctx: PageContext, r: ReferralView, standaloneCss?: string): string {
  const base = `/console/referrals/${r.trackingNumber}`;
  const f = r.feedback;
  return printPage(
    ctx,
    `转办件办理反馈单 ${r.trackingNumber}`,
    html`<h1>转办件办理反馈单</h1>
<p class="no">转办编号：<strong>${r.trackingNumber}</strong></p>
<table class="sheet">
<tr><th>承办编号</th><td>${r.case.trackingNumber}</td><th>救助类别</th><td>${r.categoryName}</td></tr>
<tr><th>承办单位</th><td>${r.unit.name}</td><th>办理环节</th><td>${r.stepLabel}（${r.roleLabel}）</td></tr>
<tr><th>转办时间</th><td>${dateTime(ctx.directory, r.dispatchedAt)}</td><th>签收时间</th><td>${r.signedAt ? dateTime(ctx.directory, r.signedAt) : html`&nbsp;`}</td></tr>
<tr><th>办理时限</th><td>${dateTime(ctx.directory, r.dueAt)}</td><th>申请人</th><td>${blank(r.case.applicantName)}</td></tr>
<tr><th>办理结果</th><td colspan="3" class="tall">${blank(f?.result)}</td></tr>
<tr><th>办结日期</th><td>${f ? dateOnly(ctx.directory, f.date) : html`&nbsp;`}</td><th>经办人</th><td>${blank(f?.handler)}</td></tr>
<tr><th>备注</th><td colspan="3">${blank(f?.note)}</td></tr>
</table>
<div class="signatures"><span>承办单位（盖章）：</span><span>负责人签字：</span><span>日期：</span></div>`,
    { download: `${base}/feedback-form?download=1`, back: base },
    standaloneCss,
  );
}
