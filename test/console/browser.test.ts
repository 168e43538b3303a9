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

  it('reads on a phone: worklist rows become labelled cards', async () => {
    const page = await signInAs('zaoyuan', { width: 390, height: 844 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await shot(page, 'worklist-phone');
    await page.context().close();
  });
});
