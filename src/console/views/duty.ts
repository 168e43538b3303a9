import type { DutyQueue } from '../../staff/duty-queue.js';
import { CHANNEL_LABELS } from '../../staff/labels.js';
import { dateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { urgentBadge } from './components.js';

type Item = DutyQueue['open'][number];

function taskRow(ctx: PageContext, t: Item, mine: boolean): Html {
  const conv = t.conversation;
  return html`<tr class="${t.urgent ? 'urgent' : ''}">
<td data-label="类型">${urgentBadge(t.urgent)}${t.kind === 'urgent' && t.urgent ? '' : t.kindLabel}</td>
<td data-label="原因">${t.reason}${t.caseTrackingNumber ? html`<br><span class="small">案件 <a href="/console/cases/${t.caseTrackingNumber}">${t.caseTrackingNumber}</a></span>` : ''}</td>
<td data-label="联系方式">${t.contact ?? '—'}${conv ? html`<br><span class="small muted">${CHANNEL_LABELS[conv.channel]}</span>` : ''}</td>
<td data-label="等待">${t.waitingMinutes}分钟<br><span class="small muted">${dateTime(ctx.directory, t.createdAt)}</span></td>
<td data-label="操作">${
    mine
      ? html`${conv ? html`<a class="button" href="/console/conversations/${conv.id}">打开对话</a> ` : ''}<form class="inline" method="post" action="/console/duty/tasks/${t.id}/done">${csrfField(ctx)}<button type="submit" class="secondary">办结</button></form>`
      : conv?.heldBy
        ? html`${conv.heldBy.name}已接管 <a href="/console/conversations/${conv.id}">查看</a>`
        : html`<form class="inline" method="post" action="/console/duty/tasks/${t.id}/take">${csrfField(ctx)}<button type="submit" id="take-${t.id}">${conv ? '接管' : '接手'}</button></form>`
  }</td>
</tr>`;
}

function table(ctx: PageContext, items: Item[], mine: boolean, empty: string): Html {
  if (items.length === 0) return html`<p class="card">${empty}</p>`;
  return html`<table class="list"><thead><tr><th scope="col">类型</th><th scope="col">原因</th><th scope="col">联系方式</th><th scope="col">等待</th><th scope="col">操作</th></tr></thead>
<tbody>${items.map((t) => taskRow(ctx, t, mine))}</tbody></table>`;
}

/** The part of the duty page that refreshes itself. */
export function dutyQueueFragment(ctx: PageContext, q: DutyQueue): Html {
  const urgent = q.open.filter((t) => t.urgent).length;
  return html`<h2 id="open-h">待处理 <span class="badge ${urgent > 0 ? 'urgent' : 'clock-finished'}">${q.open.length}件${urgent > 0 ? `，其中紧急${urgent}件` : ''}</span></h2>
${table(ctx, q.open, false, '目前没有待处理的任务。')}
<h2>我已接手</h2>
${table(ctx, q.mine, true, '您还没有接手任务。')}
<p class="small muted">自动刷新，最后更新：${dateTime(ctx.directory, q.at)}</p>`;
}

export function dutyPage(ctx: PageContext, q: DutyQueue): string {
  return page(
    ctx,
    '值班队列',
    html`<p class="muted">紧急任务排在最前，同类按时间从新到旧。接管对话后，机器人暂停回复，由您直接回复居民。</p>
<div id="queue" data-poll="/console/duty/queue" data-every="5000">${dutyQueueFragment(ctx, q)}</div>`,
  );
}
