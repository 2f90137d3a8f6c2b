// The contract of StudioService: the one object every adapter (HTTP families, IPC handlers, the
// desktop protocol, the CLI) calls. Types only, free of Node types, so the renderer and the preload
// contract can share them.
import type { ArtifactName, EngineInfo, EngineReports, JobStatus, StepId, SubStepId } from './jobs';
import type { CompositionMode, GenerateRequest, TextPosition } from './params';

export interface GpuInfo {
  index: number;
  name: string;
  gpu_util: number;
  vram_used_gb: number;
  vram_total_gb: number;
  vram_percent: number;
}

export interface SystemMetrics {
  cpu_percent: number;
  ram_used_gb: number;
  ram_total_gb: number;
  ram_percent: number;
  gpu_info: GpuInfo[];
}

/** A job as stored and reported; images are artifacts in the run folder, never inline here. */
export interface JobRecord {
  job_id: string;
  status: JobStatus;
  start_step: 1 | 2 | 3;
  stop_step: 1 | 2 | 3;
  progress_percent: number;
  current_step: StepId | null;
  sub_step: SubStepId | null;
  message: string;
  error: string | null;
  /** Unix seconds (float). */
  created_at: number;
  start_time: number | null;
  finished_at: number | null;
  /** Seconds the job has run (live while running). */
  elapsed_sec: number;
  /** Remaining seconds for the whole job / for the current step; null when not running. */
  eta_seconds: number | null;
  step_eta_seconds: number | null;
  /** Request parameters without image payloads. */
  parameters: Omit<GenerateRequest, 'product_image' | 'step1_image' | 'step2_image'> & { seed: number };
  /** Which engine served each stage, and the ONNX execution provider in use. */
  engines: EngineInfo;
  /** Per role, what the engine said: provider, prompt actually used, words understood, parameters ignored, fallback note. */
  engine_reports: EngineReports;
  execution_provider: string | null;
  /** Artifacts present in the run folder. */
  artifacts: ArtifactName[];
  /** Steps whose results were reused (from_job_id / uploads) rather than computed. */
  reused_steps: StepId[];
  /** Which family submitted it (nanococoa, comfy, bridge, adgen, studio, cli). */
  client: string;
  /** Seconds per sub-step actually measured for this job. */
  timings: Partial<Record<SubStepId, number>>;
  /**
   * Artifacts found damaged (truncated or altered since they were written) by a read so far; present
   * only when there is one. They stay listed in `artifacts` but are never served as if intact.
   */
  damaged?: ArtifactName[];
}

export interface JobCounts {
  total_jobs: number;
  active_jobs: number;
  completed_jobs: number;
  failed_jobs: number;
  stopped_jobs: number;
  pending_jobs: number;
}

export type JobEvent =
  | { type: 'created'; job: JobRecord }
  | { type: 'started'; job: JobRecord }
  | { type: 'progress'; job: JobRecord }
  | { type: 'step-result'; job: JobRecord; step: StepId; artifact: ArtifactName }
  | { type: 'finished'; job: JobRecord }
  | { type: 'deleted'; jobId: string };

export interface SubmitOptions {
  /** false (nanoCocoa contract): throw BusyError when the lane is taken; true (ComfyUI): queue. */
  queue: boolean;
  client: string;
}

export interface FontEntry {
  /** Name to pass as font_name, e.g. "NanumSquare/NanumSquareB.ttf". */
  name: string;
  family: string;
  source: 'bundled' | 'user';
}

export interface ListJobsQuery {
  status?: JobStatus;
  search?: string;
  limit?: number;
  offset?: number;
}

/** One page of the job history. */
export interface JobsPage {
  jobs: JobRecord[];
  /** Jobs matching the filter, all pages together (for paging), and the counts over all jobs. */
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

/** A file to send as it is (artifact, thumbnail, font, studio UI asset). */
export interface FileBody {
  body: Uint8Array;
  contentType: string;
}

export interface ModelFileInfo {
  /** Path relative to models/. */
  name: string;
  bytes: number;
}

/** A model as the Settings page and GET /api/models show it: install state, size, fit, licence. */
export interface ModelInfo {
  id: string;
  name: string;
  role: string;
  roles: string[];
  /** installed | unverified | outdated | partial | missing | bundled (shipped inside the app). */
  state: string;
  /** An engine can load it now. */
  usable: boolean;
  /** How it is obtained: from the Hugging Face Hub, shipped in npm, or placed by hand. */
  distribution: 'hub' | 'npm' | 'manual';
  bytes_present: number;
  bytes_expected: number;
  min_vram_gb: number | null;
  /** False when it needs more GPU memory than the VRAM budget (ADFORGE_VRAM_GB). */
  fits_budget: boolean;
  license: string;
  repo: string | null;
  revision: string | null;
  /** The install or import running now or last run in this session, with progress. */
  install: ModelInstall | null;
}

export interface ModelInstall {
  status: 'running' | 'completed' | 'failed' | 'cancelled';
  phase: string;
  file: string | null;
  bytes_done: number;
  bytes_total: number;
  percent: number | null;
  bytes_per_second: number;
  eta_seconds: number | null;
  error: string | null;
}

export interface ExportProgress {
  bytesDone: number;
  bytesTotal: number;
}

/** A ZIP export of some jobs, checked and sized, ready to stream. */
export interface JobsExport {
  /** Suggested file name, e.g. adforge-3-jobs-2026-01-01-12-00-00.zip. */
  fileName: string;
  /** The ZIP's approximate size in bytes (PNGs are stored, so about the sum of the files). */
  estimate: number;
  jobIds: string[];
  /** The ZIP bytes as they are written; a failure mid-way ends the iteration with the error. */
  open(onProgress?: (progress: ExportProgress) => void): AsyncIterable<Uint8Array>;
  /** Files left out because they are damaged (also listed in the ZIP's README.txt). */
  damaged?: DamagedArtifact[];
}

export interface DamagedArtifact {
  job_id: string;
  artifact: ArtifactName;
  /** e.g. "truncated: 1200 of 48213 bytes", "altered: SHA-256 differs from the one recorded when it was written". */
  reason: string;
}

/** An artifact file as it is now, checked against what was recorded when it was written. */
export interface ArtifactCheck {
  path: string;
  /** size:mtimeMs:ino of the file now: a cache keyed by it never serves other bytes than the file's. */
  identity: string;
  /** ok: matches its recorded SHA-256; unverified: none recorded (older job) and it looks whole; damaged: see reason. */
  state: 'ok' | 'unverified' | 'damaged';
  reason: string | null;
}

/** The data folder's storage as /health reports it. */
export interface StorageInfo {
  data_dir: string;
  writable: boolean;
  /** Why it cannot be written (e.g. "EROFS: read-only file system"), else null. */
  write_error: string | null;
  free_bytes: number | null;
  /** Free space below this refuses new work with 507 (ADFORGE_DISK_RESERVE_MB). */
  reserve_bytes: number;
}

export interface HealthInfo {
  /** degraded: something needs the operator (see `reasons`); new work may be refused. */
  status: 'healthy' | 'busy' | 'degraded';
  /** Why the status is degraded (disk full, data folder read-only, engine setup failed…); empty otherwise. */
  reasons?: string[];
  storage?: StorageInfo;
  server_time: number;
  total_jobs: number;
  active_jobs: number;
  queued_jobs: number;
  system_metrics: SystemMetrics;
  engines: EngineInfo;
  execution_provider: string | null;
  /**
   * Background engines a job can use now: the diffusion models installed (and fitting the VRAM
   * budget) plus the procedural backdrop, and the one `bg_engine: auto` picks.
   */
  background_engines: { available: string[]; auto: string };
  /** Lettering engines a job can use now (the ControlNet lettering needs SDXL-Turbo installed too), and the one `text_engine: auto` picks. */
  lettering_engines: { available: string[]; auto: string };
  version: string;
}

export interface StudioService {
  /** Validates inputs (400/404/413 AppError), stores them in the run folder, then queues or starts the job. */
  submit(request: GenerateRequest, options: SubmitOptions): Promise<JobRecord>;
  get(jobId: string): JobRecord | undefined;
  /** The job, or AppError 404. */
  requireJob(jobId: string): JobRecord;
  /** Newest first, at most `limit` (default 100). */
  list(query?: ListJobsQuery): JobRecord[];
  /** A page of the history with the real number of matching jobs (default 50 a page). */
  jobsPage(query: ListJobsQuery): JobsPage;
  counts(): JobCounts;
  /** Stops a pending or running job (takes effect within 2 s); finished jobs are returned unchanged. */
  stop(jobId: string): Promise<JobRecord>;
  /** Removes the row and the run folder; AppError 400 while the job is active, 404 when unknown. */
  remove(jobId: string): Promise<void>;
  /** Absolute path of an artifact, or undefined when the job or file does not exist, or the file is damaged. */
  artifactPath(jobId: string, name: ArtifactName): string | undefined;
  /**
   * The artifact file checked against the SHA-256 recorded when it was written (re-hashed only when
   * its size/mtime/inode changed): path, identity, ok | unverified | damaged. Undefined when absent.
   */
  artifactCheck(jobId: string, name: ArtifactName): ArtifactCheck | undefined;
  /** AppError 507 when the data folder is below its free-space reserve or cannot be written; for adapters that store uploads. */
  requireStorage(): void;
  /** An artifact by file name ("final.png"); with `width`, a WebP thumbnail that wide. 400/404 AppError. */
  artifactFile(jobId: string, fileName: string, width?: number): Promise<FileBody>;
  /** Where step 3 would put the job's headline (computed in the pipeline worker). 404, or 409 before steps 1 and 2. */
  previewPlacement(jobId: string, position: TextPosition, mode: CompositionMode): Promise<PlacementPreview>;
  /** Checks the jobs exist (404) and have files, and sizes their ZIP. */
  exportJobs(jobIds: string[]): Promise<JobsExport>;
  /** Remaining seconds before the lane is free (for Retry-After). */
  retryAfterSeconds(): number;
  fonts(): FontEntry[];
  /** Absolute path for a font_name, or AppError 400 when unknown or outside the font folders. */
  resolveFont(name: string): string;
  /** Font bytes for @font-face previews; 400 when the name is missing, unknown or outside the font folders. */
  fontFile(name: string): Promise<FileBody>;
  /** Model files found under models/ (for the settings page). */
  modelFiles(): Promise<ModelFileInfo[]>;
  /** Every model of the catalogue with its install state and any install in progress. */
  models(): Promise<ModelInfo[]>;
  /** Starts downloading a model (progress in models()); 400 unknown, 409 already running. */
  installModel(id: string): Promise<ModelInfo>;
  /** Cancels a running install; the partial files stay to resume later. */
  cancelModelInstall(id: string): Promise<ModelInfo>;
  /** Deletes an installed model's files (the resident engine is freed first). */
  removeModel(id: string): Promise<ModelInfo>;
  /** Releases the pipeline's resident diffusion engine (GPU memory) after the job in flight. */
  freeEngines(): Promise<{ released: string[] }>;
  health(): Promise<HealthInfo>;
  /** Subscribe to job events; returns the unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  close(): Promise<void>;
}
