import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, makeConversation, makeReferral, OUR_NUMBER, township, type StaffKey, type World } from '../staff/world.js';

/**
 * The console in a real headless Chromium: sign in, take over a flagged conversation and reply (the fake Twilio
 * receives the SMS), watch the queue update without a reload, sign and answer a referral, and be refused another
 * township's referral. Set SCREENSHOT_DIR to keep screenshots of each step.
 */

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const missing = !existsSync(CHROMIUM);
if (missing) console.warn(`browser tests skipped: ${CHROMIUM} is missing (install Debian's chromium package: apt-get install chromium)`);

let w: World;
let browser: Browser;
let base: string;

async function shot(page: Page, name: string) {
  if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

async function signInAs(who: StaffKey, viewport = { width: 1024, height: 768 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${base}/console`);
  await expect.poll(() => page.url()).toContain('/console/login');
  await page.getByLabel('登录令牌').fill(w.token[who]);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/console/login'));
  return page;
}

describe.skipIf(missing)(`the console in headless Chromium (${CHROMIUM})`, () => {
  beforeAll(async () => {
    // Plain http on loopback: the session cookie is not Secure and requests are not upgraded.
    w = await buildWorld({ PUBLIC_BASE_URL: 'http://127.0.0.1' });
    base = await w.env.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await w?.close();
  });

  it('a duty officer takes over a flagged conversation and replies; the resident gets the SMS', async () => {
    const { conversation, sender } = await makeConversation(w, {
      urgent: true,
      flag: 'urgent',
      text: '家里着火了，我奶奶还在屋里',
      state: { flow: 'emergency', step: 'where', emergency: { what: '家里着火了，老人被困', dangerNow: true } },
    });
    const page = await signInAs('duty');
    expect(new URL(page.url()).pathname).toBe('/console/duty');
    await expect.poll(() => page.locator('#queue').textContent()).toContain('紧急');
    await shot(page, 'duty-queue');

    // A new flag arrives while the page is open: the queue shows it without a reload.
    await w.env.deps.db.dutyTask.create({ data: { kind: 'callback', reason: '居民中途挂断，请回电补充住址', contact: '+8613900009999' } });
    await expect.poll(() => page.locator('#queue').textContent(), { timeout: 12_000 }).toContain('居民中途挂断，请回电补充住址');

    await page.locator('tr', { hasText: '紧急' }).getByRole('button', { name: '接管' }).click();
    await page.waitForURL(`**/console/conversations/${conversation.id}?done=taken`);
    await expect.poll(() => page.locator('main').textContent()).toContain('人工接待中');
    await page.getByLabel(/回复居民/).fill('您好，我是值班员。请先到安全的地方，消防已在路上。');
    await page.getByRole('button', { name: '发送' }).click();
    await page.waitForURL('**?done=replied');
    await expect.poll(() => w.twilio.messages.at(-1)).toMatchObject({ to: sender, from: OUR_NUMBER, body: '您好，我是值班员。请先到安全的地方，消防已在路上。' });
    await expect.poll(() => page.locator('.transcript').textContent()).toContain('工作人员 值班员 张敏');
    await shot(page, 'conversation');
    await page.context().close();
  });

  it('township staff sign for and answer a referral, and are refused another township’s', async () => {
    const mine = (await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', name: '王秀云' })).referral;
    const theirs = (await makeReferral(w, township('bancheng'), { township: 'bancheng', name: '半程居民' })).referral;
    const page = await signInAs('zaoyuan');
    expect(new URL(page.url()).pathname).toBe('/console/referrals');
    await expect.poll(() => page.locator('main').textContent()).toContain(mine.trackingNumber);
    expect(await page.locator('main').textContent()).not.toContain(theirs.trackingNumber);
    await shot(page, 'worklist');

    await page.getByRole('link', { name: mine.trackingNumber }).click();
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await page.waitForURL('**?done=signed');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已签收');

    await page.getByLabel(/办理结果/).fill('经入户核查，家庭情况属实，已按程序纳入低保。');
    await page.getByLabel('经办人').fill('赵社工');
    await page.getByRole('button', { name: '提交反馈' }).click();
    await page.waitForURL('**?done=answered');
    await expect.poll(() => page.locator('main').textContent()).toContain('已反馈');
    expect((await w.env.deps.db.referral.findUniqueOrThrow({ where: { id: mine.id } })).feedbackResult).toBe('经入户核查，家庭情况属实，已按程序纳入低保。');
    await shot(page, 'referral-answered');

    const refused = await page.goto(`${base}/console/referrals/${theirs.trackingNumber}`);
    expect(refused?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('没有找到');
    expect(await page.content()).not.toContain('半程居民');

    // Keyboard: the first Tab lands on the skip link, which is visible when focused.
    await page.goto(`${base}/console/referrals`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
    await page.context().close();
  });

  it('the duty queue holds its layout at 1280×800 and 1920×1080: no wrapped button, no sideways scroll; 办结 asks first', async () => {
    const { task } = await makeConversation(w, { urgent: true, flag: 'urgent', text: '老人摔倒了起不来', state: { flow: 'emergency', step: 'where', emergency: { what: '老人摔倒', townshipCode: 'zaoyuan', villageCode: 'donglu' } } });
    await w.env.deps.db.dutyTask.create({ data: { kind: 'callback', reason: '居民中途挂断，请回电补充住址', contact: '+8613900008888' } });
    for (const viewport of [{ width: 1280, height: 800 }, { width: 1920, height: 1080 }]) {
      const page = await signInAs('duty2', viewport);
      // The row shows where it happened, from what the dialog has captured so far.
      await expect.poll(() => page.locator('#queue').textContent()).toContain('枣园镇');
      const layout = await page.evaluate(() => {
        const lines = (el: Element) => {
          const r = document.createRange();
          r.selectNodeContents(el);
          return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
        };
        const wrapped = [...document.querySelectorAll('main button, main .button')].filter((b) => (b as HTMLElement).offsetParent !== null && lines(b) > 1).map((b) => b.textContent);
        return { wrapped, scroll: document.documentElement.scrollWidth, width: window.innerWidth };
      });
      expect(layout.wrapped).toEqual([]);
      expect(layout.scroll).toBeLessThanOrEqual(layout.width);
      const queue = await page.locator('#queue').screenshot();
      expect(queue.length).toBeGreaterThan(5_000);
      if (process.env.SCREENSHOT_DIR) await page.locator('#queue').screenshot({ path: join(process.env.SCREENSHOT_DIR, `duty-queue-${viewport.width}.png`) });
      await page.context().close();
    }

    // 办结 is final: the browser asks before it goes, and a "no" leaves the task where it was.
    const page = await signInAs('duty2', { width: 1280, height: 800 });
    await page.locator('tr', { hasText: '枣园镇' }).getByRole('button', { name: '接管对话' }).click();
    await page.goto(`${base}/console/duty`);
    const asked: string[] = [];
    page.removeAllListeners('dialog');
    page.on('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.locator(`#done-${task!.id}`).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('确定已处理完毕');
    expect((await w.env.deps.db.dutyTask.findUniqueOrThrow({ where: { id: task!.id } })).status).toBe('taken');
    await page.context().close();
  });

  it('the supervisor dashboard draws its charts (checked on a screenshot), with an icon and no developer links', async () => {
    await makeReferral(w, township('bancheng'), { township: 'bancheng', urgent: true, at: new Date(Date.now() - 3 * 3_600_000) });
    await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan' });
    const page = await signInAs('supervisor', { width: 1280, height: 800 });
    expect(new URL(page.url()).pathname).toBe('/console/supervise');
    expect(await page.locator('nav.main').textContent()).not.toMatch(/后台任务|接口文档/);
    expect(await page.evaluate(async () => (await fetch((document.querySelector('link[rel=icon]') as HTMLLinkElement).href)).status)).toBe(200);
    const colours = async (selector: string) => {
      const png = (await page.locator(selector).screenshot()).toString('base64');
      const blank = await page.context().newPage();
      try {
        return await blank.evaluate(async (b64) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.width;
          canvas.height = img.height;
          const g = canvas.getContext('2d')!;
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
          const near = (i: number, [r, gr, b]: number[]) => Math.abs(d[i]! - r!) + Math.abs(d[i + 1]! - gr!) + Math.abs(d[i + 2]! - b!) < 40;
          const count = { red: 0, blue: 0, pale: 0, green: 0 };
          for (let i = 0; i < d.length; i += 4) {
            if (near(i, [160, 0, 0])) count.red++;
            if (near(i, [74, 111, 165])) count.blue++;
            if (near(i, [184, 199, 220])) count.pale++;
            if (near(i, [29, 107, 47])) count.green++;
          }
          return count;
        }, png);
      } finally {
        await blank.close();
      }
    };
    const units = await colours('figure[data-chart="units"]');
    expect(units.blue).toBeGreaterThan(200);
    expect(units.red).toBeGreaterThan(100);
    const trend = await colours('figure[data-chart="trend"]');
    expect(trend.pale).toBeGreaterThan(100);
    await shot(page, 'supervise-charts');
    await page.context().close();
  });

  it('a register downloads as a spreadsheet with a Chinese name, not as a web page', async () => {
    const page = await signInAs('zaoyuan', { width: 1280, height: 800 });
    await page.goto(`${base}/console/exports`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 .xlsx' }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/^[\u4e00-\u9fff].*\.xlsx$/);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: '下载 .csv' }).first().click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    await page.context().close();
  });

  it('reads on a phone: worklist rows become labelled cards', async () => {
    const page = await signInAs('zaoyuan', { width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, 'worklist-phone');
    await page.context().close();
  });
});
