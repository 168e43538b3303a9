import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { revealConversation, readConversation } from '../../staff/conversation-view.js';
import { closeConversation, takeOverConversation } from '../../staff/conversation-hold.js';
import { editCapturedFields, FieldEdits } from '../../staff/captured-fields.js';
import { finishDutyTask, listDutyQueue, takeDutyTask } from '../../staff/duty-queue.js';
import { releaseConversation } from '../../staff/release-conversation.js';
import { replyToResident } from '../../staff/reply-to-resident.js';
import { bearer, IdParams, jsonSchema, ReasonBody } from './schema.js';
import { staffOf, type StaffSide } from './context.js';

type Id = { Params: { id: string } };

/** Actions answer with views, never raw rows: rows carry the dialog state and contacts unmasked. */
const taskSummary = (t: { id: string; status: string; conversationId: string | null; takenById: string | null }) => ({
  id: t.id,
  status: t.status,
  conversationId: t.conversationId,
  takenById: t.takenById,
});
const DUTY = '值班员、县级督办 / duty_officer, supervisor';
const tags = ['duty'];

/** The duty officer's queue and the conversations they take over. */
export function registerDutyRoutes(app: FastifyInstance, { deps }: Pick<StaffSide, 'deps'>): void {
  app.get('/api/v1/duty/tasks', { schema: { tags, summary: '值班队列：待处理（紧急在前，等待最久的在前，同一报告一行）和我已接手的 / The duty queue: urgent first, longest waiting first, one row per report', description: DUTY, security: bearer } }, async (req) =>
    listDutyQueue(deps, staffOf(req), deps.now()),
  );
  app.post<Id>('/api/v1/duty/tasks/:id/take', { schema: { tags, summary: '接手任务（有对话则同时接管对话） / Take a task', description: DUTY, params: IdParams, security: bearer } }, async (req) =>
    taskSummary(await takeDutyTask(deps, staffOf(req), req.params.id, deps.now())),
  );
  app.post<Id>('/api/v1/duty/tasks/:id/done', { schema: { tags, summary: '任务办结 / Mark a task done', description: DUTY, params: IdParams, security: bearer } }, async (req) =>
    taskSummary(await finishDutyTask(deps, staffOf(req), req.params.id, deps.now())),
  );

  app.get<Id>('/api/v1/conversations/:id', { schema: { tags, summary: '对话记录和已采集信息（脱敏） / Transcript and captured fields, masked', description: DUTY, params: IdParams, security: bearer } }, async (req) =>
    readConversation(deps, staffOf(req), req.params.id),
  );
  app.post<Id & { Body: { reason: string } }>(
    '/api/v1/conversations/:id/full',
    { schema: { tags, summary: '对话完整内容（须填事由，留痕） / The conversation unmasked; needs a reason, audited', description: DUTY, params: IdParams, body: jsonSchema(ReasonBody), security: bearer } },
    async (req) => revealConversation(deps, staffOf(req), req.params.id, req.body.reason, deps.now()),
  );
  app.post<Id>('/api/v1/conversations/:id/take', { schema: { tags, summary: '接管对话（同一时间只有一名值班员） / Take the conversation over from the bot', description: DUTY, params: IdParams, security: bearer } }, async (req) => {
    await takeOverConversation(deps, staffOf(req), req.params.id, deps.now());
    return readConversation(deps, staffOf(req), req.params.id);
  });
  app.post<Id & { Body: { text: string } }>(
    '/api/v1/conversations/:id/reply',
    {
      schema: {
        tags,
        summary: '通过居民来信的渠道回复（短信/企业微信/微信客服） / Reply on the resident’s channel',
        description: `${DUTY}；须已接管 / must hold the conversation`,
        params: IdParams,
        body: jsonSchema(z.object({ text: z.string().min(1).max(1000) })),
        security: bearer,
      },
    },
    async (req) => {
      const sent = await replyToResident(deps, staffOf(req), req.params.id, req.body.text, deps.now());
      return { id: sent.id, channel: sent.channel, status: sent.status, text: sent.text };
    },
  );
  app.patch<Id & { Body: z.input<typeof FieldEdits> }>(
    '/api/v1/conversations/:id/fields',
    { schema: { tags, summary: '修改已采集信息 / Edit the captured fields', description: `${DUTY}；须已接管 / must hold the conversation`, params: IdParams, body: jsonSchema(FieldEdits), security: bearer } },
    async (req) => {
      await editCapturedFields(deps, staffOf(req), req.params.id, req.body, deps.now());
      return readConversation(deps, staffOf(req), req.params.id);
    },
  );
  app.post<Id>(
    '/api/v1/conversations/:id/release',
    { schema: { tags, summary: '交回机器人继续 / Hand the conversation back to the bot', description: `${DUTY}；接管人（或督办） / the holder, or a supervisor`, params: IdParams, security: bearer } },
    async (req) => {
      await releaseConversation(deps, staffOf(req), req.params.id, deps.now());
      return readConversation(deps, staffOf(req), req.params.id);
    },
  );
  app.post<Id>('/api/v1/conversations/:id/close', { schema: { tags, summary: '结束对话 / Close the conversation', description: DUTY, params: IdParams, security: bearer } }, async (req) => {
    await closeConversation(deps, staffOf(req), req.params.id, deps.now());
    return readConversation(deps, staffOf(req), req.params.id);
  });
}
