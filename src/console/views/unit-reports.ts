import type { UnitLine } from '../../staff/unit-rates.js';
import type { StoredReport } from '../../staff/unit-reports.js';
import { dateTime, percent } from '../format.js';
import { html, type Html } from '../html.js';
import { page, type PageContext } from '../layout.js';

/** Units as the county compares them; those that need attention first (most overdue, then busiest). */
export function unitTable(units: UnitLine[]): Html {
  return html`<table class="list"><thead><tr><th scope="col">单位</th><th scope="col">收件</th><th scope="col">按时签收率</th><th scope="col">按时办结率</th><th scope="col">退单率</th><th scope="col">满意率</th><th scope="col">逾期</th></tr></thead>
<tbody>${[...units]
    .filter((u) => u.received > 0 || u.unitKind !== 'county_window')
    .sort((a, b) => b.overdue - a.overdue || b.received - a.received)
    .map(
      (u) => html`<tr><td data-label="单位">${u.unitName} <span class="small muted">${u.unitKindLabel}</span></td><td data-label="收件">${u.received}</td><td data-label="按时签收率">${percent(u.signedOnTimeRate)}</td><td data-label="按时办结率">${percent(u.answeredOnTimeRate)}</td><td data-label="退单率">${percent(u.returnRate)}</td><td data-label="满意率">${percent(u.satisfactionRate)}</td><td data-label="逾期">${u.overdue > 0 ? html`<span class="badge clock-overdue">${u.overdue}</span>` : 0}</td></tr>`,
    )}</tbody></table>`;
}

function section(ctx: PageContext, id: string, title: string, report: StoredReport | null, none: string): Html {
  if (!report) return html`<h2 id="${id}">${title}</h2><p class="card">${none}</p>`;
  const file = (format: 'xlsx' | 'csv') => `/console/supervise/reports/${report.period}/${report.key}.${format}`;
  return html`<h2 id="${id}">${title}（${report.key}）</h2>
<p class="small muted">生成于 ${dateTime(ctx.directory, report.generatedAt)}。导出：<a href="${file('xlsx')}" download>Excel (.xlsx)</a> · <a href="${file('csv')}" download>CSV</a></p>
${unitTable(report.units)}`;
}

/** The latest stored daily and monthly reports, as the jobs generated them (not recounted). */
export function unitReportsPage(ctx: PageContext, d: { day: StoredReport | null; month: StoredReport | null }): string {
  return page(
    ctx,
    '单位日报、月报',
    html`<p class="muted">系统每天零点后生成前一天的日报，每月报表日生成上月的月报。比率按该期收到的转办件中已到期或已办理的计算（未到期的不计入）；还没有可计算的单位显示“—”。</p>
${section(ctx, 'day', '最新日报', d.day, '还没有生成日报。日报在每天 0:05 生成前一天的数据。')}
${section(ctx, 'month', '最新月报', d.month, '还没有生成月报。月报在每月报表日生成上月的数据。')}
<p><a href="/console/supervise#figures">按月份实时统计</a></p>`,
  );
}
