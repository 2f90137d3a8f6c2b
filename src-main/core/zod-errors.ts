// Turns zod issues into the one-line `detail` clients see ("guidance_scale: must be <= 20"), so a
// caller can fix the request without reading the schema. Every adapter (HTTP families, IPC, CLI)
// reports validation failures through this one function.
import type { z } from 'zod';
import { AppError } from './errors';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  return typeof value;
}

function valueAt(input: unknown, path: Path): unknown {
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
      if (issue.origin === 'array') return `must have at most ${issue.maximum} items`;
      return issue.origin === 'string' ? `must be at most ${issue.maximum} characters` : `must be ${op} ${issue.maximum}`;
    }
    case 'too_small': {
      const op = issue.inclusive === false ? '>' : '>=';
      if (issue.origin === 'number' && Number(issue.minimum) === 0 && issue.inclusive === false) return 'must be > 0';
      if (issue.origin === 'array') return `must have at least ${issue.minimum} item${Number(issue.minimum) === 1 ? '' : 's'}`;
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

/** Default naming: the dotted path, or "body" for the value itself. */
const dotted = (path: Path): string => (path.length === 0 ? 'body' : path.map(String).join('.'));

/**
 * All issues in one line; `field` is the first offending path so clients can highlight it.
 * `nameOf` names a path differently (argument lists name their positions).
 */
export function zodErrorToAppError(error: z.ZodError, input: unknown, nameOf: (path: Path) => string = dotted): AppError {
  const issues = error.issues;
  const parts = issues.map((issue) => `${nameOf(issue.path)}: ${describeRule(issue, input)}`);
  const first = issues[0];
  return new AppError(400, parts.join('; '), first ? nameOf(first.path) : undefined);
}
