// The one configuration module: every ADFORGE_* setting and every path (data, models, fonts, the
// packaged app's resources) is resolved here, once, and passed down; no other module reads the
// environment. CLI flags win over environment variables, which win over the embedded defaults.
// Pure (no I/O) so every rule is unit-testable.
import path from 'node:path';
import { DEFAULT_MAX_PIXELS, DEFAULT_REQUEST_LIMITS, type RequestLimits } from './core/limits';
import { isLoopbackHost } from './core/net';

export { isLoopbackHost };

export const DEFAULT_PORT = 8000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
export const DEFAULT_COMFY_PORT = 8188;
export const DEFAULT_DISK_RESERVE_MB = 200;
/** Jobs waiting in the one lane, all families together (the runner's bound; each family has its own below). */
export const DEFAULT_MAX_QUEUE = 256;

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
  /** Most jobs waiting in the lane, all families together (ADFORGE_MAX_QUEUE); more are refused with 503. */
  maxQueue: number;
  /** Per-family queue bounds, graph bounds, JSON depth, WebSocket frame size (ADFORGE_QUEUE_*, ADFORGE_GRAPH_*, ...). */
  limits: RequestLimits;
  /** Built pipeline worker (dist/worker.js). */
  workerScript: string;
  /** Execution-provider order override (ADFORGE_PROVIDERS), undefined = engine default. */
  providers?: string[];
  /** Finished jobs older than maxAgeDays, or beyond the newest maxJobs, are deleted (null = keep). */
  retention: { maxAgeDays: number | null; maxJobs: number | null };
  /** Extra Host header names accepted behind a proxy (ADFORGE_ALLOWED_HOSTS). */
  extraHosts: string[];
  /** CPU priority of the pipeline worker (ADFORGE_WORKER_NICE, default 10), so the API stays responsive. */
  workerNice: number;
  /** Folder holding the shipped fonts/ and models/ manifests (the app root, or a packaged app's resources). */
  resourcesDir: string;
  /** GPU memory the diffusion engines may use, GiB (ADFORGE_VRAM_GB); null = no limit. */
  vramBudgetGb: number | null;
  /** Generative lettering's legibility guard: least per-character IoU, and retries with other seeds before the procedural fallback. */
  letteringGuard: { minIou: number; retries: number };
  /** Folders with model manifests: the shipped ones, then the user's models dir if it differs. */
  manifestDirs: string[];
  /**
   * Free space (MiB) the data folder keeps: below it new work is refused with 507 and /health is
   * degraded (ADFORGE_DISK_RESERVE_MB, default 200; 0/off = no reserve, a full disk still answers 507).
   */
  diskReserveMb: number | null;
  /** Hugging Face token for gated model downloads (HF_TOKEN), never echoed anywhere. */
  hfToken: string | null;
  /** The Hub model installs download from (HF_ENDPOINT, as huggingface_hub reads it: a mirror); default the public Hub. */
  hubUrl?: string;
  /**
   * Failure injection for the fault tests only ('crash' | 'hang', ADFORGE_TEST_FAULT): the worker
   * supervisor hands it to the worker with each job. Never set in normal use.
   */
  testFault: string | null;
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
  /** Folder holding package.json, fonts/ and models/ (ADFORGE_ROOT overrides it). */
  appRoot: string;
  /** A packaged desktop app's resources folder (fonts/, models/); default: appRoot. */
  resourcesDir?: string;
  /** Data folder used when neither --data-dir nor ADFORGE_DATA_DIR is given (desktop: userData/data). */
  defaultDataDir?: string;
  workerScript: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
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

function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Worker niceness: an integer -20..19 (default 10). */
function parseNice(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -20 || n > 19) throw new ConfigError(`ADFORGE_WORKER_NICE: must be an integer -20..19, got "${raw}"`);
  return n;
}

function resolveLimits(env: Record<string, string | undefined>): RequestLimits {
  const d = DEFAULT_REQUEST_LIMITS;
  const n = (name: string, fallback: number) => parsePositive(env[name], fallback, name);
  return {
    queue: {
      comfy: n('ADFORGE_QUEUE_COMFY', d.queue.comfy),
      studio: n('ADFORGE_QUEUE_STUDIO', d.queue.studio),
      bridge: n('ADFORGE_QUEUE_BRIDGE', d.queue.bridge),
      adgen: n('ADFORGE_QUEUE_ADGEN', d.queue.adgen),
    },
    graph: {
      maxNodes: n('ADFORGE_GRAPH_MAX_NODES', d.graph.maxNodes),
      maxDepth: n('ADFORGE_GRAPH_MAX_DEPTH', d.graph.maxDepth),
      maxInputBytes: n('ADFORGE_GRAPH_MAX_INPUT_BYTES', d.graph.maxInputBytes),
      maxOutputs: n('ADFORGE_GRAPH_MAX_OUTPUTS', d.graph.maxOutputs),
    },
    jsonDepth: n('ADFORGE_JSON_MAX_DEPTH', d.jsonDepth),
    wsMaxPayload: n('ADFORGE_WS_MAX_PAYLOAD', d.wsMaxPayload),
  };
}

function parseFraction(raw: string | undefined, fallback: number, source: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new ConfigError(`${source}: must be a number from 0 to 1, got "${raw}"`);
  return n;
}

function parseCount(raw: string | undefined, fallback: number, source: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new ConfigError(`${source}: must be a whole number from 0 to 10, got "${raw}"`);
  return n;
}

/** Desktop only: a folder to keep all user data in (tests, portable installs), or null. */
export function desktopUserDataOverride(env: Record<string, string | undefined>): string | null {
  return env.ADFORGE_USER_DATA || null;
}

export function resolveConfig(src: ConfigSources): AppConfig {
  const { flags, env, cwd } = src;
  const portRaw = pick(flags.port, env.ADFORGE_PORT);
  const port = portRaw === undefined ? DEFAULT_PORT : parsePort(portRaw, flags.port ? '--port' : 'ADFORGE_PORT');
  const host = pick(flags.host, env.ADFORGE_HOST) ?? DEFAULT_HOST;
  const dataDir = path.resolve(cwd, pick(flags['data-dir'], env.ADFORGE_DATA_DIR) ?? src.defaultDataDir ?? 'data');
  const apiKey = pick(flags['api-key'], env.ADFORGE_API_KEY) ?? null;
  const appRoot = env.ADFORGE_ROOT ? path.resolve(cwd, env.ADFORGE_ROOT) : src.appRoot;
  const resourcesDir = env.ADFORGE_ROOT ? appRoot : (src.resourcesDir ?? appRoot);
  const modelsDir = path.resolve(cwd, pick(flags['models-dir'], env.ADFORGE_MODELS_DIR) ?? path.join(resourcesDir, 'models'));
  const providers = splitList(env.ADFORGE_PROVIDERS).map((p) => p.toLowerCase());

  const config: AppConfig = {
    port,
    host,
    dataDir,
    apiKey,
    modelsDir,
    fontDirs: { bundled: path.join(resourcesDir, 'fonts'), user: path.join(dataDir, 'fonts') },
    bodyLimit: parsePositive(env.ADFORGE_BODY_LIMIT, DEFAULT_BODY_LIMIT, 'ADFORGE_BODY_LIMIT'),
    maxPixels: parsePositive(env.ADFORGE_MAX_PIXELS, DEFAULT_MAX_PIXELS, 'ADFORGE_MAX_PIXELS'),
    comfyPort: parsePort(
      pick(flags['comfy-port'], env.ADFORGE_COMFY_PORT) ?? String(DEFAULT_COMFY_PORT),
      flags['comfy-port'] ? '--comfy-port' : 'ADFORGE_COMFY_PORT',
    ),
    maxQueue: parsePositive(env.ADFORGE_MAX_QUEUE, DEFAULT_MAX_QUEUE, 'ADFORGE_MAX_QUEUE'),
    limits: resolveLimits(env),
    workerScript: src.workerScript,
    retention: {
      maxAgeDays: parseLimit(env.ADFORGE_RETENTION_DAYS, 30, 'ADFORGE_RETENTION_DAYS'),
      maxJobs: parseLimit(env.ADFORGE_MAX_JOBS, null, 'ADFORGE_MAX_JOBS'),
    },
    extraHosts: splitList(env.ADFORGE_ALLOWED_HOSTS),
    workerNice: parseNice(env.ADFORGE_WORKER_NICE),
    resourcesDir,
    hfToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || null,
    ...(env.HF_ENDPOINT ? { hubUrl: env.HF_ENDPOINT } : {}),
    vramBudgetGb: parseLimit(env.ADFORGE_VRAM_GB, null, 'ADFORGE_VRAM_GB'),
    letteringGuard: {
      minIou: parseFraction(env.ADFORGE_LETTERING_MIN_IOU, 0.6, 'ADFORGE_LETTERING_MIN_IOU'),
      retries: parseCount(env.ADFORGE_LETTERING_RETRIES, 1, 'ADFORGE_LETTERING_RETRIES'),
    },
    manifestDirs: [...new Set([path.join(resourcesDir, 'models'), modelsDir])],
    diskReserveMb: parseLimit(env.ADFORGE_DISK_RESERVE_MB, DEFAULT_DISK_RESERVE_MB, 'ADFORGE_DISK_RESERVE_MB'),
    testFault: env.ADFORGE_TEST_FAULT || null,
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
