import type { CalendarNotice } from '../../staff/calendar-notice.js';
import type { LoadedDirectory } from '../../directory/store.js';
import type { RosterItem } from '../../staff/key-persons.js';
import { STATUS_GROUP_LABELS, type Worklist, type WorklistItem } from '../../staff/worklist.js';
import { dateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { page, type PageContext } from '../layout.js';
import { calendarBanner, clockBadge, options, pager, urgentBadge } from './components.js';

const CLOCKS: [string, string][] = [
  ['any', '全部'],
  ['overdue', '已超期'],
  ['due_soon', '即将到期（剩余不足1/4）'],
  ['on_time', '按时'],
];
const FLAGS: [string, string][] = [
  ['none', '不限'],
  ['supervised', '督办件'],
  ['extension', '待批延期'],
];

/** The units a county-wide role can filter by. */
export function unitOptions(directory: LoadedDirectory): [string, string][] {
  const d = directory.directory;
  return [
    ['', '全部单位'],
    ['county_window', d.county.window.name],
    ...d.townships.map((t): [string, string] => [`township:${t.code}`, t.name]),
    ...d.agencies.map((a): [string, string] => [`agency:${a.code}`, a.name]),
  ];
}

export function referralRows(ctx: PageContext, items: WorklistItem[]): Html {
  if (items.length === 0) return html`<p class="card">没有符合条件的转办件。</p>`;
  return html`<table class="list">
<thead><tr><th scope="col">转办编号</th><th scope="col">事项</th><th scope="col">申请人 / 地点</th><th scope="col">承办单位</th><th scope="col">状态</th><th scope="col">到期时间</th><th scope="col">时限</th></tr></thead>
<tbody>${items.map(
    (r) => html`<tr class="${r.urgent ? 'urgent' : ''}">
<td data-label="转办编号">${urgentBadge(r.urgent)}<a href="/console/referrals/${r.trackingNumber}">${r.trackingNumber}</a></td>
<td data-label="事项">${r.categoryName}<br><span class="small muted">${r.stepLabel} · ${r.roleLabel}</span></td>
<td data-label="申请人">${r.applicantName ?? '—'}<br><span class="small muted">${[r.township, r.village].filter(Boolean).join(' ')}</span></td>
<td data-label="承办单位">${r.unit.name}</td>
<td data-label="状态">${r.statusLabel}${r.extensionPending ? html`<br><span class="small">延期待批</span>` : ''}</td>
<td data-label="到期时间">${r.clock.kindLabel ? html`${r.clock.kindLabel}<br>` : ''}${dateTime(ctx.directory, r.clock.dueAt ?? r.dueAt)}</td>
<td data-label="时限">${clockBadge(r.clock)}</td>
</tr>`,
  )}</tbody></table>`;
}

function overdueVisitRows(items: RosterItem[]): Html {
  return html`<table class="list">
<thead><tr><th scope="col">姓名</th><th scope="col">类别</th><th scope="col">村居</th><th scope="col">应巡访日期</th><th scope="col">上次巡访</th></tr></thead>
<tbody>${items.map(
    (p) => html`<tr>
<td data-label="姓名"><a href="/console/roster/${p.id}">${p.name}</a></td>
<td data-label="类别">${p.categoryName}</td>
<td data-label="村居">${p.village ?? p.township}</td>
<td data-label="应巡访日期"><span class="badge clock-overdue">${p.nextVisitDue}</span></td>
<td data-label="上次巡访">${p.lastVisit ? p.lastVisit.on : '从未巡访'}</td>
</tr>`,
  )}</tbody></table>`;
}

export function worklistPage(ctx: PageContext, list: Worklist, visits: { total: number; items: RosterItem[] }, countyWide: boolean, calendar: CalendarNotice[] = []): string {
  const f = list.filter;
  const query = { status: f.status, clock: f.clock, flag: f.flag, unit: f.unit, q: f.q, pageSize: f.pageSize === 50 ? undefined : f.pageSize };
  const statusOptions = Object.entries(STATUS_GROUP_LABELS) as [string, string][];
  return page(
    ctx,
    countyWide ? '转办件' : '我的工作清单',
    html`${calendarBanner(calendar)}
${
  visits.total > 0
    ? html`<section aria-labelledby="visits-h" class="card"><h2 id="visits-h">巡访逾期（${visits.total}人）</h2>
${overdueVisitRows(visits.items)}
${visits.total > visits.items.length ? html`<p><a href="/console/roster?overdue=1">查看全部逾期巡访</a></p>` : ''}</section>`
    : ''
}
<form class="filters" method="get" action="/console/referrals" role="search" aria-label="筛选转办件">
  <div><label for="f-status">状态</label><select id="f-status" name="status">${options(statusOptions, f.status)}</select></div>
  <div><label for="f-clock">时限</label><select id="f-clock" name="clock">${options(CLOCKS, f.clock)}</select></div>
  ${countyWide ? html`<div><label for="f-flag">标记</label><select id="f-flag" name="flag">${options(FLAGS, f.flag)}</select></div>
  <div><label for="f-unit">承办单位</label><select id="f-unit" name="unit">${options(unitOptions(ctx.directory), f.unit)}</select></div>` : ''}
  <div><label for="f-q">编号</label><input id="f-q" name="q" type="search" value="${f.q ?? ''}" placeholder="转办编号或其中几位"></div>
  <div><button type="submit">筛选</button></div>
</form>
${referralRows(ctx, list.items)}
${pager('/console/referrals', query, list.page, list.pages, list.total)}
<p class="small muted">每件显示最紧迫的一项时限（签收、转办、先行救助、审核审批、补办手续、回访）。颜色说明：<span class="badge clock-on_time">按时</span> <span class="badge clock-due_soon">即将到期</span>（剩余时间不足四分之一） <span class="badge clock-overdue">已超期</span> <span class="badge clock-done_late">超期办结</span>（已办理，但晚于时限）。</p>`,
  );
}
