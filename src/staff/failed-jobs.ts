import type { StaffPrincipal } from './principal.js';
import type { JobQueues } from '../jobs/queues.js';
import { maskPersonalNumbers, maskPersonalNumbersIn } from '../privacy/personal-numbers.js';
import { requireRole } from './access.js';
import { explainFailure, jobLabel, queueLabel } from './job-failures.js';

/** The most recent failures per queue; BullMQ keeps them a month, the dashboard at /admin/queues shows them all. */
const PER_QUEUE = 50;

/** Jobs that ran out of tries, newest first, with BullMQ's reason: what did not go out, and why. */
export async function listFailedJobs(queues: JobQueues, staff: StaffPrincipal) {
  requireRole(staff, ['supervisor'], '失败任务', 'see failed jobs');
  const perQueue = await Promise.all(
    Object.entries(queues).map(async ([queue, q]) =>
      (await q.getFailed(0, PER_QUEUE - 1)).map((job) => ({
        queue,
        id: job.id ?? '',
        name: job.name,
        // Reasons quote provider answers, which can carry a number; never show one in full.
        reason: maskPersonalNumbers(job.failedReason ?? ''),
        /** The same in plain Chinese, for the console (job-failures.ts). */
        reasonText: explainFailure(job.failedReason),
        queueLabel: queueLabel(queue),
        nameLabel: jobLabel(job.name),
        attempts: job.attemptsMade,
        failedAt: new Date(job.finishedOn ?? job.timestamp).toISOString(),
        data: maskPersonalNumbersIn((job.data ?? {}) as Record<string, unknown>),
      })),
    ),
  );
  return perQueue.flat().sort((a, b) => b.failedAt.localeCompare(a.failedAt));
}
