import { describe, expect, it } from 'vitest';
import { checkRegistrations, type Registration } from '../../src/jobs/handlers.js';
import { QUEUES, QUEUE_NAMES } from '../../src/jobs/queues.js';

const handle = async () => undefined;
const complete = (): Registration[] => QUEUE_NAMES.flatMap((queue) => QUEUES[queue].map((name) => ({ queue, name, handle })));

describe('job handlers are checked at start-up', () => {
  it('accepts exactly one handler per declared job name', () => {
    expect(() => checkRegistrations(complete())).not.toThrow();
  });

  it('refuses a missing handler, a second handler and a handler for an undeclared job, naming each', () => {
    const regs = complete().filter((r) => r.name !== 'reports.monthly');
    regs.push({ queue: 'timers', name: 'timer.fire', handle }, { queue: 'outbound', name: 'outbound.fax', handle });
    let err: unknown;
    try {
      checkRegistrations(regs);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'job_handlers_invalid' });
    const message = (err as Error).message;
    expect(message).toContain('job "reports.monthly" on queue "maintenance" has 0 handlers');
    expect(message).toContain('job "timer.fire" on queue "timers" has 2 handlers');
    expect(message).toContain('handler for job "outbound.fax" on queue "outbound"');
  });
});
