import type { CountyDirectory } from '../directory/schema.js';
import type { PolicyData } from './policies.js';

/** What src/routing/urgency.ts answers for one message. */
export interface UrgencyVerdict {
  urgent: boolean;
  reason?: string;
  signals: string[];
  lifeDanger: boolean;
  mentalHealth: boolean;
  /** Neither flagged nor clearly safe: the bot asks the safety question. */
  unsure?: boolean;
  /** A situation the rules read, or the model's reading of a story (which a form answer is not). */
  by?: 'rules' | 'model';
  /** The model's confidence, when it is the model that flags or asks. */
  modelP?: number;
  /** The message asks for no assistance: thanks for help given, a word about the line or its staff, an offer to help. */
  noNeed?: 'thanks' | 'service' | 'offer' | 'hiring';
}

/**
 * Everything a turn may consult besides the state and the input. Dependencies are
 * arguments, so the step stays pure and tests pass the real ones.
 */
export interface DialogContext {
  directory: CountyDirectory;
  policies: PolicyData;
  now: Date;
  /** Caller's number (E.164) on sms and voice; absent on WeCom. */
  callerPhone?: string;
  detectUrgency: (text: string) => UrgencyVerdict;
}
