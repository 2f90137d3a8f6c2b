// Every failure leaves the server as JSON with a `detail` (and `field` when one is at fault): a
// client never gets an HTML page or a dropped connection, and a bad request never crashes the process.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AppError, BusyError } from '../core/errors';
import { zodErrorToAppError } from '../core/zod-errors';
import { nameErrorOf, publicMessage } from './redact';

const MIB = 1024 * 1024;

/** The nanoCocoa 503 body, plus `detail` so it reads like every other error (or says which queue is full). */
export function sendBusy(reply: FastifyReply, retryAfter: number, detail?: string): FastifyReply {
  const n = Math.max(1, Math.ceil(retryAfter));
  const message = `Busy. Retry after ${n}s`;
  return reply
    .code(503)
    .header('Retry-After', String(n))
    .send({ status: 'busy', message, retry_after: n, detail: detail ?? message });
}

export function sendAppError(reply: FastifyReply, err: AppError): FastifyReply {
  if (err instanceof BusyError) return sendBusy(reply, err.retryAfterSeconds, err.detail.startsWith('Busy.') ? undefined : err.detail);
  return reply.code(err.status).send(err.field ? { detail: err.detail, field: err.field } : { detail: err.detail });
}

function isFastifyError(err: unknown): err is FastifyError {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'string';
}

export function installErrorHandlers(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: unknown, request, reply) => {
    if (err instanceof AppError) return sendAppError(reply, err);
    if (err instanceof z.ZodError) return sendAppError(reply, zodErrorToAppError(err, request.body));
    if (isFastifyError(err)) {
      switch (err.code) {
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return reply.code(400).send({
            detail: `Malformed JSON body: ${err.message.replace(/^Body is not valid JSON but content-type is set to 'application\/json'$/, 'not valid JSON')}`,
            field: 'body',
          });
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return reply.code(400).send({ detail: 'Malformed JSON body: the body is empty but Content-Type is application/json', field: 'body' });
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return reply.code(413).send({
            detail: `Request body too large: the limit is ${Math.round(bodyLimit / MIB)} MiB (${bodyLimit} bytes). Send smaller images.`,
            field: 'body',
          });
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return reply.code(415).send({ detail: `Unsupported Content-Type "${request.headers['content-type'] ?? ''}": send application/json`, field: 'body' });
      }
    }
    // JSON.parse errors surface as SyntaxError with statusCode 400 from the content-type parser.
    if (err instanceof SyntaxError) return reply.code(400).send({ detail: `Malformed JSON body: ${err.message}`, field: 'body' });
    const nameError = nameErrorOf(err);
    if (nameError) return reply.code(nameError.status).send({ detail: nameError.detail });
    const status = isFastifyError(err) && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ detail: publicMessage((err as Error).message) });
    request.log.error({ err }, 'unhandled error');
    // The message may quote a server path (fs errors do): never in a response body.
    return reply.code(500).send({ detail: `Internal server error: ${publicMessage(err instanceof Error ? err.message : String(err))}` });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ detail: `Not found: ${request.method} ${request.url.split('?')[0]}` });
  });
}
