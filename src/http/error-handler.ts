import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from '../errors.js';
import { describeNoRoute, describeRequestError, trackRouteMethods, type RequestRefusal } from './request-errors.js';
import { describeValidation } from './validation-errors.js';

const HAN = /[\u4e00-\u9fff]/;

/** A refusal of the request itself (body, address, method) as the API answers it: "中文 / English". */
function refuse(reply: FastifyReply, r: RequestRefusal) {
  if (r.allow) reply.header('allow', r.allow.join(', '));
  return reply.status(r.status).send({ error: { code: r.code, message: `${r.api} / ${r.english}` } });
}

/**
 * One place maps errors to answers: AppError keeps its code; the framework's refusals (schema, body, address, method)
 * get a code and a Chinese message; anything unexpected is a 500 that is logged. Call it before routes are
 * registered: it keeps their paths, so a wrong method is told apart from a wrong address.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  trackRouteMethods(app);
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.reportable) req.log.error({ err, code: err.code }, err.message);
      return reply.status(err.status).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    if (err.validation) {
      // The route schema's refusal (body, query or path), told in Chinese with the field; the code stays invalid_request.
      const part = err.validationContext ?? 'body';
      const schema = (req.routeOptions.schema as Record<string, unknown> | undefined)?.[part];
      const { message, details } = describeValidation(err.validation, part, schema, err.message);
      return reply.status(400).send({ error: { code: 'invalid_request', message, details } });
    }
    const known = describeRequestError(err, req);
    if (known) return refuse(reply, known);
    if (err.statusCode && err.statusCode < 500) {
      // Another refusal a plugin raised: its own words when they are Chinese, else a Chinese line before them.
      const code = err.code && !err.code.startsWith('FST_') ? err.code : 'bad_request';
      const message = HAN.test(err.message) ? err.message : `请求有误（HTTP ${err.statusCode}），没有办理。请检查请求后重试 / ${err.message}`;
      return reply.status(err.statusCode).send({ error: { code, message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal', message: '系统出了点问题，已记录，请稍后重试；紧急情况请电话联系值班员 / Something went wrong on our side; it has been logged.' } });
  });
  app.setNotFoundHandler((req, reply) => refuse(reply, describeNoRoute(app, req.method, req.url)));
}

/** The same answers for a malformed address (`%zz`), which fastify refuses before routing: pass as `frameworkErrors`. */
export function answerFrameworkError(err: FastifyError, req: Parameters<typeof describeRequestError>[1], reply: FastifyReply) {
  const known = describeRequestError(err, req);
  if (known) return refuse(reply, known);
  return refuse(reply, { status: err.statusCode ?? 400, code: 'bad_request', api: '请求有误，没有办理。请检查地址后重试', page: '', english: err.message });
}
