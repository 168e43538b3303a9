import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';
import { describeValidation } from './validation-errors.js';

/** One place maps errors to answers: AppError keeps its code; anything unexpected is a 500 that is logged. */
export function registerErrorHandler(app: FastifyInstance): void {
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
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: err.code ?? 'bad_request', message: err.message } });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}` } }),
  );
}
