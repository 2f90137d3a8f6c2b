// Input bounds shared by the configuration (defaults) and the codec (its own default when no
// configuration is passed, e.g. in tests and bench scripts).

/** Largest accepted decoded image, in pixels, unless ADFORGE_MAX_PIXELS says otherwise. */
export const DEFAULT_MAX_PIXELS = 40_000_000;

/**
 * What one client may ask of the server (issue 10): waiting jobs per API family, the size and shape
 * of a ComfyUI graph, JSON nesting, and WebSocket frames. Past a queue bound a family answers 503
 * (in its own error shape) with Retry-After; past the others a 400/413 naming the bound.
 */
export interface RequestLimits {
  /** Jobs a family may have waiting (not yet running) in the lane. */
  queue: { comfy: number; studio: number; bridge: number; adgen: number };
  /** ComfyUI graphs: node count, longest link chain, bytes of one input value, output nodes per prompt. */
  graph: { maxNodes: number; maxDepth: number; maxInputBytes: number; maxOutputs: number };
  /** Deepest nesting of objects and arrays in a JSON body. */
  jsonDepth: number;
  /** Largest WebSocket message a client may send, in bytes (the socket is closed with 1009 above it). */
  wsMaxPayload: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  queue: { comfy: 100, studio: 50, bridge: 50, adgen: 50 },
  graph: { maxNodes: 500, maxDepth: 64, maxInputBytes: 64 * 1024, maxOutputs: 8 },
  jsonDepth: 64,
  wsMaxPayload: 64 * 1024,
};
