/**
 * The one error type the service throws on purpose. `code` is stable for clients,
 * `message` tells a person what to do, `status` is the HTTP answer, and
 * `reportable` marks faults worth an operator's attention (vs. a caller's mistake).
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly reportable = false,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found`, 404);
export const unauthorized = () =>
  new AppError('unauthorized', 'Sign in first: send "Authorization: Bearer <token>" from `hotline staff add`', 401);
