import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, ID_NUMBER, makeCase, makeReferral, PHONE, township, type World } from '../staff/world.js';

let w: World;
const tn: Record<string, string> = {};
beforeAll(async () => {
  w = await buildWorld();
  tn.open = (await makeReferral(w, township('zaoyuan'), { township: 'zaoyuan', categories: ['minimum_living', 'medical'] })).kase.trackingNumber;
  tn.closed = (await makeCase(w, { township: 'bancheng', categories: ['housing'], status: 'closed' })).trackingNumber;
  tn.child = (await makeCase(w, { township: 'zaoyuan', categories: ['child'] })).trackingNumber;
  tn.youthAssist = (await makeCase(w, { township: 'zaoyuan', categories: ['education', 'youth'] })).trackingNumber;
  tn.clue = (await makeCase(w, { township: 'zaoyuan', type: 'clue', categories: ['elderly'] })).trackingNumber;
  tn.incomplete = (await makeCase(w, { township: 'zaoyuan', status: 'incomplete' })).trackingNumber;
  tn.old = (await makeCase(w, { township: 'zaoyuan', categories: ['disaster'], at: new Date('2026-01-15T02:00:00Z') })).trackingNumber;
  tn.unmarked = (await makeCase(w, { township: 'bancheng', categories: ['housing'], status: 'closed' })).trackingNumber;
  // Marked public by a person; everything but `unmarked` (the other filters must still hold for marked cases).
  await w.env.deps.db.case.updateMany({ where: { trackingNumber: { in: [tn.closed, tn.child, tn.youthAssist, tn.clue, tn.incomplete, tn.old] } }, data: { published: true } });
  expect((await w.api('supervisor', 'PUT', `/api/v1/cases/${tn.open}/published`, { published: true })).statusCode).toBe(200);
});
afterAll(async () => {
  await w?.close();
});

const get = async (url: string) => {
  const res = await w.env.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.body, json: res.json() };
};
const ids = (list: { service_request_id: string }[]) => list.map((r) => r.service_request_id).sort();

describe('Open311 GeoReport v2', () => {
  it('services.json lists the 17 assistance categories', async () => {
    const { status, json } = await get('/open311/v2/services.json');
    expect(status).toBe(200);
    expect(json).toHaveLength(17);
    expect(json[0]).toEqual({ service_code: 'minimum_living', service_name: '最低生活保障', description: '最低生活保障，由区民政局承办', metadata: false, type: 'realtime', keywords: 'minimum_living', group: '社会救助' });
  });

  it('requests.json publishes requests without any personal data, township only', async () => {
    const { status, json, body } = await get('/open311/v2/requests.json');
    expect(status).toBe(200);
    expect(ids(json)).toEqual([tn.open, tn.closed].sort());
    const open = json.find((r: { service_request_id: string }) => r.service_request_id === tn.open);
    expect(open).toMatchObject({
      status: 'open',
      status_notes: '已转办',
      service_code: 'minimum_living',
      service_name: '最低生活保障',
      agency_responsible: '枣园镇',
      address: '临沂市兰山区枣园镇',
      requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/),
      expected_datetime: expect.stringMatching(/\+08:00$/),
    });
    expect(Object.keys(open).sort()).toEqual(
      ['address', 'agency_responsible', 'expected_datetime', 'requested_datetime', 'service_code', 'service_name', 'service_notice', 'service_request_id', 'status', 'status_notes', 'updated_datetime'].sort(),
    );
    for (const secret of ['王秀云', ID_NUMBER, '110***********002X', PHONE, '138****5678', '东街12号', '丈夫去年病故']) expect(body).not.toContain(secret);
  });

  it('shows only cases a supervisor marked public: new cases are not, and the mark can be taken back (audited)', async () => {
    expect((await get(`/open311/v2/requests/${tn.unmarked}.json`)).status).toBe(404);
    expect(ids((await get('/open311/v2/requests.json?status=closed')).json)).not.toContain(tn.unmarked);
    expect((await w.env.deps.db.case.findUniqueOrThrow({ where: { trackingNumber: tn.unmarked } })).published).toBe(false);

    expect((await w.api('zaoyuan', 'PUT', `/api/v1/cases/${tn.unmarked}/published`, { published: true })).statusCode).toBe(403);
    const minors = await w.api('supervisor', 'PUT', `/api/v1/cases/${tn.child}/published`, { published: true });
    expect(minors.statusCode).toBe(409);
    expect(minors.json().error.code).toBe('never_published');

    expect((await w.api('supervisor', 'PUT', `/api/v1/cases/${tn.unmarked}/published`, { published: true })).statusCode).toBe(200);
    expect((await get(`/open311/v2/requests/${tn.unmarked}.json`)).status).toBe(200);
    expect((await w.api('supervisor', 'PUT', `/api/v1/cases/${tn.unmarked}/published`, { published: false })).json()).toEqual({ trackingNumber: tn.unmarked, published: false });
    expect((await get(`/open311/v2/requests/${tn.unmarked}.json`)).status).toBe(404);
    const trail = await w.env.deps.db.auditEvent.findMany({ where: { action: { in: ['case.published', 'case.unpublished'] } }, orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(['case.published', 'case.published', 'case.unpublished']);
  });

  it('never publishes minors’ cases (child or youth in any position), clues or incomplete cases, even when marked', async () => {
    for (const hidden of [tn.child, tn.youthAssist, tn.clue, tn.incomplete]) {
      const one = await get(`/open311/v2/requests/${hidden}.json`);
      expect(one.status).toBe(404);
      expect(one.json).toEqual([{ code: 404, description: `Service request ${hidden} was not found` }]);
    }
    expect(ids((await get(`/open311/v2/requests.json?service_request_id=${tn.child},${tn.open}`)).json)).toEqual([tn.open]);
    expect((await get('/open311/v2/requests.json?service_code=child')).json).toEqual([]);
  });

  it('filters by status, service_code and dates', async () => {
    expect(ids((await get('/open311/v2/requests.json?status=closed')).json)).toEqual([tn.closed]);
    expect(ids((await get('/open311/v2/requests.json?status=open')).json)).toEqual([tn.open]);
    expect(ids((await get('/open311/v2/requests.json?service_code=medical')).json)).toEqual([tn.open]);
    expect(ids((await get('/open311/v2/requests.json?start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-02-01T00:00:00%2B08:00')).json)).toEqual([tn.old]);
    const bad = await get('/open311/v2/requests.json?status=pending');
    expect(bad.status).toBe(400);
    expect(bad.json[0].code).toBe(400);
  });

  it('requests/{id}.json answers one request as a one-element list', async () => {
    const { status, json } = await get(`/open311/v2/requests/${tn.closed}.json`);
    expect(status).toBe(200);
    expect(json).toEqual([expect.objectContaining({ service_request_id: tn.closed, status: 'closed', status_notes: '已办结', address: '临沂市兰山区半程镇', expected_datetime: null })]);
  });
});
