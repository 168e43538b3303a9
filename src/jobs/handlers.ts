import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import { AppError } from '../errors.js';
import { QUEUE_NAMES, QUEUES, type QueueName } from './queues.js';

export interface Registration {
  queue: QueueName;
  name: string;
  handle: (job: Job, token?: string) => Promise<unknown>;
}

/** Each declared job name has exactly one handler and no handler serves an undeclared name; else nothing starts. */
export function checkRegistrations(registrations: readonly Registration[]): void {
  const problems: string[] = [];
  for (const queue of QUEUE_NAMES) {
    const declared: readonly string[] = QUEUES[queue];
    for (const name of declared) {
      const count = registrations.filter((r) => r.queue === queue && r.name === name).length;
      if (count !== 1) problems.push(`job "${name}" on queue "${queue}" has ${count} handlers; register exactly one`);
    }
    for (const r of registrations.filter((r) => r.queue === queue && !declared.includes(r.name))) {
      problems.push(`handler for job "${r.name}" on queue "${queue}", which QUEUES does not declare; declare it in src/jobs/queues.ts`);
    }
  }
  if (problems.length > 0) throw new AppError('job_handlers_invalid', `Job handlers do not match the declared jobs:\n  - ${problems.join('\n  - ')}`, 500, true);
}

/** The processor of one queue: the job's name picks its handler. */
export function processorFor(queue: QueueName, registrations: readonly Registration[]): Processor {
  const byName = new Map(registrations.filter((r) => r.queue === queue).map((r) => [r.name, r.handle]));
  return async (job, token) => {
    const handle = byName.get(job.name);
    // A job nobody handles will never succeed: straight to the failed set, where it can be seen.
    if (!handle) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${queue}"`);
    return handle(job, token);
  };
}
