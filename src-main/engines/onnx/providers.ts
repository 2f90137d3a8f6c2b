// Execution-provider order and the memory of which providers failed in this process.
// onnxruntime-node throws instead of falling back when a provider cannot start (no CUDA libs, no
// WebGPU adapter), so the caller tries them one by one; remembering failures keeps every later
// session creation from paying for (and logging) the same failure again.

export const DEFAULT_PROVIDERS = ['cuda', 'webgpu', 'cpu'] as const;

const KNOWN = new Set(['cuda', 'tensorrt', 'webgpu', 'dml', 'coreml', 'cpu']);

/**
 * The order to try: an override (comma list; the configured ADFORGE_PROVIDERS arrives as the
 * caller's list) wins over the caller's list, which wins over the default. Unknown names are
 * dropped so a typo cannot leave the app with no provider at all.
 */
export function resolveProviderOrder(requested?: readonly string[], envValue?: string): string[] {
  const fromEnv = envValue
    ?.split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const source = fromEnv && fromEnv.length > 0 ? fromEnv : requested && requested.length > 0 ? requested : DEFAULT_PROVIDERS;
  const out: string[] = [];
  for (const p of source) {
    const name = p.toLowerCase();
    if (KNOWN.has(name) && !out.includes(name)) out.push(name);
  }
  return out.length > 0 ? out : ['cpu'];
}

/** Providers that failed once in this process, with the first line of the reason. */
export class ProviderFailures {
  private readonly failed = new Map<string, string>();

  constructor(private readonly log: (message: string) => void = (m) => console.warn(m)) {}

  isKnownBad(provider: string): boolean {
    return this.failed.has(provider);
  }

  /** Records a failure and logs it the first time only. */
  record(provider: string, error: unknown): void {
    if (this.failed.has(provider)) return;
    const reason = firstLine(error);
    this.failed.set(provider, reason);
    this.log(`onnx: execution provider ${provider} unavailable, trying the next one (${reason})`);
  }

  reasons(): Record<string, string> {
    return Object.fromEntries(this.failed);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text.split('\n')[0] ?? text;
  // ORT prefixes messages with a source path and the failed check; keep the human part.
  const cut = line.replace(/^\/onnxruntime_src\/\S+\s*/, '').replace(/^.*\bwas false\.\s*/, '');
  return cut.length > 240 ? `${cut.slice(0, 240)}…` : cut;
}
