import type { CalendarNotice } from '../../staff/calendar-notice.js';
import type { listFailedJobs } from '../../staff/failed-jobs.js';
import type { unitFigures } from '../../staff/unit-figures.js';
import type { WeekPoint } from '../../staff/weekly-trend.js';
import type { Worklist } from '../../staff/worklist.js';
import { dateTime } from '../format.js';
import { html } from '../html.js';
import { page, type PageContext } from '../layout.js';
import { trendChart, unitChart } from './charts.js';
import { calendarBanner } from './components.js';
import { unitTable } from './unit-reports.js';
import { referralRows } from './worklist.js';

type Figures = Awaited<ReturnType<typeof unitFigures>>;
type Failed = Awaited<ReturnType<typeof listFailedJobs>>;

export type SupervisionData = { overdue: Worklist; supervised: Worklist; extensions: Worklist; window: Worklist; figures: Figures; failed: Failed; calendar: CalendarNotice[]; trend: WeekPoint[] };

export function supervisePage(ctx: PageContext, d: SupervisionData): string {
  const stat = (n: number, label: string, href: string, late = false) => html`<a class="stat${late && n > 0 ? ' late' : ''}" href="${href}"><strong>${n}</strong>${label}</a>`;
  const more = (list: Worklist, href: string) => (list.total > list.items.length ? html`<p><a href="${href}">查看全部 ${list.total} 件</a></p>` : '');
  return page(
    ctx,
    '督办总览',
    html`${calendarBanner(d.calendar)}<div class="stats">
${stat(d.overdue.total, '已超期', '/console/referrals?clock=overdue&status=all', true)}
${stat(d.supervised.total, '督办件', '/console/referrals?flag=supervised', true)}
${stat(d.extensions.total, '待批延期', '/console/referrals?flag=extension')}
${stat(d.window.total, '县级窗口待派（含退回）', '/console/referrals?unit=county_window')}
${stat(d.failed.length, '失败的后台任务', '#failed', true)}
</div>
<h2 id="charts">一图看全县</h2>
<div class="charts">
<section class="card"><h3>各单位收件与逾期（${d.figures.month}）</h3>${unitChart(d.figures.units, d.figures.month)}</section>
<section class="card"><h3>近${d.trend.length}周来件量与按时率</h3>${trendChart(d.trend)}</section>
</div>
<h2>待批延期</h2>${d.extensions.items.length > 0 ? referralRows(ctx, d.extensions.items) : html`<p class="card">没有待批的延期申请。</p>`}${more(d.extensions, '/console/referrals?flag=extension')}
<h2>县级窗口待派（退回仲裁）</h2>${d.window.items.length > 0 ? referralRows(ctx, d.window.items) : html`<p class="card">没有待派的转办件。</p>`}${more(d.window, '/console/referrals?unit=county_window')}
<h2>已超期</h2>${d.overdue.items.length > 0 ? referralRows(ctx, d.overdue.items) : html`<p class="card">没有超期的转办件。</p>`}${more(d.overdue, '/console/referrals?clock=overdue&status=all')}
<h2>督办件</h2>${d.supervised.items.length > 0 ? referralRows(ctx, d.supervised.items) : html`<p class="card">没有督办件。</p>`}${more(d.supervised, '/console/referrals?flag=supervised')}
<h2 id="figures">各单位办理情况（${d.figures.month}）</h2>
<form method="get" action="/console/supervise#figures" class="filters"><div><label for="month">月份</label><input id="month" name="month" type="month" value="${d.figures.month}"></div><div><button type="submit">查看</button></div></form>
${unitTable(d.figures.units)}
<p class="small muted">比率按当月收到的转办件中已到期或已办理的计算（未到期的不计入）；还没有可计算的单位显示“—”。逾期数包括签收、办理、先行救助、补办手续、回访各项时限中超期未办和超期办结的转办件。已生成的日报、月报见<a href="/console/supervise/reports">单位日报、月报</a>。</p>
<h2 id="failed">失败的后台任务</h2>
${
  d.failed.length === 0
    ? html`<p class="card">没有失败的任务。</p>`
    : html`<table class="list"><thead><tr><th scope="col">时间</th><th scope="col">队列 / 任务</th><th scope="col">原因</th><th scope="col">尝试次数</th></tr></thead>
<tbody>${d.failed.map((j) => html`<tr><td data-label="时间">${dateTime(ctx.directory, j.failedAt)}</td><td data-label="任务">${j.nameLabel}<br><span class="small muted">${j.queueLabel} · 编号 ${j.id}</span></td><td data-label="原因">${j.reasonText}</td><td data-label="尝试次数">${j.attempts}次</td></tr>`)}</tbody></table>
<p class="small muted">需要重试或查看技术详情时，请把任务编号告诉系统管理员。</p>`
}`,
  );
}
