export {
  HttpError,
  badRequest,
  forbidden,
  notFound,
  methodNotAllowed,
  conflict,
  serviceUnavailable,
} from '../errors/http-error.js';
export { describeError, statusText } from '../errors/describe-error.js';
export type { PublicError } from '../errors/describe-error.js';
export { errorBody, sendError, wantsJsonError } from '../errors/error-response.js';
export type { ErrorPage, ErrorProblem } from '../errors/error-response.js';
export { errorHandler } from '../errors/error-handler.js';
export type { ErrorHandlerOptions } from '../errors/error-handler.js';
export { notFoundHandler } from '../errors/not-found.js';
export type { NotFoundOptions } from '../errors/not-found.js';
