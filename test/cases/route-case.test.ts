import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/cases/open-case.js';
import { routeCase, type RouteCaseDeps } from '../../src/cases/route-case.js';
import { createDb, type Db } from '../../src/db/client.js';
import { loadCurrentDirectory, type LoadedDirectory } from '../../src/directory/store.js';
import { createLogger } from '../../src/logging.js';
import { createPersonalDataCipher } from '../../src/privacy/cipher.js';
import { trackingNumbers } from '../../src/domain/tracking-number.js';
import type { PlannedReferral } from '../../src/routing/types.js';
import { createTestDatabase } from '../helpers/pg.js';

/**
 * The category a resident chose in the dialog (categoriesHint, stored as the case's categories
 * when it is opened) leads the routed case, even when the story they told names another need
 * loudly; the classifier's own lead assists and is recorded for staff.
 */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;
let directory: LoadedDirectory;
const planned: PlannedReferral[][] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  directory = (await loadCurrentDirectory(db)) as LoadedDirectory;
});
afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

const deps = (): RouteCaseDeps => ({
  db,
  directory,
  logger: createLogger('silent'),
  now: () => new Date(),
  createReferrals: async (input) => {
    planned.push(input.planned);
  },
  flagUrgent: async () => {},
});

async function open(type: 'application' | 'emergency', reason: string, categoriesHint: string[]): Promise<string> {
  const opened = await openCase(
    { db, cipher: createPersonalDataCipher(randomBytes(32)), directory, tracking: trackingNumbers(randomBytes(32)), now: new Date() },
    { type, complete: true, channel: 'sms', applicant: { name: '王秀英', townshipCode: 'zaoyuan', reason }, categoriesHint, missing: [] },
  );
  return opened.id;
}

describe('routing a case keeps the category the resident chose', () => {
  it('an application for 低保 whose story is all about a hospital stay is led by 低保, with medical assisting', async () => {
    const id = await open('application', '老伴去年住院做了手术，花了十几万医药费，现在家里一点收入都没有', ['minimum_living']);
    const outcome = await routeCase(deps(), id);
    expect(outcome).toMatchObject({ kind: 'routed' });
    const routed = await db.case.findUniqueOrThrow({ where: { id } });
    expect(routed.categories[0]).toBe('minimum_living');
    expect(routed.categories).toContain('medical');
    const cl = routed.classification as { chosen?: { codes: string[]; suggested?: { code: string } } };
    expect(cl.chosen?.codes).toEqual(['minimum_living']);
    expect(cl.chosen?.suggested?.code).toBe('medical');
    const lead = planned.at(-1)?.find((p) => p.role === 'lead');
    expect(lead?.category).toBe('minimum_living');
    expect(planned.at(-1)?.some((p) => p.category === 'medical' && p.role === 'assist')).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { caseId: id, action: 'case.routed' } });
    expect((audit.after as { choice?: string }).choice).toMatch(/^居民选择：最低生活保障；按所述情况也可能是：医疗救助（提到/);
  });

  it('an emergency is led by the danger; what the resident named assists', async () => {
    const id = await open('emergency', '家里着火了，房子烧了一半', ['temporary', 'minimum_living']);
    await routeCase(deps(), id);
    const routed = await db.case.findUniqueOrThrow({ where: { id } });
    expect(routed.categories[0]).not.toBe('minimum_living');
    expect(routed.categories).toContain('minimum_living');
  });
});
