// Turns zod issues into the one-line `detail` clients see ("guidance_scale: must be <= 20"), so a
// caller can fix the request without reading the schema.
import type { z } from 'zod';
import { AppError } from '../core/errors';
import { GenerateRequestSchema, type GenerateRequest } from '../core/params';

type Issue = z.core.$ZodIssue;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return typeof value;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

function describeRule(issue: Issue, input: unknown): string {
  switch (issue.code) {
    case 'too_big': {
      const op = issue.inclusive === false ? '<' : '<=';
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be ${op} ${issue.maximum}`;
    }
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '>=';
      if (issue.origin === 'number' && Number(issue.minimum) === 0 && issue.inclusive === false) return 'must be > 0';
      return issue.origin === 'string' ? `must be at least ${issue.minimum} characters` : `must be ${op} ${issue.minimum}`;
    }
    case 'invalid_type': {
      const expected = issue.expected === 'int' ? 'an integer' : issue.expected;
      return `must be ${expected}, got ${typeName(valueAt(input, issue.path))}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    default:
      return issue.message;
  }
}

function pathOf(issue: Issue): string {
  return issue.path.length === 0 ? 'body' : issue.path.map(String).join('.');
}

/** All issues in one line; `field` is the first offending path so clients can highlight it. */
export function zodErrorToAppError(error: z.ZodError, input: unknown): AppError {
  const issues = error.issues;
  const parts = issues.map((issue) => `${pathOf(issue)}: ${describeRule(issue, input)}`);
  const first = issues[0];
  return new AppError(400, parts.join('; '), first ? pathOf(first) : undefined);
}

/** Validates a POST /generate body; throws AppError 400 naming the field(s) and rule(s). */
export function parseGenerateRequest(body: unknown): GenerateRequest {
  if (body === undefined) throw new AppError(400, 'body: a JSON object is required (Content-Type: application/json)', 'body');
  const result = GenerateRequestSchema.safeParse(body);
  if (!result.success) throw zodErrorToAppError(result.error, body);
  const req = result.data;
  if (req.stop_step !== null && req.stop_step < req.start_step) {
    throw new AppError(400, `stop_step: must be >= start_step (${req.start_step})`, 'stop_step');
  }
  return req;
}
