import type { DutyQueue } from '../../staff/duty-queue.js';
import { CHANNEL_LABELS } from '../../staff/labels.js';
import { dateTime } from '../format.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { urgentBadge } from './components.js';

type Item = DutyQueue['open'][number];

/** What the officer can do with the row, or why not. */
function actions(ctx: PageContext, t: Item, mine: boolean): Html {
  const conv = t.conversation;
  const ended = conv?.status === 'closed';
  const take = (label: string, hint?: string) =>
    html`<form class="inline" method="post" action="/console/duty/tasks/${t.id}/take">${csrfField(ctx)}<button type="submit" id="take-${t.id}">${label}</button></form>${
      hint ? html`<br><span class="small muted">${hint}</span>` : ''
    }`;
  const finish = html`<form class="inline" method="post" action="/console/duty/tasks/${t.id}/done" data-confirm="办结后该任务从队列中移除，不能撤回。确定已处理完毕？">${csrfField(ctx)}<button type="submit" class="secondary" id="done-${t.id}">办结</button></form>`;
  if (mine) {
    return html`<div class="row-actions">${conv && !ended ? html`<a class="button" href="/console/conversations/${conv.id}">打开对话</a>` : ''}${finish}</div>${
      ended ? html`<span class="small muted">对话已结束，请按联系方式回电。</span>` : ''
    }`;
  }
  if (conv?.heldBy) return html`${conv.heldBy.name}已接管 <a href="/console/conversations/${conv.id}">查看对话</a>`;
  if (ended) return take('接手回电', '对话已结束，无法接管；接手后请按联系方式回电。');
  return take(conv ? '接管对话' : '接手');
}

function taskRow(ctx: PageContext, t: Item, mine: boolean): Html {
  const conv = t.conversation;
  return html`<tr class="${t.urgent ? 'urgent' : ''}">
<td data-label="类型">${urgentBadge(t.urgent)}${t.kindLabel.split('、').filter((l) => !(t.urgent && l === '紧急')).join('、')}${
    t.categories.length > 0 ? html`<br><span class="small">${t.categories.join('、')}</span>` : ''
  }</td>
<td data-label="情况">${t.reason || '—'}${t.caseTrackingNumber ? html`<br><span class="small">案件 <a href="/console/cases/${t.caseTrackingNumber}">${t.caseTrackingNumber}</a></span>` : ''}</td>
<td data-label="地点">${t.place ?? html`<span class="muted">未说明</span>`}</td>
<td data-label="联系方式">${t.contact ?? '—'}${conv ? html`<br><span class="small muted">${CHANNEL_LABELS[conv.channel]}${conv.status === 'closed' ? '·对话已结束' : ''}</span>` : ''}</td>
<td data-label="等待" class="nowrap">${waited(t.waitingMinutes)}<br><span class="small muted">${dateTime(ctx.directory, t.createdAt)}</span></td>
<td data-label="操作" class="actions-cell">${actions(ctx, t, mine)}</td>
</tr>`;
}

/** 5分钟, 2小时5分, 3天2小时. */
function waited(minutes: number): string {
  if (minutes < 60) return `${minutes}分钟`;
  if (minutes < 1440) return `${Math.floor(minutes / 60)}小时${minutes % 60}分`;
  return `${Math.floor(minutes / 1440)}天${Math.floor((minutes % 1440) / 60)}小时`;
}

function table(ctx: PageContext, items: Item[], mine: boolean, empty: string | Html): Html {
  if (items.length === 0) return html`<p class="card">${empty}</p>`;
  return html`<table class="list"><thead><tr><th scope="col">类型</th><th scope="col">情况</th><th scope="col">地点</th><th scope="col">联系方式</th><th scope="col">等待</th><th scope="col">操作</th></tr></thead>
<tbody>${items.map((t) => taskRow(ctx, t, mine))}</tbody></table>`;
}

/** The part of the duty page that refreshes itself. */
export function dutyQueueFragment(ctx: PageContext, q: DutyQueue): Html {
  const urgent = q.open.filter((t) => t.urgent).length;
  return html`<h2 id="open-h">待处理 <span class="badge ${urgent > 0 ? 'urgent' : 'clock-finished'}">${q.open.length}件${urgent > 0 ? `，其中紧急${urgent}件` : ''}</span></h2>
${table(ctx, q.open, false, html`目前没有待处理的任务，新任务会自动出现在这里。其间可以查看<a href="/console/referrals">转办件</a>的办理进度。`)}
<h2>我已接手</h2>
${table(ctx, q.mine, true, '您还没有接手任务。')}
<p class="small muted">自动刷新，最后更新：${dateTime(ctx.directory, q.at)}</p>`;
}

export function dutyPage(ctx: PageContext, q: DutyQueue): string {
  return page(
    ctx,
    '值班队列',
    html`<p class="muted">紧急任务排在最前，同类中等待最久的在前；同一居民的同一次报告只占一行。接管对话后，机器人暂停回复，由您直接回复居民。</p>
<div id="queue" data-poll="/console/duty/queue" data-every="5000">${dutyQueueFragment(ctx, q)}</div>`,
  );
}
