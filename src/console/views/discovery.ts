import type { listKeyPersons, readKeyPerson, revealKeyPerson } from '../../staff/key-persons.js';
import { html, type Html } from '../html.js';
import { csrfField, page, type PageContext } from '../layout.js';
import { fields, options, pager } from './components.js';

type Roster = Awaited<ReturnType<typeof listKeyPersons>>;
type Person = Awaited<ReturnType<typeof readKeyPerson>> | Awaited<ReturnType<typeof revealKeyPerson>>;

function townshipSelect(ctx: PageContext, id: string, selected: string | undefined): Html {
  return html`<select id="${id}" name="townshipCode" required>${options(
    [['', '请选择'], ...ctx.directory.directory.townships.map((t): [string, string] => [t.code, t.name])],
    selected,
  )}</select>`;
}

/** Village choices for every township, labelled "镇街 · 村居", so the form works without script. */
function villageSelect(ctx: PageContext, id: string, townshipCode: string | undefined): Html {
  const towns = ctx.directory.directory.townships.filter((t) => !townshipCode || t.code === townshipCode);
  return html`<select id="${id}" name="villageCode"><option value="">（不清楚）</option>${towns.map(
    (t) => html`<optgroup label="${t.name}">${t.villages.map((v) => html`<option value="${v.code}">${v.name}</option>`)}</optgroup>`,
  )}</select>`;
}

function categorySelect(ctx: PageContext, id: string, required: boolean): Html {
  return html`<select id="${id}" name="category"${required ? html` required` : ''}>${options(
    [['', required ? '请选择' : '（不清楚，由镇街核实）'], ...ctx.directory.directory.categories.map((c): [string, string] => [c.code, c.name])],
    '',
  )}</select>`;
}

/** The township a township staff member belongs to, by code. */
function ownTownship(ctx: PageContext): string | undefined {
  const id = ctx.staff?.townshipId;
  return ctx.directory.directory.townships.find((t) => ctx.directory.townshipId(t.code) === id)?.code;
}

export function cluePage(ctx: PageContext): string {
  const own = ownTownship(ctx);
  return page(
    ctx,
    '上报线索（主动发现）',
    html`<p class="muted">村（社区）协理员、网格员发现有人可能需要救助时，请在这里上报。线索会转给所在镇街，在时限内入户调查。</p>
<form method="post" action="/console/clues" class="card">${csrfField(ctx)}
<fieldset><legend>在哪里</legend>
<label for="c-t">镇街</label>${townshipSelect(ctx, 'c-t', own)}
<label for="c-v">村（社区）</label>${villageSelect(ctx, 'c-v', own)}
<label for="c-addr">具体位置 <span class="hint">例如：三组东头第二户</span></label><input id="c-addr" name="address" type="text" maxlength="200">
</fieldset>
<fieldset><legend>看到了什么</legend>
<label for="c-who">需要帮助的人 <span class="hint">（知道就填）</span></label><input id="c-who" name="personName" type="text" maxlength="50">
<label for="c-what">情况描述</label><textarea id="c-what" name="what" required minlength="4" maxlength="2000" placeholder="例如：独居老人，近一周没出门，家里没有取暖"></textarea>
<label for="c-cat">可能的救助类别</label>${categorySelect(ctx, 'c-cat', false)}
<label class="check"><input type="checkbox" name="urgent" value="on"> 现在有人处于危险中（按紧急时限办理；如有生命危险请先拨打110/120/119）</label>
</fieldset>
<fieldset><legend>报告人</legend>
<label for="c-rep">报告人姓名</label><input id="c-rep" name="reporterName" type="text" value="${ctx.staff?.name ?? ''}" required maxlength="50">
<label for="c-phone">报告人电话 <span class="hint">（选填）</span></label><input id="c-phone" name="reporterPhone" type="tel" maxlength="15">
</fieldset>
<div class="actions"><button type="submit">上报线索</button></div>
</form>`,
  );
}

export function rosterPage(ctx: PageContext, roster: Roster, canAdd: boolean): string {
  const f = roster.filter;
  return page(
    ctx,
    '重点人群花名册',
    html`<form class="filters" method="get" action="/console/roster" role="search" aria-label="筛选花名册">
<div><label for="r-q">姓名</label><input id="r-q" name="q" type="search" value="${f.q ?? ''}"></div>
<div><label class="check"><input type="checkbox" name="overdue" value="1"${f.overdue ? html` checked` : ''}> 只看巡访逾期</label></div>
<div><button type="submit">筛选</button></div>
${canAdd ? html`<div><a class="button secondary" href="/console/roster/new">加入花名册</a></div>` : ''}
</form>
${
  roster.items.length === 0
    ? html`<p class="card">花名册中没有符合条件的人员。</p>`
    : html`<table class="list"><thead><tr><th scope="col">姓名</th><th scope="col">身份证号</th><th scope="col">类别</th><th scope="col">镇街 / 村居</th><th scope="col">巡访周期</th><th scope="col">下次巡访</th><th scope="col">上次巡访</th></tr></thead>
<tbody>${roster.items.map(
        (p) => html`<tr><td data-label="姓名"><a href="/console/roster/${p.id}">${p.name}</a></td><td data-label="身份证号">${p.idNumberMasked ?? '—'}</td><td data-label="类别">${p.categoryName}</td><td data-label="村居">${p.township} ${p.village ?? ''}</td><td data-label="巡访周期">${p.visitEveryDays}天</td><td data-label="下次巡访">${p.visitOverdue ? html`<span class="badge clock-overdue">${p.nextVisitDue} 逾期</span>` : p.nextVisitDue}</td><td data-label="上次巡访">${p.lastVisit?.on ?? '从未巡访'}</td></tr>`,
      )}</tbody></table>`
}
${pager('/console/roster', { q: f.q, overdue: f.overdue ? '1' : undefined }, roster.page, roster.pages, roster.total)}`,
  );
}

export function addPersonPage(ctx: PageContext): string {
  const own = ownTownship(ctx);
  return page(
    ctx,
    '加入重点人群花名册',
    html`<form method="post" action="/console/roster" class="card">${csrfField(ctx)}
${own ? html`<input type="hidden" name="townshipCode" value="${own}">` : html`<label for="p-t">镇街</label>${townshipSelect(ctx, 'p-t', undefined)}`}
<label for="p-v">村（社区）</label>${villageSelect(ctx, 'p-v', own)}
<label for="p-name">姓名</label><input id="p-name" name="name" type="text" required maxlength="50">
<label for="p-id">身份证号 <span class="hint">（选填，加密保存）</span></label><input id="p-id" name="idNumber" type="text" maxlength="20" autocomplete="off">
<label for="p-phone">联系电话 <span class="hint">（选填）</span></label><input id="p-phone" name="phone" type="tel" maxlength="15" autocomplete="off">
<label for="p-cat">类别</label>${categorySelect(ctx, 'p-cat', true)}
<label for="p-every">巡访周期（天）</label><input id="p-every" name="visitEveryDays" type="number" min="1" max="365" value="30" required>
<label for="p-first">首次巡访日期 <span class="hint">（不填则从今天起算一个周期）</span></label><input id="p-first" name="firstVisitDue" type="date">
<label for="p-note">备注</label><textarea id="p-note" name="note" maxlength="500"></textarea>
<div class="actions"><button type="submit">加入花名册</button><a href="/console/roster">取消</a></div>
</form>`,
  );
}

export function personPage(ctx: PageContext, p: Person, today: string): string {
  const full = 'disclosed' in p ? p : undefined;
  return page(
    ctx,
    `重点人员 · ${p.name}`,
    html`${full ? html`<p class="notice" role="status">您正在查看完整个人信息。本次查看已记录：事由“${full.disclosed.reason}”。</p>` : ''}
<section class="card">${fields([
      ['姓名', p.name],
      ['身份证号', full ? full.idNumber : p.idNumberMasked],
      ['联系电话', full ? full.phone : p.phoneMasked],
      ['类别', p.categoryName],
      ['镇街 / 村居', `${p.township} ${p.village ?? ''}`],
      ['巡访周期', `${p.visitEveryDays}天`],
      ['下次巡访', p.visitOverdue ? html`<span class="badge clock-overdue">${p.nextVisitDue} 已逾期</span>` : p.nextVisitDue],
      ['备注', p.note],
    ])}
${
  full
    ? ''
    : html`<form method="post" action="/console/roster/${p.id}/full" class="actions">${csrfField(ctx)}
<label for="kp-reason">查看完整身份证号和电话 <span class="hint">（须填写事由，系统会记录）</span></label>
<input id="kp-reason" name="reason" type="text" required minlength="2" maxlength="300"><button type="submit" class="secondary">查看完整信息</button></form>`
}
</section>
<form method="post" action="/console/roster/${p.id}/visits" class="card">${csrfField(ctx)}<h2>记录巡访</h2>
<label for="v-date">巡访日期</label><input id="v-date" name="visitedOn" type="date" value="${today}" max="${today}" required>
<label for="v-find">巡访情况</label><textarea id="v-find" name="findings" required minlength="2" maxlength="2000" placeholder="例如：本人在家，身体尚可，取暖已落实"></textarea>
<div class="actions"><button type="submit">保存巡访记录</button></div></form>
<h2>巡查记录</h2>
${
  p.visits.length === 0
    ? html`<p class="card">还没有巡访记录。</p>`
    : html`<table class="list"><thead><tr><th scope="col">日期</th><th scope="col">巡访情况</th><th scope="col">巡访人</th></tr></thead><tbody>${p.visits.map(
        (v) => html`<tr><td data-label="日期">${v.on}</td><td data-label="巡访情况">${v.findings}</td><td data-label="巡访人">${v.by ?? '—'}</td></tr>`,
      )}</tbody></table>`
}
<p><a href="/console/roster">返回花名册</a></p>`,
  );
}
