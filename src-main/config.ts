// One resolved configuration for the server, CLI and StudioService: CLI flags win over environment
// variables, which win over the embedded defaults. Pure (no I/O) so every rule is unit-testable.
import path from 'node:path';

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 40_000_000;
export const DEFAULT_COMFY_PORT = 8188;

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  apiKey: string | null;
  modelsDir: string;
  fontDirs: { bundled: string; user: string | null };
  /** Largest accepted request body in bytes (base64 images travel in JSON). */
  bodyLimit: number;
  /** Largest accepted decoded image, in pixels. */
  maxPixels: number;
  comfyPort: number;
  /** Built pipeline worker (dist/worker.js). */
  workerScript: string;
  /** Execution-provider order override (ADFORGE_PROVIDERS), undefined = engine default. */
  providers?: string[];
  /** Finished jobs older than maxAgeDays, or beyond the newest maxJobs, are deleted (null = keep). */
  retention: { maxAgeDays: number | null; maxJobs: number | null };
}

/** Flags as the CLI parsed them; every value is still a string. */
export interface ConfigFlags {
  port?: string;
  host?: string;
  'data-dir'?: string;
  'api-key'?: string;
  'models-dir'?: string;
  'comfy-port'?: string;
}

export interface ConfigSources {
  flags: ConfigFlags;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Folder holding package.json, fonts/ and models/. */
  appRoot: string;
  workerScript: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Loopback names and addresses: binding to anything else exposes the server to the network. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function pick(flag: string | undefined, envValue: string | undefined): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  if (envValue !== undefined && envValue !== '') return envValue;
  return undefined;
}

function parsePort(raw: string, source: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${source}: port must be an integer 0-65535, got "${raw}"`);
  const n = Number(raw);
  if (n > 65535) throw new ConfigError(`${source}: port must be an integer 0-65535, got "${raw}"`);
  return n;
}

function parsePositive(raw: string | undefined, fallback: number, source: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${source}: must be a positive number, got "${raw}"`);
  return Math.floor(n);
}

/** A retention limit: a positive number, or 0/"off" for no limit. */
function parseLimit(raw: string | undefined, fallback: number | null, source: string): number | null {
  if (raw === undefined || raw === '') return fallback;
  if (raw === '0' || raw.toLowerCase() === 'off') return null;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${source}: must be a positive number, 0 or "off", got "${raw}"`);
  return n;
}

export function resolveConfig(src: ConfigSources): AppConfig {
  const { flags, env, cwd } = src;
  const portRaw = pick(flags.port, env.ADFORGE_PORT);
  const port = portRaw === undefined ? DEFAULT_PORT : parsePort(portRaw, flags.port ? '--port' : 'ADFORGE_PORT');
  const host = pick(flags.host, env.ADFORGE_HOST) ?? DEFAULT_HOST;
  const dataDir = path.resolve(cwd, pick(flags['data-dir'], env.ADFORGE_DATA_DIR) ?? 'data');
  const apiKey = pick(flags['api-key'], env.ADFORGE_API_KEY) ?? null;
  const modelsDir = path.resolve(cwd, pick(flags['models-dir'], env.ADFORGE_MODELS_DIR) ?? path.join(src.appRoot, 'models'));
  const providers = env.ADFORGE_PROVIDERS?.split(',').map((p) => p.trim()).filter(Boolean);

  const config: AppConfig = {
    port,
    host,
    dataDir,
    apiKey,
    modelsDir,
    fontDirs: { bundled: path.join(src.appRoot, 'fonts'), user: path.join(dataDir, 'fonts') },
    bodyLimit: parsePositive(env.ADFORGE_BODY_LIMIT, DEFAULT_BODY_LIMIT, 'ADFORGE_BODY_LIMIT'),
    maxPixels: parsePositive(env.ADFORGE_MAX_PIXELS, DEFAULT_MAX_PIXELS, 'ADFORGE_MAX_PIXELS'),
    comfyPort: parsePort(pick(flags['comfy-port'], env.ADFORGE_COMFY_PORT) ?? String(DEFAULT_COMFY_PORT), flags['comfy-port'] ? '--comfy-port' : 'ADFORGE_COMFY_PORT'),
    workerScript: src.workerScript,
    retention: {
      maxAgeDays: parseLimit(env.ADFORGE_RETENTION_DAYS, 30, 'ADFORGE_RETENTION_DAYS'),
      maxJobs: parseLimit(env.ADFORGE_MAX_JOBS, null, 'ADFORGE_MAX_JOBS'),
    },
    ...(providers && providers.length > 0 ? { providers } : {}),
  };
  assertSafeBind(config);
  return config;
}

/** Anyone on the network could drive (and read) the server: refuse a non-loopback bind without a key. */
export function assertSafeBind(config: Pick<AppConfig, 'host' | 'apiKey'>): void {
  if (!isLoopbackHost(config.host) && !config.apiKey) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} without an API key: binding to a non-loopback address exposes ` +
        `the server to the network. Set --api-key KEY or ADFORGE_API_KEY, or bind to 127.0.0.1.`,
    );
  }
}
