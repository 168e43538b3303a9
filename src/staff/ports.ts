import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { PolicyData } from '../dialogs/policies.js';
import type { LoadedDirectory } from '../directory/store.js';
import type { DialogRunnerDeps } from '../intake/dialog-runner.js';
import type { Deliver } from '../intake/intake.js';
import type { Jobs } from '../jobs/create-jobs.js';
import type { Logger } from '../logging.js';
import type { TrackingNumbers } from '../domain/tracking-number.js';
import type { PersonalDataCipher } from '../privacy/cipher.js';
import type { ReferralDeps } from '../referrals/ports.js';

/**
 * The services staff functions are given; each function takes a Pick of the ones it uses. The composition root
 * builds them (src/composition.ts), the HTTP side passes them on.
 */
export type StaffDeps = {
  config: Config;
  logger: Logger;
  db: Db;
  redis: Redis;
  cipher: PersonalDataCipher;
  /** Issues tracking numbers under the configured key (src/domain/tracking-number.ts). */
  tracking: TrackingNumbers;
  directory: LoadedDirectory;
  policies: PolicyData;
  /** Sends stored replies through the resident's channel. */
  deliver: Deliver;
  jobs: Jobs;
  /** What referral lifecycle functions need: the base services plus the job seams. */
  referrals: ReferralDeps;
  /** What the dialog runner needs: a staff hand-back runs one step. */
  turnDeps: DialogRunnerDeps;
  now: () => Date;
};
