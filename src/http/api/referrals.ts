import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  answerWithFeedback,
  ApprovalForm,
  askForExtension,
  ExtensionForm,
  FeedbackForm,
  grantExtension,
  HandlingNote,
  ReassignForm,
  reassignReferral,
  recordHandling,
  returnAsNotOurs,
  ReturnForm,
  signFor,
} from '../../staff/referral-actions.js';
import { FollowUpForm, recordFollowUpCall, urgeUnit } from '../../staff/county-referral-actions.js';
import { readReferral } from '../../staff/referral-view.js';
import { listReferrals, WorklistFilter } from '../../staff/worklist.js';
import { bearer, jsonSchema, TrackingParams } from './schema.js';
import type { StaffPrincipal } from '../../staff/principal.js';
import { staffOf, type StaffSide } from './context.js';

type Tn = { Params: { trackingNumber: string } };
const tags = ['referrals'];
const UNIT = '承办单位工作人员（县级窗口的转办件：县级督办） / the holding unit’s staff (county-window referrals: supervisor)';
const ALL = '所有角色，范围内 / every role, within scope';
const WINDOW = '县级督办、值班员 / supervisor, duty_officer';

/** The referral worklist, the unit's actions on a referral (转办件) and what the county does to it from outside (催办, 回访). */
export function registerReferralRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  const { referrals } = deps;
  // An action answers with the referral as the caller now sees it (the returned one stays visible to its unit).
  const view = (req: FastifyRequest<Tn>, trackingNumber = req.params.trackingNumber) => readReferral(deps, staffOf(req), trackingNumber, deps.now());
  app.get<{ Querystring: WorklistFilter }>(
    '/api/v1/referrals',
    {
      schema: {
        tags,
        summary: '转办件工作清单：时限颜色、筛选、分页 / Referral worklist with clock state, filters and paging',
        description: `${ALL}。clock=overdue 逾期；flag=supervised 督办；flag=extension 待批延期`,
        querystring: jsonSchema(WorklistFilter),
        security: bearer,
      },
    },
    async (req) => listReferrals(deps, staffOf(req), req.query, deps.now()),
  );
  app.get<Tn>('/api/v1/referrals/:trackingNumber', { schema: { tags, summary: '转办件详情 / A referral with its case (masked) and history', description: ALL, params: TrackingParams, security: bearer } }, async (req) =>
    readReferral(deps, staffOf(req), req.params.trackingNumber, deps.now()),
  );
  app.post<Tn>('/api/v1/referrals/:trackingNumber/sign', { schema: { tags, summary: '签收 / Sign for the referral', description: UNIT, params: TrackingParams, security: bearer } }, async (req) => {
    await signFor(referrals, staffOf(req), req.params.trackingNumber, deps.now());
    return view(req);
  });
  /** One unit action on a referral: the form goes to its domain function, the answer is the referral as it now stands. */
  const action = <F extends z.ZodType>(
    suffix: string,
    summary: string,
    description: string,
    form: F,
    run: (deps: typeof referrals, staff: StaffPrincipal, trackingNumber: string, input: z.input<F>, now: Date) => Promise<unknown>,
  ) =>
    app.post<Tn & { Body: z.input<F> }>(
      `/api/v1/referrals/:trackingNumber/${suffix}`,
      { schema: { tags, summary, description, params: TrackingParams, body: jsonSchema(form), security: bearer } },
      async (req) => {
        await run(referrals, staffOf(req), req.params.trackingNumber, (req.body ?? {}) as z.input<F>, deps.now());
        return view(req);
      },
    );
  action('handling', '记录办理情况（首次记录即开始办理） / Record work done', UNIT, HandlingNote, recordHandling);
  action('answer', '反馈（转办件办理反馈单） / Answer with the feedback form', UNIT, FeedbackForm, answerWithFeedback);
  action('return', '退回（非本单位职责，须说明理由） / Return as not ours, with a reason', UNIT, ReturnForm, returnAsNotOurs);
  action('extension', '申请延期 / Request an extension', UNIT, ExtensionForm, askForExtension);
  action('extension/approve', '批准延期 / Approve the extension', '县级督办 / supervisor', ApprovalForm, grantExtension);
  app.post<Tn & { Body: z.input<typeof ReassignForm> }>(
    '/api/v1/referrals/:trackingNumber/reassign',
    {
      schema: { tags, summary: '仲裁改派县级窗口的转办件 / Reassign a county-window referral to a unit', description: '县级督办 / supervisor', params: TrackingParams, body: jsonSchema(ReassignForm), security: bearer },
    },
    async (req) => {
      const { replacement } = await reassignReferral(referrals, staffOf(req), req.params.trackingNumber, req.body, deps.now());
      return view(req, replacement.trackingNumber);
    },
  );
  // 催办 and 回访 call the functions the console's buttons call (src/staff/county-referral-actions.ts).
  app.post<Tn>(
    '/api/v1/referrals/:trackingNumber/urge',
    {
      schema: {
        tags,
        summary: '催办：立即给承办单位的经办人员和负责人发企业微信消息，并记入办理记录 / Urge the holding unit now',
        description:
          '县级督办；仅限办理中（待签收、已签收、办理中）的转办件，否则 409 not_open；县级窗口自己承办的转办件不能催办（409 window_holds_it），请改派。答复中 messaged 为已交由系统发出的消息数：为 0 时没有人收到（未开通企业微信或单位无人可收），请电话催办 / ' +
          'supervisor; only while the unit owes work (else 409 not_open), and not one the county window holds itself (409 window_holds_it: reassign it). messaged is how many WeCom messages were put on their way: 0 means nobody was told, so phone the unit',
        params: TrackingParams,
        security: bearer,
      },
    },
    async (req) => {
      const { messaged } = await urgeUnit(referrals, staffOf(req), req.params.trackingNumber, deps.now());
      return { ...(await view(req)), messaged };
    },
  );
  app.post<Tn & { Body: z.input<typeof FollowUpForm> }>(
    '/api/v1/referrals/:trackingNumber/follow-up',
    {
      schema: {
        tags,
        summary: '记录回访（电话或上门）：满意则办结，不满意则退回承办单位重办 / Record a follow-up call: satisfied closes, not satisfied reopens',
        description: `${WINDOW}；仅限已反馈的转办件，否则 409 invalid_transition，details.steps 为承办单位须先办的步骤（如 sign、answer） / only once the unit has answered (else 409 invalid_transition; details.steps lists what the unit must do first, e.g. sign, answer)`,
        params: TrackingParams,
        body: jsonSchema(FollowUpForm),
        security: bearer,
      },
      // The form is checked by recordFollowUpCall, as for the console, so a bad one is refused with its Chinese
      // message (请选择居民是否满意…) rather than the schema validator's English; the schema documents it.
      attachValidation: true,
    },
    async (req) => {
      if (req.validationError?.validationContext === 'params') throw req.validationError;
      const b: Partial<z.input<typeof FollowUpForm>> = req.body ?? {};
      await recordFollowUpCall(referrals, staffOf(req), req.params.trackingNumber, { satisfied: b.satisfied, note: b.note }, deps.now());
      return view(req);
    },
  );
}
