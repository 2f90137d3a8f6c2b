// One InferenceSession per model file for the life of the process: created on first use, shared by
// every job (a model load costs 0.3–3 s and hundreds of MB). Providers are tried in order with an
// explicit fallback because onnxruntime-node does not fall back by itself.
import * as ort from 'onnxruntime-node';
import { resolve } from 'node:path';
import { ProviderFailures, resolveProviderOrder } from './providers';

export interface SessionHandle {
  session: ort.InferenceSession;
  /** The execution provider the session actually runs on. */
  provider: string;
}

export interface GetSessionOptions {
  /** Order to try (the configured providers). Default cuda → webgpu → cpu. */
  providers?: readonly string[];
  log?: (message: string) => void;
  /** Extra ORT session options (memory arena, free dimension overrides…); providers stay ours. Applied when the session is first created. */
  sessionOptions?: Omit<ort.InferenceSession.SessionOptions, 'executionProviders'>;
  /**
   * Throw an out-of-memory failure instead of trying the next provider (and without marking the
   * provider bad): a diffusion model that does not fit in VRAM must not quietly load into RAM.
   */
  failOnOutOfMemory?: boolean;
}

const sessions = new Map<string, Promise<SessionHandle>>();
// The worker forwards logs to the main thread, so the sink is whatever the latest caller gave.
let logSink: (message: string) => void = (m) => console.warn(m);
const failures = new ProviderFailures((m) => logSink(m));
let lastProvider: string | null = null;
let envConfigured = false;

function configureEnv(): void {
  if (envConfigured) return;
  // Before the first session: silences native [E:onnxruntime] lines from failed provider probes.
  ort.env.logLevel = 'fatal';
  envConfigured = true;
}

async function createWithFallback(path: string, opts: GetSessionOptions): Promise<SessionHandle> {
  configureEnv();
  const order = resolveProviderOrder(opts.providers);
  const errors: string[] = [];
  for (const provider of order) {
    if (failures.isKnownBad(provider)) continue;
    try {
      const session = await ort.InferenceSession.create(path, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        executionMode: 'sequential',
        ...opts.sessionOptions,
      });
      lastProvider = provider;
      return { session, provider };
    } catch (err) {
      // A missing/corrupt model file is not the provider's fault: do not blacklist, fail now.
      if (isModelError(err)) throw err;
      if (opts.failOnOutOfMemory && isOutOfMemory(err)) throw err;
      failures.record(provider, err);
      errors.push(`${provider}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  const known = failures.reasons();
  throw new Error(`no execution provider could load ${path} (tried ${order.join(', ')}): ${errors.join('; ') || JSON.stringify(known)}`);
}

function isModelError(err: unknown): boolean {
  const m = err instanceof Error ? err.message : String(err);
  return /no such file|ENOENT|Load model from .* failed|Protobuf parsing failed|INVALID_PROTOBUF|INVALID_GRAPH/i.test(m);
}

/** ORT's allocation failures (CPU arena, CUDA/BFC arena, cudaMalloc, std::bad_alloc). */
export function isOutOfMemory(err: unknown): boolean {
  const m = err instanceof Error ? err.message : String(err);
  return /out of memory|Failed to allocate memory|bad[_ ]alloc|BFCArena|cudaMalloc|CUDNN_STATUS_ALLOC_FAILED|CUBLAS_STATUS_ALLOC_FAILED|Available memory of \d+ is smaller than requested bytes|ENOMEM/i.test(
    m,
  );
}

/** The shared session for a model file (created once; concurrent callers share the same promise). */
export function getSession(modelPath: string, opts: GetSessionOptions = {}): Promise<SessionHandle> {
  const key = resolve(modelPath);
  let entry = sessions.get(key);
  if (!entry) {
    if (opts.log) logSink = opts.log;
    entry = createWithFallback(key, opts);
    sessions.set(key, entry);
    // A failed creation must not poison the cache: the next job may have the file by then.
    entry.catch(() => sessions.delete(key));
  }
  return entry;
}

/** A session for this file is loaded or loading: getSession will not read the file again. */
export function hasSession(modelPath: string): boolean {
  return sessions.has(resolve(modelPath));
}

/** Provider of the most recently created session, for /health; null before any model loaded. */
export function currentProvider(): string | null {
  return lastProvider;
}

/** Providers that failed in this process and why (shown in diagnostics). */
export function providerFailures(): Record<string, string> {
  return failures.reasons();
}

/**
 * Releases one model's session (its memory) and forgets it, so the next getSession loads it again.
 * For engines that load big models one after another (diffusion low-memory mode). False if none.
 */
export async function releaseSession(modelPath: string): Promise<boolean> {
  const key = resolve(modelPath);
  const entry = sessions.get(key);
  if (!entry) return false;
  sessions.delete(key);
  try {
    await (await entry).session.release();
  } catch {
    // creation failed or already released: nothing to free
  }
  return true;
}

/** Releases every session (tests, worker shutdown). */
export async function releaseAllSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  for (const p of all) {
    try {
      await (await p).session.release();
    } catch {
      // already failed or released: nothing to free
    }
  }
}
