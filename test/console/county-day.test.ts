import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerReferral, requestExtension, signReferral } from '../../src/referrals/index.js';
import { calendarNotices } from '../../src/staff/calendar-notice.js';
import { smsResident } from '../helpers/sms-resident.js';
import { agency, buildWorld, makeConversation, makeReferral, OUR_NUMBER, TWILIO, township, type StaffKey, type World } from '../staff/world.js';

/**
 * A county's day in headless Chromium, as each role lives it: reports arrive by signed SMS (one urgent), the duty
 * officer takes over the urgent one, replies and hands it back; township and agency staff sign for their referrals
 * and report results; the supervisor reads the dashboard, urges a late referral, exports a register and records a
 * follow-up call. Every page visited is checked: no error page, no English, a banner only where the database shows
 * that it happened, and a way forward (every link on it leads somewhere). At the day's end each role presses every
 * button on the pages they use, on records of their own: each leads to a page or to an explanation in Chinese.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const missing = !existsSync(CHROMIUM);

/**
 * Latin words staff may read: file formats named on the download links (CSV, XLSX) and Excel, the program those
 * files open in, which Chinese offices call by that name; ID (as in ID number) and units of size. Web addresses
 * (`https://…`) and codes (`body_too_large`) are not words and are left out before looking.
 */
const ALLOWED_WORDS = new Set(['CSV', 'XLSX', 'EXCEL', 'ID', 'KB', 'MB']);
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
      // A confirmation of what was done; a warning about the record's state (.warn: 该对话已结束…) claims nothing.
      banners: [...main.querySelectorAll('.notice[role=status]:not([data-calendar-year]):not(.warn)')].map((e) => e.textContent ?? ''),
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
  await linksLead(page, seen.links);
}

/** Every link not followed yet leads to a page (below 400) with no English on it. */
async function linksLead(page: Page, links: string[]): Promise<void> {
  const where = new URL(page.url()).pathname;
  const unseen = [...new Set(links)].filter((href) => {
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
const englishIn = (text: string) =>
  [...text.replace(/https?:\/\/[^\s，。；）]+|\b[a-z]+(?:_[a-z]+)+\b/g, ' ').matchAll(/[A-Za-z]{2,}/g)]
    .map((m) => m[0])
    .filter((word) => !ALLOWED_WORDS.has(word.toUpperCase()));

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

/**
 * Buttons that take the record off the page or end what the others act on (the answer, a return, the end of a
 * conversation…): pressed after the rest, so the rest are reached first. 交回机器人 and 改派 before them: 接管 undoes
 * the one, and the other leaves the window's referral with nothing more to do, so a second one takes the answer.
 */
const PRESS_LAST: Record<string, number> = { 交回机器人: 1, 改派: 1, 提交反馈: 2, 退回县级窗口: 2, 结束对话: 2, 办结: 2, 记录回访: 2 };
const SUBMITS = 'button[type=submit], button:not([type]), input[type=submit]';

/** The submit buttons of the page's forms (also those folded in <details>), each keyed by what it does: method, action without the record's id, label. */
const buttonsOf = (page: Page) =>
  page.evaluate((submits) => {
    const forms = [...document.querySelectorAll<HTMLFormElement>('main form')];
    return forms.flatMap((form, f) =>
      [...form.querySelectorAll<HTMLElement>(submits)].map((b, i) => {
        const label = (b.textContent || (b as HTMLInputElement).value || '').trim();
        const action = new URL(form.action, location.href).pathname.replace(/\/[0-9a-f-]{36}(?=\/|$)|\/\d{12,15}(?:-\d+)?(?=\/|$)/g, '/…');
        return { key: `${form.method.toUpperCase()} ${action} ${label}`, label, form: f, index: i };
      }),
    );
  }, SUBMITS);

/** Fills what a form requires and is empty, as a staff member would: a sentence of Chinese, a later date, the first choice. */
const fillRequired = (page: Page, form: number) =>
  page.evaluate((f) => {
    const el = document.querySelectorAll<HTMLFormElement>('main form')[f]!;
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
    const later = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    for (const c of el.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('[required]')) {
      if (c instanceof HTMLSelectElement) {
        if (!c.value) c.value = [...c.options].find((o) => o.value)?.value ?? '';
      } else if (c instanceof HTMLInputElement && c.type === 'radio') {
        if (!el.querySelector(`input[name="${c.name}"]:checked`)) c.checked = true;
      } else if (c instanceof HTMLInputElement && c.type === 'checkbox') {
        c.checked = true;
      } else if (!c.value) {
        c.value = c.type === 'date' ? later : c.type === 'month' ? later.slice(0, 7) : c.type === 'number' ? (c as HTMLInputElement).min || '1' : c.type === 'tel' ? '13812345678' : '按规定核实办理，情况已记录。';
      }
    }
  }, form);

/**
 * Presses every button on the pages, once per kind (a button that does the same thing on another row or record is the
 * same kind): the page is opened afresh before each press, and the buttons that end things come last. Each press must
 * lead to a page (below 400: no error, no English, a banner only for an action), a download with a Chinese name, or an
 * explanation in Chinese (an error page with its alert, no English and a way back); never to nothing or to a 5xx.
 */
async function pressEverything(who: StaffKey, urls: string[]): Promise<string[]> {
  const page = await signInAs(who);
  const pressed: string[] = [];
  for (const url of urls) {
    for (let round = 0; round < 30; round++) {
      await page.goto(`${base}${url}`);
      await check(page);
      const todo = (await buttonsOf(page)).filter((b) => !pressed.includes(b.key)).sort((a, b) => (PRESS_LAST[a.label] ?? 0) - (PRESS_LAST[b.label] ?? 0))[0];
      if (!todo) break;
      pressed.push(todo.key);
      await fillRequired(page, todo.form);
      const download = page.waitForEvent('download', { timeout: 10_000 }).then((d) => ({ d }), () => null);
      const navigation = page.waitForNavigation({ timeout: 10_000 }).then((r) => ({ r }), () => null);
      await page.locator('main form').nth(todo.form).locator(SUBMITS).nth(todo.index).click();
      const outcome = await Promise.race([download, navigation]).then((first) => first ?? Promise.all([download, navigation]).then(([d, n]) => d ?? n));
      const what = `${url}: ${todo.label} (${todo.key})`;
      expect(outcome, `${what} did nothing`).not.toBeNull();
      if (outcome && 'd' in outcome) {
        expect(outcome.d.suggestedFilename(), `${what}: the download's name`).toMatch(/^[\u4e00-\u9fff]/);
        continue;
      }
      const status = outcome?.r?.status() ?? 200;
      expect(status, `${what}: a server error`).toBeLessThan(500);
      const seen = await readPage(page);
      expect(englishIn(seen.text), `${what}: English on the page`).toEqual([]);
      if (status < 400) {
        expect(seen.title, `${what}: an error page`).not.toMatch(ERROR_TITLES);
        expect(seen.alerts, `${what}: an error shown`).toBe(0);
        if (new URL(page.url()).searchParams.has('done')) expect(seen.banners.length, `${what}: no confirmation`).toBeGreaterThan(0);
      } else {
        // A refusal: said in Chinese, with a way back; never "no such page" (a button leading nowhere, or to the wrong method).
        expect([404, 405], `${what}: a button to nowhere`).not.toContain(status);
        expect(seen.title, `${what}: the refusal's title`).toMatch(ERROR_TITLES);
        expect(seen.alerts, `${what}: the refusal's explanation`).toBe(1);
        expect(seen.forward, `${what}: a refusal with no way back`).toBeGreaterThan(0);
      }
      await linksLead(page, seen.links);
    }
  }
  await page.context().close();
  return pressed;
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

  /** Referrals of the unit's own for the presses, dispatched now (a past `at` makes them late). */
  const spare = async (unit: Parameters<typeof makeReferral>[1], o: Parameters<typeof makeReferral>[2] = {}) => (await makeReferral(w, unit, o)).referral.trackingNumber;
  const actor = (who: StaffKey, role: 'township_staff' | 'agency_staff' | 'supervisor') => ({ type: 'staff' as const, id: w.id[who], role });
  const signed = async (tn: string, who: StaffKey) => {
    await signReferral(w.deps, { trackingNumber: tn, actor: actor(who, who === 'minzheng' ? 'agency_staff' : 'township_staff'), now: new Date() });
    return tn;
  };
  const pressedAll = (pressed: string[], expected: string[]) => expect(pressed.map((k) => k.split(' ').at(-1))).toEqual(expect.arrayContaining(expected));

  it('at day’s end the duty officer presses every button on the queue, a conversation, the worklist, a clue and the exports', async () => {
    const { conversation } = await makeConversation(w, { flag: 'asked_for_person', text: '我想找个人问问低保怎么申请' });
    const answered = await spare(township('zaoyuan'), { township: 'zaoyuan' });
    await signed(answered, 'zaoyuan');
    await answerReferral(w.deps, { trackingNumber: answered, actor: actor('zaoyuan', 'township_staff'), now: new Date(), feedback: { result: '已入户核查，情况属实', handler: '赵社工' } });
    const pressed = await pressEverything('duty', ['/console/duty', `/console/conversations/${conversation.id}`, '/console/referrals', `/console/referrals/${answered}`, '/console/clues/new', '/console/exports']);
    pressedAll(pressed, ['接管对话', '保存修改', '发送', '查看完整内容', '交回机器人', '结束对话', '办结', '筛选', '记录回访', '上报线索', '导出完整台账']);
  });

  it('at day’s end township staff press every button on their worklist, referrals, roster, a clue and the exports', async () => {
    const person = await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '孙爷爷', category: 'extreme_poverty', visitEveryDays: 30 });
    expect(person.statusCode).toBe(201);
    const first = await spare(township('zaoyuan'), { township: 'zaoyuan' });
    const second = await spare(township('zaoyuan'), { township: 'zaoyuan' });
    const pressed = await pressEverything('zaoyuan', [
      '/console/referrals',
      `/console/referrals/${first}`,
      `/console/referrals/${second}`,
      '/console/roster',
      '/console/roster/new',
      `/console/roster/${person.json().id}`,
      '/console/clues/new',
      '/console/exports',
    ]);
    pressedAll(pressed, ['筛选', '签收', '保存记录', '提交延期申请', '查看完整信息', '提交反馈', '退回县级窗口', '加入花名册', '保存巡访记录', '上报线索', '导出完整台账']);
  });

  it('at day’s end agency staff press every button on their worklist, referrals, a clue and the exports', async () => {
    const first = await spare(agency('minzheng'), { township: 'zaoyuan' });
    const second = await spare(agency('minzheng'), { township: 'zaoyuan' });
    const pressed = await pressEverything('minzheng', ['/console/referrals', `/console/referrals/${first}`, `/console/referrals/${second}`, '/console/clues/new', '/console/exports']);
    pressedAll(pressed, ['筛选', '签收', '保存记录', '提交延期申请', '提交反馈', '退回县级窗口', '上报线索', '导出完整台账']);
  });

  it('at day’s end the supervisor presses every button on the dashboard, the worklist, referrals in every state they act on, the roster and the exports', async () => {
    await makeConversation(w, { flag: 'asked_for_person', text: '我要找人工' });
    const late = await spare(township('bancheng'), { township: 'bancheng', at: new Date(Date.now() - 40 * 86_400_000) });
    const atWindow = await spare({ kind: 'county_window', code: 'minzheng' });
    // Signed for already, so its answer is reached once 改派 has been pressed on the first.
    const alsoAtWindow = await spare({ kind: 'county_window', code: 'minzheng' });
    await signReferral(w.deps, { trackingNumber: alsoAtWindow, actor: actor('supervisor', 'supervisor'), now: new Date() });
    const extended = await signed(await spare(township('zaoyuan'), { township: 'zaoyuan' }), 'zaoyuan');
    const r = await db().referral.findUniqueOrThrow({ where: { trackingNumber: extended } });
    await requestExtension(w.deps, { trackingNumber: extended, reason: '等待残疾等级鉴定结果', dueAt: new Date(r.dueAt.getTime() + 10 * 86_400_000), actor: actor('zaoyuan', 'township_staff'), now: new Date() });
    const answered = await signed(await spare(township('zaoyuan'), { township: 'zaoyuan' }), 'zaoyuan');
    await answerReferral(w.deps, { trackingNumber: answered, actor: actor('zaoyuan', 'township_staff'), now: new Date(), feedback: { result: '已发放临时救助金', handler: '赵社工' } });
    const pressed = await pressEverything('supervisor', [
      '/console/supervise',
      '/console/supervise/reports',
      '/console/duty',
      '/console/referrals',
      `/console/referrals/${late}`,
      `/console/referrals/${atWindow}`,
      `/console/referrals/${alsoAtWindow}`,
      `/console/referrals/${extended}`,
      `/console/referrals/${answered}`,
      '/console/roster',
      '/console/clues/new',
      '/console/exports',
    ]);
    pressedAll(pressed, ['查看', '筛选', '催办', '改派', '签收', '提交反馈', '批准延期', '记录回访', '查看完整信息', '接管对话', '办结', '上报线索', '导出完整台账']);
  });
});
