import { routeCase } from '../cases/route-case.js';
import type { Deps } from '../composition.js';
import { notifyDutyOfficers } from '../intake/duty.js';
import type { EffectDeps } from '../intake/effects.js';
import { createReferrals } from '../referrals/index.js';

export type ReleaseHooks = Pick<EffectDeps, 'onCaseOpened' | 'onDutyFlag'>;

/**
 * What follows an effect of the hand-back turn, as after a resident's turn: a case the bot opens is classified and
 * routed (routeCase, with the rules classifier: the optional LLM lives inside the composition's intake), and a new
 * duty flag is announced to the officers. composition.ts keeps its own copies of these inside the intake.
 */
export function releaseHooks(deps: Pick<Deps, 'db' | 'directory' | 'logger' | 'config' | 'jobs' | 'referrals' | 'now'>): ReleaseHooks {
  const onDutyFlag = (taskId: string) => notifyDutyOfficers({ db: deps.db, outbox: deps.jobs.ports.outbox, config: deps.config, directory: deps.directory }, taskId, deps.now());
  return {
    onDutyFlag,
    async onCaseOpened(caseId) {
      const outcome = await routeCase(
        {
          db: deps.db,
          directory: deps.directory,
          logger: deps.logger,
          now: deps.now,
          createReferrals: (input) => createReferrals(deps.referrals, input),
          flagUrgent: async ({ caseId: id, reason }) => {
            const task = await deps.db.dutyTask.create({ data: { kind: 'urgent', urgent: true, reason, caseId: id, createdAt: deps.now() } });
            await onDutyFlag(task.id);
          },
        },
        caseId,
      );
      return outcome.kind === 'merged' ? { mergedInto: outcome.into } : {};
    },
  };
}
