import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, makeCase, type StaffKey, type World } from '../staff/world.js';

/**
 * Issue 16: a request the route's JSON schema refuses (fastify's validator) is answered in Chinese, naming the field
 * and what is wrong, with the code invalid_request and the field, rule and parameters for API clients. The handler
 * never runs, so nothing is written.
 */

let w: World;
let personId: string;
beforeAll(async () => {
  w = await buildWorld();
  const made = await w.api('zaoyuan', 'POST', '/api/v1/roster', { name: '孙爷爷', category: 'extreme_poverty', visitEveryDays: 30 });
  expect(made.statusCode).toBe(201);
  personId = made.json().id;
});
afterAll(async () => {
  await w?.close();
});

type Refusal = { code: string; message: string; details: { in: string; problems: { field: string; rule: string; params: Record<string, unknown>; message: string }[] } };

async function refused(who: StaffKey, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Refusal> {
  const res = await w.api(who, method, url, payload);
  expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}`).toBe(400);
  const error = res.json().error as Refusal;
  expect(error.code).toBe('invalid_request');
  // Chinese first; the validator's English only after " / ", as in every bilingual message of the API.
  const [chinese] = error.message.split(' / ');
  expect(chinese).toMatch(/^请求有误：[^]*[\u4e00-\u9fff]/);
  expect(chinese).not.toMatch(/must /);
  return error;
}

/** Everything the refused calls below could have written. */
async function snapshot() {
  const db = w.env.deps.db;
  return {
    keyPersons: await db.keyPerson.findMany({ orderBy: { id: 'asc' } }),
    visits: await db.visit.count(),
    cases: await db.case.findMany({ select: { id: true, published: true }, orderBy: { id: 'asc' } }),
    audit: await db.auditEvent.count(),
  };
}

describe('schema validation failures in Chinese', () => {
  it('adding to the roster: a missing, too long, unknown or out-of-range field is named and explained; nothing is added', async () => {
    const before = await snapshot();

    const missing = await refused('zaoyuan', 'POST', '/api/v1/roster', { category: 'child' });
    expect(missing.message).toContain('缺少必填字段 body.name');
    expect(missing.details).toEqual({ in: 'body', problems: [{ field: 'body.name', rule: 'required', params: { missingProperty: 'name' }, message: '缺少必填字段 body.name' }] });

    const long = await refused('zaoyuan', 'POST', '/api/v1/roster', { name: '孙'.repeat(51), category: 'child' });
    expect(long.message).toContain('body.name 太长：最多 50 个字');
    expect(long.details.problems).toEqual([expect.objectContaining({ field: 'body.name', rule: 'maxLength', params: { limit: 50 } })]);

    const unknown = await refused('zaoyuan', 'POST', '/api/v1/roster', { name: '吴某', category: 'alien' });
    expect(unknown.message).toContain('body.category 不在可选值内：应为 minimum_living、extreme_poverty');
    expect(unknown.details.problems[0]).toMatchObject({ field: 'body.category', rule: 'enum', params: { allowedValues: expect.arrayContaining(['child', 'elderly']) } });

    const zero = await refused('zaoyuan', 'POST', '/api/v1/roster', { name: '吴某', category: 'child', visitEveryDays: 0 });
    expect(zero.message).toContain('body.visitEveryDays 太小：不能小于 1');
    expect(zero.details.problems[0]).toMatchObject({ field: 'body.visitEveryDays', rule: 'minimum', params: { limit: 1 } });

    const notANumber = await refused('zaoyuan', 'POST', '/api/v1/roster', { name: '吴某', category: 'child', visitEveryDays: '每月' });
    expect(notANumber.message).toContain('body.visitEveryDays 的类型不对：应为整数');

    const noBody = await refused('zaoyuan', 'POST', '/api/v1/roster');
    expect(noBody.message).toContain('请求体的类型不对：应为对象');
    expect(noBody.details.problems[0]).toMatchObject({ field: 'body', rule: 'type' });

    expect(await snapshot()).toEqual(before);
  });

  it('recording a visit: a date in the wrong form and findings too short are refused; no visit, the due date unmoved', async () => {
    const before = await snapshot();
    const url = `/api/v1/roster/${personId}/visits`;

    const date = await refused('zaoyuan', 'POST', url, { visitedOn: '2026/10/01', findings: '本人在家，取暖已落实' });
    expect(date.message).toContain('body.visitedOn 格式不对');
    expect(date.details.problems[0]).toMatchObject({ field: 'body.visitedOn', rule: 'pattern' });

    const short = await refused('zaoyuan', 'POST', url, { visitedOn: '2026-10-01', findings: '好' });
    expect(short.message).toContain('body.findings 太短：至少 2 个字');
    expect(short.details.problems[0]).toMatchObject({ field: 'body.findings', rule: 'minLength', params: { limit: 2 } });

    const id = await refused('zaoyuan', 'POST', '/api/v1/roster/not-an-id/visits', { visitedOn: '2026-10-01', findings: '本人在家' });
    expect(id.message).toContain('params.id 格式不对：应为编号（UUID');
    expect(id.details).toMatchObject({ in: 'params', problems: [{ field: 'params.id' }] });

    expect(await snapshot()).toEqual(before);
  });

  it('publishing a case: a missing or non-boolean flag is refused; the case stays as it was, no audit line', async () => {
    const kase = await makeCase(w, { township: 'zaoyuan' });
    const before = await snapshot();
    const url = `/api/v1/cases/${kase.trackingNumber}/published`;

    const missing = await refused('supervisor', 'PUT', url, {});
    expect(missing.message).toContain('缺少必填字段 body.published');
    expect(missing.details.problems[0]).toMatchObject({ field: 'body.published', rule: 'required' });

    const word = await refused('supervisor', 'PUT', url, { published: 'maybe' });
    expect(word.message).toContain('body.published 的类型不对：应为是或否（true / false）');
    expect(word.details.problems[0]).toMatchObject({ field: 'body.published', rule: 'type', params: { type: 'boolean' } });

    expect(await snapshot()).toEqual(before);
  });

  it('a query is told the same way', async () => {
    const week = await refused('supervisor', 'GET', '/api/v1/supervision/reports?period=week');
    expect(week.message).toContain('querystring.period 不在可选值内：应为 month、day 之一');
    expect(week.details).toMatchObject({ in: 'querystring', problems: [{ field: 'querystring.period', rule: 'enum', params: { allowedValues: ['month', 'day'] } }] });
  });
});
