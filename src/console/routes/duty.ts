import type { FastifyInstance } from 'fastify';
import { staffOf, type StaffSide } from '../../http/api/context.js';
import { editCapturedFields } from '../../staff/captured-fields.js';
import { closeConversation, takeOverConversation } from '../../staff/conversation-hold.js';
import { readConversation, revealConversation } from '../../staff/conversation-view.js';
import { finishDutyTask, listDutyQueue, takeDutyTask } from '../../staff/duty-queue.js';
import { releaseConversation } from '../../staff/release-conversation.js';
import { replyToResident } from '../../staff/reply-to-resident.js';
import type { ConsoleKit } from '../kit.js';
import { conversationPage } from '../views/conversation.js';
import { dutyPage, dutyQueueFragment } from '../views/duty.js';

type Id = { Params: { id: string } };
const UUID = { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } };

export function registerDutyPages(scope: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>, kit: ConsoleKit): void {
  scope.get('/duty', async (req, reply) => kit.send(reply, dutyPage(kit.ctx(req, reply), await listDutyQueue(deps, staffOf(req), deps.now()))));
  // The part of the duty page console.js polls, so the queue updates without a reload.
  scope.get('/duty/queue', async (req, reply) => kit.send(reply, dutyQueueFragment(kit.ctx(req, reply), await listDutyQueue(deps, staffOf(req), deps.now())).value));

  scope.post<Id>('/duty/tasks/:id/take', { schema: { params: UUID } }, async (req, reply) => {
    const task = await takeDutyTask(deps, staffOf(req), req.params.id, deps.now());
    // An ended conversation cannot be taken over: the task is the officer's to call back, and the banner says so.
    if (task.conversationId && task.conversationEnded) return kit.done(reply, '/console/duty', 'task_taken_ended');
    return task.conversationId ? kit.done(reply, `/console/conversations/${task.conversationId}`, 'taken') : kit.done(reply, '/console/duty', 'task_taken');
  });
  scope.post<Id>('/duty/tasks/:id/done', { schema: { params: UUID } }, async (req, reply) => {
    await finishDutyTask(deps, staffOf(req), req.params.id, deps.now());
    return kit.done(reply, '/console/duty', 'task_done');
  });

  scope.get<Id>('/conversations/:id', { schema: { params: UUID } }, async (req, reply) =>
    kit.send(reply, conversationPage(kit.ctx(req, reply), await readConversation(deps, staffOf(req), req.params.id))),
  );
  scope.post<Id & { Body: { reason?: string } }>('/conversations/:id/full', { schema: { params: UUID } }, async (req, reply) =>
    kit.send(reply, conversationPage(kit.ctx(req, reply), await revealConversation(deps, staffOf(req), req.params.id, req.body?.reason, deps.now()), { full: true })),
  );
  const back = (id: string) => `/console/conversations/${id}`;
  scope.post<Id>('/conversations/:id/take', { schema: { params: UUID } }, async (req, reply) => {
    await takeOverConversation(deps, staffOf(req), req.params.id, deps.now());
    return kit.done(reply, back(req.params.id), 'taken');
  });
  scope.post<Id & { Body: { text?: string } }>('/conversations/:id/reply', { schema: { params: UUID } }, async (req, reply) => {
    const sent = await replyToResident(deps, staffOf(req), req.params.id, req.body?.text ?? '', deps.now());
    return kit.done(reply, back(req.params.id), sent.status === 'sent' ? 'replied' : 'reply_queued');
  });
  scope.post<Id & { Body: Record<string, string> }>('/conversations/:id/fields', { schema: { params: UUID } }, async (req, reply) => {
    const { _csrf: _token, ...edits } = req.body ?? {};
    await editCapturedFields(deps, staffOf(req), req.params.id, edits, deps.now());
    return kit.done(reply, back(req.params.id), 'fields');
  });
  scope.post<Id>('/conversations/:id/release', { schema: { params: UUID } }, async (req, reply) => {
    await releaseConversation(deps, staffOf(req), req.params.id, deps.now());
    return kit.done(reply, '/console/duty', 'released');
  });
  scope.post<Id>('/conversations/:id/close', { schema: { params: UUID } }, async (req, reply) => {
    await closeConversation(deps, staffOf(req), req.params.id, deps.now());
    return kit.done(reply, '/console/duty', 'closed');
  });
}
