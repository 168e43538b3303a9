import type { StaffRole } from '../../staff/access.js';
import { LEDGERS, type LedgerName } from '../../staff/ledgers.js';
import { html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { options } from './components.js';

/** Which registers a role can export: the roster and visit log belong to townships (and the county). */
export function ledgersFor(role: StaffRole): LedgerName[] {
  return role === 'township_staff' || role === 'supervisor' ? ['cases', 'referrals', 'roster', 'visits'] : ['cases', 'referrals'];
}

export function exportsPage(ctx: PageContext): string {
  const names = ledgersFor(ctx.staff!.role);
  return page(
    ctx,
    '台账导出',
    html`<p class="muted">导出您权限范围内的台账。默认身份证号、电话只显示部分。</p>
<table class="list"><thead><tr><th scope="col">台账</th><th scope="col">Excel</th><th scope="col">CSV</th></tr></thead>
<tbody>${names.map(
      (n) => html`<tr><td data-label="台账">${LEDGERS[n]}</td><td data-label="Excel"><a href="/console/exports/${n}.xlsx" download>下载 .xlsx</a></td><td data-label="CSV"><a href="/console/exports/${n}.csv" download>下载 .csv</a></td></tr>`,
    )}</tbody></table>
<form method="post" action="/console/exports/full" class="card">${csrfField(ctx)}<h2>导出完整个人信息</h2>
<p>含完整身份证号和电话的台账只用于必要的工作，系统会记录导出人、时间、事由和条数。</p>
<label for="x-l">台账</label><select id="x-l" name="ledger">${options(names.map((n): [string, string] => [n, LEDGERS[n]]), 'cases')}</select>
<label for="x-f">格式</label><select id="x-f" name="format">${options([['xlsx', 'Excel (.xlsx)'], ['csv', 'CSV']], 'xlsx')}</select>
<label for="x-r">事由</label><input id="x-r" name="reason" type="text" required minlength="2" maxlength="300" placeholder="例如：月度核对报民政局">
<div class="actions"><button type="submit">导出完整台账</button></div></form>`,
  );
}
