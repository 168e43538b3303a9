// The referral (转办件) domain as the staff API, dialogs and jobs call it.
export { createReferrals, type CreateReferralsInput } from './create.js';
export { signReferral, startReferral, answerReferral, type Feedback } from './progress.js';
export { recordFollowUp } from './follow-up.js';
export { canUrge, urgeReferral } from './urge.js';
export { returnReferral } from './return.js';
export { requestExtension, approveExtension } from './extension.js';
export { pauseClock, resumeClock, type PauseReason } from './pause.js';
export { mergeReferral } from './merge.js';
export { fireTimerStep, type FireOutcome } from './escalate.js';
export { queueOutbound, type OutboundDraft, type OutboundChannel } from './outbound.js';
export { TRANSITIONS, OPEN_STATUSES, type ReferralAction } from './transitions.js';
export type { Actor, ReferralDeps, TimerScheduler, Outbox, TimerRef, TimerChanges, TimerStep } from './ports.js';
