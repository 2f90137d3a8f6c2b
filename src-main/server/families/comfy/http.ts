// HTTP conventions of the ComfyUI family: errors in ComfyUI's {error, node_errors} shape, bodies
// parsed as JSON whatever their Content-Type (clients send text/plain or none), query integers.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError, BusyError } from '../../../core/errors';
import { parseJsonBody } from '../../json-body';
import { DEFAULT_REQUEST_LIMITS } from '../../../core/limits';
import { nameErrorOf, publicMessage } from '../../redact';
import { comfyError, type ComfyErrorBody } from './graph';
import { PromptRejected } from './prompt-body';

export type Json = Record<string, unknown>;

export class ComfyHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ComfyErrorBody,
  ) {
    super(body.error.message);
  }
}

export const bad = (status: number, type: string, message: string, details = '') => new ComfyHttpError(status, comfyError(type, message, details));

/** The body as an object; anything else (none, an array, a scalar) reads as `{}`. */
export function obj(body: unknown): Json {
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Json) : {};
}

export function intQuery(v: unknown, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw bad(400, 'invalid_query', `${name} must be a non-negative integer`, `${name}=${String(v)}`);
  return n;
}

/** ComfyUI's bare OK: 200, empty body, application/octet-stream. */
export const okEmpty = (reply: FastifyReply) => reply.code(200).type('application/octet-stream').send('');

/**
 * Every body is JSON whatever its Content-Type; an empty body is "no body" (POST /interrupt, /free).
 * Nesting is bounded and `__proto__` keys refused before anything is built (ComfyUI's error shape).
 */
export function installComfyBodyParser(app: FastifyInstance, maxDepth = DEFAULT_REQUEST_LIMITS.jsonDepth): void {
  for (const type of ['application/json', 'text/plain']) if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, parseJsonBody(text, maxDepth));
    } catch (err) {
      const why = err instanceof AppError ? err.detail.replace(/^Malformed JSON body: /, '') : 'the request body is not valid JSON';
      done(bad(400, 'invalid_prompt', 'Invalid JSON body', why), undefined);
    }
  });
}

/** ComfyUI-shaped 503 for a full queue or a busy lane, with Retry-After. */
export function sendComfyBusy(reply: FastifyReply, err: BusyError): FastifyReply {
  const n = Math.max(1, Math.ceil(err.retryAfterSeconds));
  return reply
    .code(503)
    .header('Retry-After', String(n))
    .send(comfyError('queue_full', 'Server is busy: the queue is full', err.detail, { retry_after: n }));
}

export function installComfyErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof PromptRejected) return reply.code(400).send(err.body);
    if (err instanceof ComfyHttpError) return reply.code(err.status).send(err.body);
    if (err instanceof BusyError) return sendComfyBusy(reply, err);
    if (err instanceof AppError) return reply.code(err.status).send(comfyError(err.status === 507 ? 'insufficient_storage' : 'invalid_request', err.detail));
    const nameError = nameErrorOf(err);
    if (nameError) return reply.code(nameError.status).send(comfyError('invalid_request', nameError.detail));
    const status = (err as { statusCode?: number }).statusCode;
    const code = (err as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) return reply.code(413).send(comfyError('request_too_large', 'Request body too large'));
    if (typeof status === 'number' && status >= 400 && status < 500)
      return reply.code(status).send(comfyError('invalid_request', publicMessage((err as Error).message)));
    request.log.error({ err }, 'comfy family error');
    return reply.code(500).send(comfyError('server_error', 'Internal server error', publicMessage(err instanceof Error ? err.message : String(err))));
  });
}
