// JSON body parser that tells the client WHERE its JSON broke (Fastify's default only says "not
// valid JSON"), refuses prototype-poisoning keys, and bounds nesting before anything is built (a
// 6,000-level body parses fine but later overflows the stack of every JSON.stringify that meets it).
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors';
import { DEFAULT_REQUEST_LIMITS } from '../core/limits';
import { jsonDepthExceeds } from './limits';

function rejectPoison(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new AppError(400, 'Malformed JSON body: "__proto__" keys are not allowed', 'body');
  return value;
}

export function parseJsonBody(text: string, maxDepth = DEFAULT_REQUEST_LIMITS.jsonDepth): unknown {
  if (text.trim() === '') throw new AppError(400, 'Malformed JSON body: the body is empty but Content-Type is application/json', 'body');
  if (jsonDepthExceeds(text, maxDepth)) throw new AppError(400, `Malformed JSON body: nested deeper than ${maxDepth} levels`, 'body');
  try {
    // The reviver costs a call per value: only a body that mentions "__proto__" pays for it.
    return text.includes('"__proto__"') ? JSON.parse(text, rejectPoison) : JSON.parse(text);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, `Malformed JSON body: ${err instanceof Error ? err.message : String(err)}`, 'body');
  }
}

export function installJsonParser(app: FastifyInstance, maxDepth = DEFAULT_REQUEST_LIMITS.jsonDepth): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string, maxDepth));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
