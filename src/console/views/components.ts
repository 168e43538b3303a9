import type { ClockState } from '../../staff/referral-clock.js';
import { timeLeft } from '../format.js';
import { html, type Html } from '../html.js';

export function clockBadge(clock: { state: ClockState; label: string; msLeft: number | null; signLate: boolean }): Html {
  return html`<span class="badge clock-${clock.state}">${clock.label}</span>${
    clock.state !== 'finished' && clock.state !== 'paused' ? html`<br><span class="small muted">${timeLeft(clock.msLeft)}</span>` : ''
  }${clock.signLate ? html`<br><span class="badge clock-overdue">签收超时</span>` : ''}`;
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
