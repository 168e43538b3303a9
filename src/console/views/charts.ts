import { scaleBand, scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import type { UnitLine } from '../../staff/unit-rates.js';
import type { WeekPoint } from '../../staff/weekly-trend.js';
import { percent } from '../format.js';
import { Html, html } from '../html.js';

/**
 * The supervisor dashboard's charts, drawn on the server as SVG. d3-scale and d3-shape (the D3 project's own small
 * modules, kept up by it and used everywhere) do the arithmetic: nice axis ticks, bands, line paths with gaps where a
 * rate cannot be judged yet. The page gets plain SVG: it needs no script (the console's CSP allows only its own), it
 * prints, it reads the same on an old browser, and a test can read it. Each chart has a title and a description for
 * screen readers, and the same figures stand in the table beside it.
 */

const COLORS = { received: '#4a6fa5', overdue: '#a00000', cases: '#b8c7dc', sign: '#1d6b2f', answer: '#7a4a00', grid: '#d8d8d8', ink: '#1a1a1a', muted: '#555' };
const FONT = new Html('font-family="Microsoft YaHei, PingFang SC, Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei, sans-serif"');

const n = (v: number) => Math.round(v * 10) / 10;

function legend(items: [string, string, 'bar' | 'line'][], x: number, y: number): Html {
  let at = x;
  return html`${items.map(([label, color, kind]) => {
    const mark =
      kind === 'bar'
        ? html`<rect x="${at}" y="${y - 10}" width="14" height="12" fill="${color}"/>`
        : html`<line x1="${at}" y1="${y - 4}" x2="${at + 16}" y2="${y - 4}" stroke="${color}" stroke-width="3"/>`;
    const text = html`<text x="${at + 20}" y="${y}" font-size="13" fill="${COLORS.ink}">${label}</text>`;
    at += 28 + label.length * 14;
    return html`${mark}${text}`;
  })}`;
}

/** Cases received and overdue per unit this month, one pair of bars per unit, the units needing attention first. */
export function unitChart(units: UnitLine[], month: string): Html {
  const shown = [...units].filter((u) => u.received > 0 || u.overdue > 0).sort((a, b) => b.overdue - a.overdue || b.received - a.received);
  if (shown.length === 0) return html`<p class="card" data-chart="units" data-empty>本月还没有转办件，暂无图表。</p>`;
  const width = 720;
  const labelWidth = 150;
  const top = 34;
  const row = 34;
  const height = top + shown.length * row + 30;
  const y = scaleBand<string>().domain(shown.map((u) => `${u.unitKind}:${u.unitCode}`)).range([top, top + shown.length * row]).paddingInner(0.25);
  const max = Math.max(1, ...shown.map((u) => Math.max(u.received, u.overdue)));
  const x = scaleLinear().domain([0, max]).nice().range([labelWidth, width - 40]);
  const ticks = x.ticks(Math.min(6, x.domain()[1]!)).filter(Number.isInteger);
  const bar = y.bandwidth() / 2;
  const summary = shown.map((u) => `${u.unitName}收件${u.received}件、逾期${u.overdue}件`).join('；');
  return html`<figure class="chart" data-chart="units">
<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="chart-units-t chart-units-d" ${FONT}>
<title id="chart-units-t">各单位收件与逾期（${month}）</title>
<desc id="chart-units-d">${summary}</desc>
${legend([['收件', COLORS.received, 'bar'], ['逾期', COLORS.overdue, 'bar']], labelWidth, 18)}
${ticks.map((t) => html`<line x1="${n(x(t))}" y1="${top - 4}" x2="${n(x(t))}" y2="${top + shown.length * row}" stroke="${COLORS.grid}"/><text x="${n(x(t))}" y="${height - 10}" font-size="12" text-anchor="middle" fill="${COLORS.muted}">${t}</text>`)}
${shown.map((u) => {
  const y0 = y(`${u.unitKind}:${u.unitCode}`)!;
  return html`<g data-unit="${u.unitCode}"><text x="${labelWidth - 8}" y="${n(y0 + bar + 5)}" font-size="13" text-anchor="end" fill="${COLORS.ink}">${u.unitName}</text>
<rect data-series="received" x="${labelWidth}" y="${n(y0)}" width="${n(x(u.received) - labelWidth)}" height="${n(bar)}" fill="${COLORS.received}"><title>${u.unitName} 收件 ${u.received}</title></rect>
<rect data-series="overdue" x="${labelWidth}" y="${n(y0 + bar)}" width="${n(x(u.overdue) - labelWidth)}" height="${n(bar)}" fill="${COLORS.overdue}"><title>${u.unitName} 逾期 ${u.overdue}</title></rect>
<text x="${n(x(u.received) + 4)}" y="${n(y0 + bar - 3)}" font-size="11" fill="${COLORS.ink}">${u.received}</text>${
    u.overdue > 0 ? html`<text x="${n(x(u.overdue) + 4)}" y="${n(y0 + 2 * bar - 3)}" font-size="11" fill="${COLORS.overdue}">${u.overdue}</text>` : ''
  }</g>`;
})}
</svg>
<figcaption class="small muted">各单位本月收到的转办件数与其中超过时限（超期未办或超期办结）的件数。</figcaption>
</figure>`;
}

/** The last weeks: cases in (bars, left axis) and the shares signed and answered on time (lines, right axis). */
export function trendChart(points: WeekPoint[]): Html {
  const width = 720;
  const height = 300;
  const m = { top: 36, right: 56, bottom: 40, left: 48 };
  const x = scaleBand<string>().domain(points.map((p) => p.week)).range([m.left, width - m.right]).padding(0.3);
  const maxCases = Math.max(1, ...points.map((p) => p.cases));
  const yCount = scaleLinear().domain([0, maxCases]).nice().range([height - m.bottom, m.top]);
  const yRate = scaleLinear().domain([0, 1]).range([height - m.bottom, m.top]);
  const mid = (p: WeekPoint) => x(p.week)! + x.bandwidth() / 2;
  const path = (pick: (p: WeekPoint) => number | null) =>
    line<WeekPoint>()
      .defined((p) => pick(p) !== null)
      .x((p) => n(mid(p)))
      .y((p) => n(yRate(pick(p)!)))(points) ?? '';
  const dots = (pick: (p: WeekPoint) => number | null, color: string, label: string) =>
    points
      .filter((p) => pick(p) !== null)
      .map((p) => html`<circle cx="${n(mid(p))}" cy="${n(yRate(pick(p)!))}" r="3.5" fill="${color}"><title>${p.week}起一周 ${label} ${percent(pick(p))}</title></circle>`);
  const countTicks = yCount.ticks(5).filter(Number.isInteger);
  const summary = points.map((p) => `${p.week.slice(5)}起一周来件${p.cases}件，按时签收率${percent(p.signedOnTimeRate)}，按时办结率${percent(p.answeredOnTimeRate)}`).join('；');
  return html`<figure class="chart" data-chart="trend">
<svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="chart-trend-t chart-trend-d" ${FONT}>
<title id="chart-trend-t">近${points.length}周来件量与按时率</title>
<desc id="chart-trend-d">${summary}</desc>
${legend([['来件（件）', COLORS.cases, 'bar'], ['按时签收率', COLORS.sign, 'line'], ['按时办结率', COLORS.answer, 'line']], m.left, 18)}
${countTicks.map((t) => html`<line x1="${m.left}" y1="${n(yCount(t))}" x2="${width - m.right}" y2="${n(yCount(t))}" stroke="${COLORS.grid}"/><text x="${m.left - 6}" y="${n(yCount(t) + 4)}" font-size="12" text-anchor="end" fill="${COLORS.muted}">${t}</text>`)}
${[0, 0.5, 1].map((r) => html`<text x="${width - m.right + 6}" y="${n(yRate(r) + 4)}" font-size="12" fill="${COLORS.muted}">${r * 100}%</text>`)}
${points.map((p) => html`<rect data-series="cases" x="${n(x(p.week)!)}" y="${n(yCount(p.cases))}" width="${n(x.bandwidth())}" height="${n(height - m.bottom - yCount(p.cases))}" fill="${COLORS.cases}"><title>${p.week}起一周 来件 ${p.cases}</title></rect>`)}
${points.map((p, i) => (i % 2 === points.length % 2 || i === points.length - 1 ? html`<text x="${n(mid(p))}" y="${height - m.bottom + 18}" font-size="12" text-anchor="middle" fill="${COLORS.muted}">${p.week.slice(5)}</text>` : ''))}
<path data-series="sign" d="${path((p) => p.signedOnTimeRate)}" fill="none" stroke="${COLORS.sign}" stroke-width="3"/>
<path data-series="answer" d="${path((p) => p.answeredOnTimeRate)}" fill="none" stroke="${COLORS.answer}" stroke-width="3" stroke-dasharray="7 4"/>
${dots((p) => p.signedOnTimeRate, COLORS.sign, '按时签收率')}
${dots((p) => p.answeredOnTimeRate, COLORS.answer, '按时办结率')}
</svg>
<figcaption class="small muted">横轴为每周一的日期。按时率只计已到期或已办理的转办件；尚无可计算的周不画点。</figcaption>
</figure>`;
}
