// JSON body parser that tells the client WHERE its JSON broke (Fastify's default only says "not
// valid JSON") and refuses prototype-poisoning keys.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors';

function rejectPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new AppError(400, 'Malformed JSON body: "__proto__" keys are not allowed', 'body');
  return value;
}

export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new AppError(400, 'Malformed JSON body: the body is empty but Content-Type is application/json', 'body');
  try {
    return JSON.parse(text, rejectPoison);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, `Malformed JSON body: ${err instanceof Error ? err.message : String(err)}`, 'body');
  }
}

export function installJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
