// What one client may ask of the server (issue 10), as the server applies it: the configured bounds
// (config.limits, handed down by runtime) or, for servers built without them (tests, embedders),
// the defaults config.ts uses too (core/limits.ts).
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../core/limits';

export type { RequestLimits };

/** Configured limits over the defaults, section by section (a test may set only `queue.comfy`). */
export function serverLimits(partial?: DeepPartial<RequestLimits>): RequestLimits {
  const d = DEFAULT_REQUEST_LIMITS;
  return {
    queue: { ...d.queue, ...partial?.queue },
    graph: { ...d.graph, ...partial?.graph },
    jsonDepth: partial?.jsonDepth ?? d.jsonDepth,
    wsMaxPayload: partial?.wsMaxPayload ?? d.wsMaxPayload,
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

/** The @fastify/websocket options every server registers with: small frames only, nothing kept. */
export function websocketOptions(limits: RequestLimits): { options: { maxPayload: number } } {
  return { options: { maxPayload: limits.wsMaxPayload } };
}

/**
 * Deepest nesting of objects/arrays in a JSON text, stopping as soon as `max` is passed: one linear
 * pass over the characters, before JSON.parse builds anything (and before JSON.stringify of a deep
 * value could later overflow the stack). Strings are skipped with their escapes.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // a string: skip to its closing quote
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
