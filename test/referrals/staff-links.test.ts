import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { notifyDutyOfficers } from '../../src/intake/duty.js';
import { createReferrals } from '../../src/referrals/create.js';
import { announcementText, urgeText } from '../../src/referrals/messages.js';
import { unitOfReferral } from '../../src/referrals/units.js';
import { startupLines } from '../../src/startup-lines.js';
import { makeCase, plan, sentTo, useHarness } from '../jobs/harness.js';

/**
 * Staff notices link to the console only where a staff phone can open it. With PUBLIC_BASE_URL unset or pointing at
 * this machine (outside the demo), they say where to look in the console instead, and the first lines of npm start
 * say why and what to set.
 */

const h = useHarness({ env: { PUBLIC_BASE_URL: 'http://127.0.0.1:3000' } });

describe('links in staff notices', () => {
  it('a local PUBLIC_BASE_URL: the WeCom announcement and the duty flag carry no link, and tell staff where to look', async () => {
    expect(h.env.config.http).toMatchObject({ publicUrlProblem: 'local', staffLinks: false });
    const c = await makeCase(h, { townshipCode: 'zaoyuan', phone: '13812345678' });
    const { referrals } = await createReferrals(h.deps, {
      caseId: c.id,
      caseTrackingNumber: c.trackingNumber,
      caseType: 'application',
      urgent: false,
      now: h.clock.now(),
      planned: [plan({ step: 'investigate', unit: { kind: 'township', code: 'zaoyuan' } })],
    });
    const task = await h.env.deps.db.dutyTask.create({ data: { kind: 'asked_for_person', reason: '居民要求转人工', caseId: c.id } });
    await notifyDutyOfficers(h.deps, task.id, h.clock.now());
    await h.jobs.settle();
    const [announcement] = sentTo(h, 'zaoyuan01');
    expect(announcement!.content).toContain(referrals[0]!.trackingNumber);
    expect(announcement!.content).toContain('请登录工作台签收办理（在“转办件”中按承办编号查找）');
    const flag = h.wecom.sent.find((m) => m.content.includes('居民要求转人工'));
    expect(flag?.content).toContain('请登录工作台，在“值班队列”中接手。');
    for (const m of h.wecom.sent) expect(m.content).not.toMatch(/https?:\/\/|127\.0\.0\.1|localhost/);
  });

  it('each notice links to the public address once it is set, and never to this machine outside the demo', async () => {
    const [r] = await h.env.deps.db.referral.findMany({ take: 1 });
    const unit = unitOfReferral(h.env.deps.directory, r!);
    const texts = (env: Record<string, string>) => {
      const deps = { directory: h.env.deps.directory, config: parseConfig(env) };
      return [announcementText(deps, r!, null), urgeText(deps, r!, unit)];
    };
    for (const t of texts({ PUBLIC_BASE_URL: 'https://hotline.example.gov.cn' })) expect(t).toContain(`https://hotline.example.gov.cn/console/referrals/${r!.trackingNumber}`);
    for (const env of [{ NODE_ENV: 'test' }, { PUBLIC_BASE_URL: 'http://localhost:3000', COUNTY_FILE: 'data/counties/other.json' }] as Record<string, string>[]) {
      const [announce, urge] = texts(env);
      expect(announce).not.toMatch(/http/);
      expect(urge).toMatch(/请立即办理并反馈。请登录工作台，在“转办件”中按编号查找。$/);
    }
    // `npm start` as shipped (the demo county, development): one machine, where the link opens.
    expect(texts({})[1]).toContain('http://localhost:3000/console/referrals/');
  });

  it('npm start says once what is missing and what to set', () => {
    const lines = (env: Record<string, string>) => startupLines(parseConfig(env)).filter((l) => l.startsWith('staff notices'));
    expect(lines({ NODE_ENV: 'test' })).toEqual([expect.stringMatching(/^staff notices: sent without links, because PUBLIC_BASE_URL is not set .*set PUBLIC_BASE_URL to/)]);
    expect(lines({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'http://127.0.0.1:3000' })).toEqual([expect.stringContaining('PUBLIC_BASE_URL (http://127.0.0.1:3000) is this machine')]);
    expect(lines({})).toEqual([expect.stringContaining('opens on this machine only (a demo)')]);
    expect(lines({ NODE_ENV: 'test', PUBLIC_BASE_URL: 'https://hotline.example.gov.cn' })).toEqual([]);
  });
});
