import type { LoadedDirectory } from '../directory/store.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { ROLE_LABELS, type StaffRole } from '../staff/access.js';
import { Html, html } from './html.js';

/** What every console page knows: who is signed in, the CSRF token for its forms, the county, where we are. */
export type PageContext = {
  staff: StaffPrincipal | null;
  csrfToken: string;
  directory: LoadedDirectory;
  path: string;
  /** The service's clock (deps.now), for dates the page offers as defaults. */
  now: Date;
  /** Cache-busting version of the static assets. */
  assetVersion: string;
  notice?: string;
  error?: string;
  /** The error's code (as the API answers it), carried on the alert as `data-code` for support and tests. */
  errorCode?: string;
};

type NavItem = { href: string; label: string; roles: readonly StaffRole[] };

/**
 * The work each role does. The developers' tools (/admin/queues, /docs) are not among them: there is no administrator
 * role among the staff, and a supervisor who followed one would land in English screens; the operator opens them by
 * address.
 */

const NAV: NavItem[] = [
  { href: '/console/supervise', label: '督办总览', roles: ['supervisor'] },
  { href: '/console/duty', label: '值班队列', roles: ['duty_officer', 'supervisor'] },
  { href: '/console/referrals', label: '转办件', roles: ['township_staff', 'agency_staff', 'supervisor', 'duty_officer'] },
  { href: '/console/roster', label: '重点人群', roles: ['township_staff', 'supervisor'] },
  { href: '/console/clues/new', label: '上报线索', roles: ['township_staff', 'agency_staff', 'supervisor', 'duty_officer'] },
  { href: '/console/exports', label: '台账导出', roles: ['township_staff', 'agency_staff', 'supervisor', 'duty_officer'] },
];

/** The unit a staff member belongs to, by name, for the header. */
export function unitName(directory: LoadedDirectory, staff: StaffPrincipal): string {
  const d = directory.directory;
  if (staff.townshipId) return d.townships.find((t) => directory.townshipId(t.code) === staff.townshipId)?.name ?? '';
  if (staff.agencyId) return d.agencies.find((a) => directory.agencyId(a.code) === staff.agencyId)?.name ?? '';
  return d.county.window.name;
}

export const csrfField = (ctx: PageContext) => html`<input type="hidden" name="_csrf" value="${ctx.csrfToken}">`;

function nav(ctx: PageContext): Html {
  const staff = ctx.staff;
  if (!staff) return html``;
  const items = NAV.filter((n) => n.roles.includes(staff.role));
  return html`<nav class="main" aria-label="主导航"><ul>${items.map(
    (n) => html`<li><a href="${n.href}"${ctx.path.startsWith(n.href) ? html` aria-current="page"` : ''}>${n.label}</a></li>`,
  )}</ul></nav>`;
}

/** A whole console page. */
export function page(ctx: PageContext, title: string, body: Html): string {
  const county = ctx.directory.directory.county;
  const staff = ctx.staff;
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${county.name}社会救助热线</title>
<link rel="icon" href="/console/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css?v=${ctx.assetVersion}">
<script src="/console/assets/console.js?v=${ctx.assetVersion}" defer></script>
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="top"><div class="bar">
  <a class="title" href="/console">${county.name} · 社会救助“一门受理”工作台</a>
  ${
    staff
      ? html`<div class="who"><span>${staff.name}（${ROLE_LABELS[staff.role]}·${unitName(ctx.directory, staff)}）</span>
  <form method="post" action="/console/logout">${csrfField(ctx)}<button type="submit">退出登录</button></form></div>`
      : ''
  }
</div></header>
${nav(ctx)}
<main id="main" tabindex="-1">
${ctx.notice ? html`<p class="notice" role="status">${ctx.notice}</p>` : ''}
${ctx.error ? html`<p class="error" role="alert"${ctx.errorCode ? html` data-code="${ctx.errorCode}"` : ''}>${ctx.error}</p>` : ''}
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value;
}

/**
 * A printable form: the same stylesheet, no navigation, a print button that the print itself hides. A downloaded
 * copy carries the stylesheet inside it, so it prints the same when opened from disk (no CSP applies there).
 */
export function printPage(ctx: PageContext, title: string, body: Html, links: { download: string; back: string }, standaloneCss?: string): string {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${
  standaloneCss
    ? new Html(`<style>${standaloneCss.replace(/<\//g, '<\\/')}</style>`)
    : html`<link rel="stylesheet" href="/console/assets/console.css?v=${ctx.assetVersion}">
<script src="/console/assets/console.js?v=${ctx.assetVersion}" defer></script>`
}
</head>
<body>
<div class="form-sheet">
<p class="actions no-print"><button type="button" data-print hidden>打印</button> <a class="button secondary" href="${links.download}">下载</a> <a href="${links.back}">返回</a></p>
${body}
</div>
</body>
</html>`.value;
}
