import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readCase } from '../../staff/case-view.js';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { revealCase } from '../../staff/case-full-view.js';
import { calendarNotices } from '../../staff/calendar-notice.js';
import { overdueVisits } from '../../staff/key-persons.js';
import { answerReachedResident, answerWithFeedback, askForExtension, grantExtension, reassignReferral, recordHandling, returnAsNotOurs, signFor } from '../../staff/referral-actions.js';
import { readReferral } from '../../staff/referral-view.js';
import { recordFollowUpCall, urgeUnit } from '../../staff/county-referral-actions.js';
import { listReferrals } from '../../staff/worklist.js';
import { filled, given, type ConsoleKit } from '../kit.js';
import { casePage } from '../views/case.js';
import { feedbackFormPage, serviceFormPage } from '../views/print-forms.js';
import { referralPage } from '../views/referral.js';
import { worklistPage } from '../views/worklist.js';

type Tn = { Params: { trackingNumber: string } };
type Form = Record<string, string | undefined>;
const TN = { type: 'object', properties: { trackingNumber: { type: 'string', pattern: '^[0-9A-Za-z-]{4,40}$' } } };

export function registerReferralPages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  const { referrals } = deps;
  scope.get<{ Querystring: Record<string, string> }>('/referrals', async (req, reply) => {
    const staff = staffOf(req);
    const now = deps.now();
    const [list, visits, calendar] = await Promise.all([
      listReferrals(deps, staff, filled(req.query), now),
      overdueVisits(deps, staff, now, 10),
      // Everyone who reads deadlines is told when they are counted on a provisional holiday calendar.
      calendarNotices({ ...deps, calendar: referrals.calendar }, now),
    ]);
    const countyWide = staff.role === 'supervisor' || staff.role === 'duty_officer';
    return kit.send(reply, worklistPage(kit.ctx(req, reply), list, visits, countyWide, calendar));
  });

  scope.get<Tn>('/referrals/:trackingNumber', { schema: { params: TN } }, async (req, reply) =>
    kit.send(reply, referralPage(kit.ctx(req, reply), await readReferral(deps, staffOf(req), req.params.trackingNumber, deps.now()))),
  );

  const back = (tn: string) => `/console/referrals/${tn}`;
  scope.post<Tn>('/referrals/:trackingNumber/sign', { schema: { params: TN } }, async (req, reply) => {
    await signFor(referrals, staffOf(req), req.params.trackingNumber, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), 'signed');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/handling', { schema: { params: TN } }, async (req, reply) => {
    await recordHandling(referrals, staffOf(req), req.params.trackingNumber, { note: req.body?.note ?? '' }, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), 'noted');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/answer', { schema: { params: TN } }, async (req, reply) => {
    const b = req.body ?? {};
    const answered = await answerWithFeedback(referrals, staffOf(req), req.params.trackingNumber, { result: b.result ?? '', date: given(b.date), handler: b.handler ?? '', note: given(b.note) }, deps.now());
    const told = await answerReachedResident(deps, answered);
    return kit.done(reply, back(req.params.trackingNumber), told === 'told' ? 'answered' : told === 'no_contact' ? 'answered_no_contact' : 'answered_internal');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/return', { schema: { params: TN } }, async (req, reply) => {
    await returnAsNotOurs(referrals, staffOf(req), req.params.trackingNumber, { reason: req.body?.reason ?? '' }, deps.now());
    return kit.done(reply, '/console/referrals', 'returned');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/extension', { schema: { params: TN } }, async (req, reply) => {
    await askForExtension(referrals, staffOf(req), req.params.trackingNumber, { dueDate: req.body?.dueDate ?? '', reason: req.body?.reason ?? '' }, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), 'extension');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/approve', { schema: { params: TN } }, async (req, reply) => {
    await grantExtension(referrals, staffOf(req), req.params.trackingNumber, { dueDate: given(req.body?.dueDate) }, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), 'approved');
  });
  scope.post<Tn>('/referrals/:trackingNumber/urge', { schema: { params: TN } }, async (req, reply) => {
    const { messaged } = await urgeUnit(referrals, staffOf(req), req.params.trackingNumber, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), messaged > 0 ? 'urged' : 'urged_unsent');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/follow-up', { schema: { params: TN } }, async (req, reply) => {
    const r = await recordFollowUpCall(referrals, staffOf(req), req.params.trackingNumber, { satisfied: req.body?.satisfied, note: req.body?.note }, deps.now());
    return kit.done(reply, back(req.params.trackingNumber), r.status === 'closed' ? 'follow_up_satisfied' : 'follow_up_reopened');
  });
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/reassign', { schema: { params: TN } }, async (req, reply) => {
    const { replacement } = await reassignReferral(referrals, staffOf(req), req.params.trackingNumber, { unit: req.body?.unit ?? '', reason: req.body?.reason ?? '' }, deps.now());
    return kit.done(reply, back(replacement.trackingNumber), 'reassigned');
  });

  /**
   * ?download=1 saves the form as a web page that prints on its own (its stylesheet inside), named in Chinese
   * (服务办理单-编号.html) with an ASCII name for old browsers.
   */
  const asDownload = (req: FastifyRequest<{ Querystring: { download?: string } }>, reply: FastifyReply, name: string, chineseName: string) => {
    if (!req.query.download) return undefined;
    reply.header('content-disposition', `attachment; filename="${name}.html"; filename*=UTF-8''${encodeURIComponent(`${chineseName}.html`)}`);
    return kit.stylesheet;
  };
  scope.get<Tn & { Querystring: { download?: string } }>('/referrals/:trackingNumber/service-form', { schema: { params: TN } }, async (req, reply) => {
    const view = await readReferral(deps, staffOf(req), req.params.trackingNumber, deps.now());
    return kit.send(reply, serviceFormPage(kit.ctx(req, reply), view, undefined, asDownload(req, reply, `service-form-${view.case.trackingNumber}`, `服务办理单-${view.case.trackingNumber}`)));
  });
  // The full form is a POST: the reason is recorded, and the ID number never sits in a URL or the browser history.
  scope.post<Tn & { Body: Form }>('/referrals/:trackingNumber/service-form', { schema: { params: TN } }, async (req, reply) => {
    const staff = staffOf(req);
    const view = await readReferral(deps, staff, req.params.trackingNumber, deps.now());
    const full = await revealCase(deps, staff, view.case.trackingNumber, req.body?.reason, deps.now());
    return kit.send(reply, serviceFormPage(kit.ctx(req, reply), view, { idNumber: full.applicant.idNumber, phone: full.applicant.phone }));
  });
  scope.get<Tn & { Querystring: { download?: string } }>('/referrals/:trackingNumber/feedback-form', { schema: { params: TN } }, async (req, reply) => {
    const view = await readReferral(deps, staffOf(req), req.params.trackingNumber, deps.now());
    return kit.send(reply, feedbackFormPage(kit.ctx(req, reply), view, asDownload(req, reply, `feedback-form-${view.trackingNumber}`, `办理反馈单-${view.trackingNumber}`)));
  });

  scope.get<Tn>('/cases/:trackingNumber', { schema: { params: TN } }, async (req, reply) =>
    kit.send(reply, casePage(kit.ctx(req, reply), await readCase(deps.db, staffOf(req), req.params.trackingNumber))),
  );
  scope.post<Tn & { Body: Form }>('/cases/:trackingNumber/full', { schema: { params: TN } }, async (req, reply) =>
    kit.send(reply, casePage(kit.ctx(req, reply), await revealCase(deps, staffOf(req), req.params.trackingNumber, req.body?.reason, deps.now()))),
  );
}
