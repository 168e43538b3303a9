import { describe, expect, it } from 'vitest';
import { nestedWritesTo, writesIn, writesOutside, writesTo } from './table-writers.js';

/**
 * One owner per table: DutyTask rows are created and moved only by src/duty/tasks.ts, AuditEvent rows are written
 * only by src/audit/record.ts (`audit.record`). Everyone else calls them.
 */
describe('table owners: DutyTask and AuditEvent', () => {
  it('only src/duty/tasks.ts writes DutyTask rows', () => {
    const writes = writesTo('dutyTask', 'DutyTask');
    expect(writesOutside('src/duty/tasks.ts', writes)).toEqual([]);
    // The search finds the owner's own writes, so a pattern gone stale cannot pass unnoticed.
    expect(writes.length).toBeGreaterThan(0);
    // Nor through a case, a conversation or a staff member (their `dutyTasks` relation).
    expect(writesOutside('src/duty/tasks.ts', nestedWritesTo('dutyTasks'))).toEqual([]);
  });

  it('only src/audit/record.ts writes AuditEvent rows', () => {
    const writes = writesTo('auditEvent', 'AuditEvent');
    expect(writesOutside('src/audit/record.ts', writes)).toEqual([]);
    expect(writes.length).toBeGreaterThan(0);
  });

  it('finds a write however it is spelled, and not a read', () => {
    const writes = [
      'await tx.dutyTask\n    .updateMany({ where: {} })',
      "await db['dutyTask'].create({ data })",
      'await db.dutyTask.upsert({ where, create, update })',
      'await db.dutyTask.createMany({ data: rows })',
      'await sql.query(`INSERT INTO "DutyTask" (id) VALUES ($1)`)',
      'await sql.query(`update public."DutyTask" set status = $1`)',
      'await db.$executeRaw`DELETE FROM "DutyTask" WHERE id = ${id}`',
    ];
    for (const text of writes) expect(writesIn(text, 'dutyTask', 'DutyTask'), text).toHaveLength(1);
    const reads = ['await db.dutyTask.findMany({ where })', 'SELECT * FROM "DutyTask"', 'await db.dutyTaskArchive.create({ data })', 'INSERT INTO "DutyTaskLog" (id)'];
    for (const text of reads) expect(writesIn(text, 'dutyTask', 'DutyTask'), text).toEqual([]);
  });
});
