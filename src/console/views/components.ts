import type { CalendarNotice } from '../../staff/calendar-notice.js';
import type { ClockView, ReferralClockView } from '../../staff/referral-clock.js';
import { timeLeft } from '../format.js';
import { html, type Html } from '../html.js';

/** A referral's most pressing clock: its state, which clock it is, time left or over; other missed clocks beside it. */
export function clockBadge(clock: ReferralClockView): Html {
  if (clock.state === 'none') return html`<span class="muted">—</span>`;
  const others = clock.clocks.filter((c) => c.kind !== clock.kind && (c.state === 'overdue' || c.state === 'done_late'));
  return html`<span class="badge clock-${clock.state}">${clock.label}</span> <span class="small">${clock.kindLabel}</span>${
    clock.done ? '' : html`<br><span class="small muted">${timeLeft(clock.msLeft)}${clock.paused ? '（暂停计时）' : ''}</span>`
  }${others.map((c) => html`<br><span class="badge clock-${c.state}">${c.state === 'overdue' ? `${c.kindLabel}已超期` : c.label}</span>`)}`;
}

/** Every clock of a referral: which, due when, done when, in what state. */
export function clockTable(dateTime: (iso: string | null) => string, clocks: ClockView[]): Html {
  if (clocks.length === 0) return html``;
  return html`<table class="list clocks"><thead><tr><th scope="col">时限</th><th scope="col">到期时间</th><th scope="col">完成时间</th><th scope="col">状态</th></tr></thead>
<tbody>${clocks.map(
    (c) => html`<tr><td data-label="时限">${c.kindLabel}</td><td data-label="到期时间">${dateTime(c.dueAt)}</td><td data-label="完成时间">${c.doneAt ? dateTime(c.doneAt) : '—'}</td><td data-label="状态"><span class="badge clock-${c.state}">${c.label}</span>${
      c.done ? '' : html` <span class="small muted">${timeLeft(c.msLeft)}${c.paused ? '（暂停计时）' : ''}</span>`
    }</td></tr>`,
  )}</tbody></table>`;
}

export const urgentBadge = (urgent: boolean) => (urgent ? html`<span class="badge urgent">紧急</span> ` : '');

/** Definition list of label → value; empty values show as a dash so a missing field is visible. */
export function fields(rows: [string, unknown][]): Html {
  return html`<dl class="fields">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v === null || v === undefined || v === '' ? '—' : v}</dd>`)}</dl>`;
}

/** Previous/next links that keep the current filters. */
export function pager(base: string, query: Record<string, string | number | undefined>, page: number, pages: number, total: number): Html {
  const href = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '' && k !== 'page') q.set(k, String(v));
    q.set('page', String(p));
    return `${base}?${q.toString()}`;
  };
  return html`<nav class="pager" aria-label="分页">
    <span>共 ${total} 条，第 ${page} / ${pages} 页</span>
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">上一页</a>` : ''}
    ${page < pages ? html`<a href="${href(page + 1)}" rel="next">下一页</a>` : ''}
  </nav>`;
}

export function options(items: [string, string][], selected: string | undefined): Html {
  return html`${items.map(([value, label]) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`)}`;
}

/** Deadlines counted on a holiday calendar the State Council has not published yet: said where deadlines are read. */
export const calendarBanner = (notices: CalendarNotice[]) =>
  html`${notices.map((n) => html`<p class="notice warn" role="status" data-calendar-year="${n.year}">${n.text}。</p>`)}`;
