import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calendarNotices } from '../../src/staff/calendar-notice.js';
import { smsResident } from '../helpers/sms-resident.js';
import { buildWorld, makeReferral, OUR_NUMBER, TWILIO, township, type StaffKey, type World } from '../staff/world.js';

/**
 * A county's day in headless Chromium, as each role lives it: reports arrive by signed SMS (one urgent), the duty
 * officer takes over the urgent one, replies and hands it back; township and agency staff sign for their referrals
 * and report results; the supervisor reads the dashboard, urges a late referral, exports a register and records a
 * follow-up call. Every page visited is checked: no error page, no English, a banner only where the database shows
 * that it happened, and a way forward (every link on it leads somewhere).
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const missing = !existsSync(CHROMIUM);

/**
 * Latin words staff may read: file formats named on the download links (CSV, XLSX) and Excel, the program those
 * files open in, which Chinese offices call by that name.
 */
const ALLOWED_WORDS = new Set(['CSV', 'XLSX', 'EXCEL']);
const ERROR_TITLES = /^(没有找到|没有权限|无法办理|系统错误|无法完成操作)$/;

let w: World;
let browser: Browser;
let base: string;
const say = smsResident(() => w.env, { sid: TWILIO.accountSid, token: TWILIO.authToken, to: OUR_NUMBER });
const followed = new Set<string>();
const db = () => w.env.deps.db;

/** What the checks read from a page, in one round trip. */
const readPage = (page: Page) =>
  page.evaluate(() => {
    const main = document.querySelector('main')!;
    const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
    // What a person reads: the title, visible text, placeholders, labels for screen readers and every option.
    const text = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll<HTMLInputElement>('[placeholder]')) text.push(el.placeholder);
    for (const el of document.querySelectorAll('[aria-label]')) text.push(el.getAttribute('aria-label') ?? '');
    for (const el of document.querySelectorAll('option')) text.push(el.textContent ?? '');
    return {
      title: main.querySelector('h1')?.textContent?.trim() ?? '',
      alerts: main.querySelectorAll('[role=alert]').length,
      text: text.join('\n'),
      banners: [...main.querySelectorAll('.notice[role=status]:not([data-calendar-year])')].map((e) => e.textContent ?? ''),
      calendarYears: [...main.querySelectorAll('[data-calendar-year]')].map((e) => Number(e.getAttribute('data-calendar-year'))).sort(),
      forward: [...main.querySelectorAll('a[href], button')].filter(shown).length,
      // Downloads build whole registers: the walk downloads one itself.
      links: [...document.querySelectorAll<HTMLAnchorElement>('main a[href]:not([download]), nav a[href]')].map((a) => a.href),
    };
  });

/**
 * The checks every page passes. `banner`: the one confirmation expected after an action, and `truth`, what the
 * database must show for it to be true; without it no banner may show. A calendar warning must match the calendar.
 */
async function check(page: Page, banner?: RegExp, truth?: () => Promise<void>): Promise<void> {
  const where = new URL(page.url()).pathname;
  const seen = await readPage(page);
  expect(seen.title, `${where}: an error page`).not.toMatch(ERROR_TITLES);
  expect(seen.alerts, `${where}: an error shown`).toBe(0);

  expect(englishIn(seen.text), `${where}: English on the page`).toEqual([]);

  if (banner) {
    expect(seen.banners, `${where}: the banner`).toEqual([expect.stringMatching(banner)]);
    await truth?.();
  } else {
    expect(seen.banners, `${where}: a banner with no action behind it`).toEqual([]);
  }
  if (seen.calendarYears.length > 0) {
    const due = await calendarNotices({ ...w.env.deps, calendar: w.deps.calendar }, w.env.deps.now());
    expect(seen.calendarYears, `${where}: calendar warnings`).toEqual(due.map((n) => n.year));
  }

  // A way forward: something to do or somewhere to go in the page itself, and every link there leads to a page.
  expect(seen.forward, `${where}: a dead end`).toBeGreaterThan(0);
  const unseen = [...new Set(seen.links)].filter((href) => {
    const url = new URL(href);
    const key = url.pathname + url.search;
    if (url.origin !== new URL(base).origin || followed.has(key)) return false;
    followed.add(key);
    return true;
  });
  const pages = await Promise.all(
    unseen.map(async (href) => {
      const res = await page.context().request.get(href);
      const html = /text\/html/.test(res.headers()['content-type'] ?? '') ? await res.text() : '';
      return { link: new URL(href).pathname + new URL(href).search, status: res.status(), words: englishIn(textOf(html)) };
    }),
  );
  for (const p of pages) {
    expect(p.status, `${where} links to ${p.link}`).toBeLessThan(400);
    expect(p.words, `${p.link} (linked from ${where}): English on the page`).toEqual([]);
  }
}

/** Latin words outside the allowed few. */
const englishIn = (text: string) => [...text.matchAll(/[A-Za-z]{2,}/g)].map((m) => m[0]).filter((word) => !ALLOWED_WORDS.has(word.toUpperCase()));

/** The text of a page fetched but not opened (a linked page): its markup, scripts and styles left out. */
const textOf = (html: string) =>
  html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/g, ' ');

async function signInAs(who: StaffKey): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  // Confirmation dialogs (交回机器人) are answered yes, as the staff member means to go on.
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/console`);
  await check(page);
  await page.getByLabel('登录令牌').fill(w.token[who]);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/login'));
  await check(page);
  return page;
}

/** Clicks and waits for the page the click leads to (a form post's redirect, a link). */
async function go(page: Page, click: () => Promise<unknown>, to: string | RegExp): Promise<void> {
  await Promise.all([page.waitForURL(to), click()]);
}

const FROM = { applicant: '+8613800138111', fire: '+8613900139222' };

/** A resident answering whatever the application dialog asks next, until it gives a tracking number. */
async function apply(from: string, opening: string): Promise<void> {
  const answers: [RegExp, string][] = [
    [/号码.*联系/, '是'],
    [/本人|替别人/, '1'],
    [/授权|同意/, '同意'],
    [/困难/, '老伴去年病故，家里没有收入'],
    [/危险/, '没有'],
    [/对吗|是否正确|核对|确认/, '对'],
  ];
  let reply = await say(from, opening);
  for (let turn = 0; turn < 8 && !/承办编号/.test(reply); turn++) {
    const next = answers.find(([asked]) => asked.test(reply));
    if (!next) throw new Error(`the resident does not know what to answer to: ${reply}`);
    reply = await say(from, next[1]);
  }
  expect(reply).toMatch(/承办编号/);
}

describe.skipIf(missing)(`a county day in headless Chromium (${CHROMIUM})`, () => {
  beforeAll(async () => {
    // Plain http on loopback, as the other browser tests; the SMS webhook is signed against this address.
    w = await buildWorld({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    base = await w.env.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  const day = {} as { urgentTask: string; conversation: string; township: string; agency: string; late: string };

  it('residents report by SMS: an application for 低保, and a fire with someone inside', async () => {
    await apply(FROM.applicant, '我叫王秀英，身份证11010519491231002X，家里三口人，住枣园镇东鲁村。老伴去年病故，家里没有收入，想申请低保');
    const kase = await db().case.findFirstOrThrow({ where: { phone: FROM.applicant.slice(3) }, include: { referrals: true } });
    day.township = kase.referrals.find((r) => r.unitKind === 'township')!.trackingNumber;
    day.agency = kase.referrals.find((r) => r.unitKind === 'agency')!.trackingNumber;

    expect(await say(FROM.fire, '家里着火了，我奶奶还在屋里出不来')).toMatch(/119/);
    const task = await db().dutyTask.findFirstOrThrow({ where: { urgent: true, contact: FROM.fire } });
    day.urgentTask = task.id;
    day.conversation = task.conversationId!;
    // Yesterday's work: a referral to 半程镇 dispatched weeks ago and never signed for.
    day.late = (await makeReferral(w, township('bancheng'), { township: 'bancheng', name: '李老汉', at: new Date(Date.now() - 40 * 86_400_000) })).referral.trackingNumber;
  });

  it('the duty officer takes over the urgent report, replies and hands it back, which closes the task', async () => {
    const page = await signInAs('duty');
    expect(new URL(page.url()).pathname).toBe('/console/duty');
    const row = page.locator('#queue tr', { hasText: '紧急' }).first();
    await go(page, () => row.getByRole('button', { name: '接管对话' }).click(), /done=taken/);
    await check(page, /^已接管对话，机器人暂停回复。$/, async () => {
      const c = await db().conversation.findUniqueOrThrow({ where: { id: day.conversation } });
      expect([c.status, c.heldById]).toEqual(['staff', w.id.duty]);
    });

    const words = '您好，我是值班员。请先带老人离开屋子，消防已在路上。';
    await page.getByLabel(/回复居民/).fill(words);
    await go(page, () => page.getByRole('button', { name: '发送' }).click(), /done=replied/);
    await check(page, /^回复已发送。$/, async () => {
      expect(w.twilio.messages.at(-1)).toMatchObject({ to: FROM.fire, body: words });
      expect(await db().message.findFirst({ where: { direction: 'outbound', text: words, status: 'sent' } })).not.toBeNull();
    });

    await go(page, () => page.getByRole('button', { name: '交回机器人' }).click(), /\/console\/duty\?done=released/);
    await check(page, /^已交回机器人继续接待，您接手的该任务随之办结。$/, async () => {
      const c = await db().conversation.findUniqueOrThrow({ where: { id: day.conversation } });
      expect([c.status, c.heldById]).toEqual(['bot', null]);
      expect((await db().dutyTask.findUniqueOrThrow({ where: { id: day.urgentTask } })).status).toBe('done');
    });
    await page.context().close();
  });

  /** Sign for a referral from the worklist and report the result, as its unit. */
  async function work(who: StaffKey, trackingNumber: string, result: string, told: RegExp, note?: string) {
    const page = await signInAs(who);
    await go(page, () => page.getByRole('link', { name: trackingNumber }).click(), `**/console/referrals/${trackingNumber}`);
    await check(page);
    await go(page, () => page.getByRole('button', { name: '签收', exact: true }).click(), /done=signed/);
    await check(page, /^已签收。/, async () => {
      const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber } });
      expect(r.status).toBe('signed');
      expect(r.signedAt).not.toBeNull();
    });
    if (note) {
      await page.getByText('记录办理情况').click();
      await page.getByLabel(/^办理情况/).fill(note);
      await go(page, () => page.getByRole('button', { name: '保存记录' }).click(), /done=noted/);
      await check(page, /^办理情况已记录。$/, async () => {
        const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber } });
        expect(r.status).toBe('in_progress');
        expect(await db().auditEvent.count({ where: { referralId: r.id, action: 'referral.handling_noted' } })).toBe(1);
      });
    }
    await page.getByLabel(/^办理结果/).fill(result);
    await go(page, () => page.getByRole('button', { name: '提交反馈' }).click(), /done=answered/);
    await check(page, told, async () => {
      const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber } });
      expect([r.status, r.feedbackResult]).toEqual(['answered', result]);
    });
    await page.context().close();
  }

  it('township staff sign for the investigation and report what they found, to the county', async () => {
    await work('zaoyuan', day.township, '已入户核查：家中三口人，无固定收入，情况属实。', /^已反馈办理结果。本环节的结果报县级，不直接发给居民。$/);
    const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber: day.township } });
    expect(await db().message.count({ where: { idempotencyKey: { startsWith: `referral.${r.id}.answer` } } })).toBe(0);
  });

  it('agency staff sign for their part, note the work and answer; the resident is sent the result', async () => {
    await work('minzheng', day.agency, '经审核，已纳入最低生活保障，每月发放保障金。', /^已反馈办理结果。结果已交由系统发给居民/, '已电话联系申请人，约定补交材料');
    const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber: day.agency } });
    expect(await db().message.findFirst({ where: { idempotencyKey: `referral.${r.id}.answer.0`, recipient: FROM.applicant } })).not.toBeNull();
    expect(await db().referralTimer.findFirst({ where: { referralId: r.id, step: 'follow_up', cancelledAt: null } })).not.toBeNull();
  });

  it('the supervisor reads the dashboard and its overdue count, and urges the late referral', async () => {
    const page = await signInAs('supervisor');
    expect(new URL(page.url()).pathname).toBe('/console/supervise');
    for (const chart of ['units', 'trend']) await expect.poll(() => page.locator(`figure[data-chart="${chart}"] svg`).count()).toBe(1);
    const now = new Date();
    const overdue = await db().referral.count({
      where: { OR: [{ status: { in: ['dispatched', 'signed', 'in_progress'] }, dueAt: { lt: now } }, { status: 'dispatched', signDueAt: { lt: now } }] },
    });
    expect(overdue).toBe(1);
    expect(await page.locator('a.stat', { hasText: '已超期' }).locator('strong').textContent()).toBe(String(overdue));

    await go(page, () => page.getByRole('link', { name: day.late }).first().click(), `**/console/referrals/${day.late}`);
    await check(page);
    await go(page, () => page.getByRole('button', { name: '催办' }).click(), /done=urged/);
    await check(page, /^已催办/, async () => {
      const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber: day.late } });
      expect(await db().auditEvent.count({ where: { referralId: r.id, action: 'referral.urged' } })).toBe(1);
      const sent = await db().message.findMany({ where: { idempotencyKey: { startsWith: `referral.${r.id}.urged.` } } });
      expect(sent.length).toBeGreaterThan(0);
      for (const m of sent) expect(m.text).toContain('【催办】');
    });
    await page.context().close();
  });

  it('the supervisor exports a register and records a follow-up call', async () => {
    const page = await signInAs('supervisor');
    await go(page, () => page.getByRole('link', { name: '台账导出' }).click(), '**/console/exports');
    await check(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 .xlsx' }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/^[\u4e00-\u9fff].*\.xlsx$/);
    const file = await download.createReadStream();
    const head = await new Promise<Buffer>((resolve) => file.once('data', (b) => resolve(b as Buffer)));
    expect(head.subarray(0, 2).toString()).toBe('PK');

    // 回访 by telephone: the agency's answer reached the resident, who says they are satisfied.
    await page.goto(`${base}/console/referrals/${day.agency}`);
    await check(page);
    await page.getByRole('radio', { name: '居民满意（办结）' }).check();
    await page.getByLabel(/^回访情况/).fill('电话回访，居民表示已收到保障金，满意。');
    await go(page, () => page.getByRole('button', { name: '记录回访' }).click(), /done=follow_up_satisfied/);
    await check(page, /^回访已记录：居民满意，转办件已办结。$/, async () => {
      const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber: day.agency } });
      expect([r.status, r.satisfaction]).toEqual(['closed', 'satisfied']);
    });
    await page.context().close();
  });
});
