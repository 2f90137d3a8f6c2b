// The one contract between the studio UI and whatever serves it: the Electron main process over IPC
// (through the single `studio` object the preload exposes) or the headless server over HTTP/WS.
// Types plus a few pure helpers, free of Electron and Node, so main, preload and renderer share it.
import type { ArtifactName, JobStatus } from '../src-main/core/jobs';
import { ARTIFACTS } from '../src-main/core/jobs';
import type { CompositionMode, GenerateRequestInput, TextPosition } from '../src-main/core/params';
import type { FontEntry, HealthInfo, JobCounts, JobEvent, JobRecord } from '../src-main/core/service';

export type { ArtifactName, CompositionMode, FontEntry, GenerateRequestInput, HealthInfo, JobCounts, JobEvent, JobRecord, JobStatus, TextPosition };

export interface JobsQuery {
  status?: JobStatus;
  search?: string;
  limit?: number;
  offset?: number;
}

export interface JobsPage {
  jobs: JobRecord[];
  /** Jobs matching the filter (for paging), and the counts over all jobs. */
  total: number;
  counts: JobCounts;
}

/** Where step 3 would put the headline for a position, in output pixels (rotation in degrees). */
export interface PlacementPreview {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  canvas: { width: number; height: number };
  layer: { width: number; height: number };
}

export interface ModelFileInfo {
  /** Path relative to models/. */
  name: string;
  bytes: number;
}

export interface ServerSettings {
  enabled: boolean;
  host: string;
  /** Configured port (0 = any free port). */
  port: number;
  /** Where it listens now, or null when it is off or failed to start. */
  url: string | null;
  apiKeySet: boolean;
  error: string | null;
}

export interface StudioSettings {
  shell: 'electron' | 'browser';
  version: string;
  dataDir: string;
  modelsDir: string;
  models: ModelFileInfo[];
  server: ServerSettings;
}

/** What the desktop shell lets the user change (applied at once: the server restarts). */
export interface SettingsUpdate {
  serverEnabled?: boolean;
  port?: number;
}

export interface ExportProgress {
  bytesDone: number;
  bytesTotal: number;
}

export interface ExportResult {
  /** File name the ZIP was saved under (browser: the download name). */
  fileName: string;
  bytes: number;
  /** False when the user closed the save dialog. */
  saved: boolean;
}

/** Menu commands the desktop shell sends to the UI. */
export type MenuCommand = 'new-ad' | 'open-history' | 'open-settings' | 'export-selected';

/**
 * Everything the studio UI can ask for. The preload's `window.studio` implements it over IPC; the
 * renderer's HTTP client implements it over the server's /api endpoints. URLs returned by
 * `assetUrl` are same-origin in both (http://host/ or adforge://app/).
 */
export interface StudioApi {
  readonly shell: 'electron' | 'browser';
  submit(request: GenerateRequestInput): Promise<JobRecord>;
  getJob(jobId: string): Promise<JobRecord>;
  listJobs(query: JobsQuery): Promise<JobsPage>;
  stopJob(jobId: string): Promise<JobRecord>;
  deleteJob(jobId: string): Promise<void>;
  fonts(): Promise<FontEntry[]>;
  health(): Promise<HealthInfo>;
  settings(): Promise<StudioSettings>;
  updateSettings(update: SettingsUpdate): Promise<StudioSettings>;
  previewPlacement(jobId: string, position: TextPosition, mode: CompositionMode): Promise<PlacementPreview>;
  exportZip(jobIds: string[], onProgress?: (p: ExportProgress) => void): Promise<ExportResult>;
  /** Job events as they happen; returns the unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Makes a same-origin path loadable by <img>/@font-face (adds the API key where one is needed). */
  assetUrl(path: string): string;
  openExternal(url: string): Promise<void>;
}

/** IPC channels: renderer → main, awaited. Each takes the arguments of the StudioApi method. */
export const INVOKE_CHANNELS = {
  submit: 'studio:submit',
  getJob: 'studio:get-job',
  listJobs: 'studio:list-jobs',
  stopJob: 'studio:stop-job',
  deleteJob: 'studio:delete-job',
  fonts: 'studio:fonts',
  health: 'studio:health',
  settings: 'studio:settings',
  updateSettings: 'studio:update-settings',
  previewPlacement: 'studio:preview-placement',
  exportZip: 'studio:export-zip',
  openExternal: 'studio:open-external',
} as const satisfies Partial<Record<keyof StudioApi, string>>;

export type InvokeMethod = keyof typeof INVOKE_CHANNELS;

/** The invoke signatures as main sees them (exportZip carries an export id for its progress events). */
export interface InvokeContract {
  submit: (request: GenerateRequestInput) => JobRecord;
  getJob: (jobId: string) => JobRecord;
  listJobs: (query: JobsQuery) => JobsPage;
  stopJob: (jobId: string) => JobRecord;
  deleteJob: (jobId: string) => void;
  fonts: () => FontEntry[];
  health: () => HealthInfo;
  settings: () => StudioSettings;
  updateSettings: (update: SettingsUpdate) => StudioSettings;
  previewPlacement: (jobId: string, position: TextPosition, mode: CompositionMode) => PlacementPreview;
  exportZip: (jobIds: string[], exportId: string) => ExportResult;
  openExternal: (url: string) => void;
}

/** What every invoke handler returns: errors travel as data because Electron flattens thrown errors to a message. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; status: number; detail: string; field?: string };

/** Prefix of the message of an error rethrown by the preload; the rest is the JSON of the failed IpcResult. */
export const IPC_ERROR_PREFIX = 'AdForgeError:';

/** IPC channels: main → renderer. */
export const EVENT_CHANNELS = {
  job: 'studio:job-event',
  exportProgress: 'studio:export-progress',
  menu: 'studio:menu',
} as const;

export interface ExportProgressMessage extends ExportProgress {
  exportId: string;
}

/** The custom scheme the desktop shell serves the UI, artifacts and fonts from. */
export const APP_SCHEME = 'adforge';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

const FILE_TO_ARTIFACT = new Map<string, ArtifactName>(Object.entries(ARTIFACTS).map(([k, v]) => [v, k as ArtifactName]));

/** Artifact name for a file name such as "final.png", or undefined. */
export function artifactOfFile(fileName: string): ArtifactName | undefined {
  return FILE_TO_ARTIFACT.get(fileName);
}

/** Same-origin path of a job's artifact; `width` asks for a thumbnail that wide. */
export function artifactPath(jobId: string, artifact: ArtifactName, opts: { width?: number; version?: string | number } = {}): string {
  const q = new URLSearchParams();
  if (opts.width) q.set('w', String(Math.round(opts.width)));
  if (opts.version !== undefined) q.set('v', String(opts.version));
  const qs = q.toString();
  return `/api/jobs/${encodeURIComponent(jobId)}/files/${ARTIFACTS[artifact]}${qs ? `?${qs}` : ''}`;
}

/** Same-origin path of a font file for @font-face. */
export function fontPath(name: string): string {
  return `/api/fonts/file?name=${encodeURIComponent(name)}`;
}

/** The strict content security policy of the studio page (meta tag and response header). */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
