/**
 * @module Errors, translated once into RFC 9457 problem+json: `{type, title, status, detail, code,
 * instance, requestId, errors?}` with a stable `code`. Domain errors keep their status and code;
 * Fastify's own request errors (validation, body size, media type) get `request.*` codes;
 * anything else is a 500 that says nothing about internals and is logged with the request id.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, type ErrorLocation } from '../../core/index.js';
import { toFieldErrors, type FieldError } from './validation.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
  location?: ErrorLocation;
  details?: Record<string, unknown>;
}

export const problemType = (code: string): string => `urn:careguard:problem:${code}`;

/** Fastify's request-level failures and the stable codes we give them. */
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'request.too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'request.unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'request.invalid_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'request.empty_body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'request.malformed_json' },
  FST_ERR_BAD_URL: { status: 400, code: 'request.bad_url' },
};

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

const base = (req: FastifyRequest, status: number, code: string, detail: string): Problem => ({
  type: problemType(code),
  title: STATUS_CODES[status] ?? 'Error',
  status,
  detail,
  code,
  instance: req.url.split('?')[0] ?? req.url,
  requestId: req.id,
});

export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (isDomainError(error)) {
    const problem = base(req, error.status, error.code, error.message);
    if (error.location) {
      problem.location = error.location;
      if (error.location.pointer !== undefined) problem.errors = [{ in: 'body', pointer: error.location.pointer, detail: error.message }];
    }
    if (error.details) problem.details = error.details;
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter));
    if (error.status >= 500) req.log.error({ err: error }, 'request failed');
    else req.log.info({ code: error.code, status: error.status }, 'request refused');
    return sendProblem(reply, problem);
  }
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const errors = toFieldErrors(error.validation, part);
    const summary = errors.map((e) => `${e.pointer || '/'} ${e.detail}`).join('; ');
    req.log.info({ code: 'request.invalid', part }, 'request refused');
    return sendProblem(reply, { ...base(req, 400, 'request.invalid', `the request ${part} is invalid: ${summary}`), errors });
  }
  const known = FASTIFY_CODES[error.code];
  const status = known?.status ?? error.statusCode ?? 500;
  if (status < 500) {
    const code = known?.code ?? 'request.invalid';
    req.log.info({ code, status }, 'request refused');
    return sendProblem(reply, base(req, status, code, error.message));
  }
  req.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, base(req, 500, 'internal', `an internal error occurred; quote request id ${req.id} when reporting it`));
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = base(req, 404, 'route.not_found', '');
  problem.detail = `no route for ${req.method} ${problem.instance}`;
  return sendProblem(reply, problem);
}
