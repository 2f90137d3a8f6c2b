// The contract of StudioService: the one object every adapter (HTTP families, IPC, CLI) calls.
// Types only, so the renderer and the preload contract can share them.
import type { ArtifactName, EngineInfo, JobStatus, StepId, SubStepId } from './jobs';
import type { GenerateRequest } from './params';

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
  execution_provider: string | null;
  /** Artifacts present in the run folder. */
  artifacts: ArtifactName[];
  /** Steps whose results were reused (from_job_id / uploads) rather than computed. */
  reused_steps: StepId[];
  /** Which family submitted it (nanococoa, comfy, bridge, adgen, studio, cli). */
  client: string;
  /** Seconds per sub-step actually measured for this job. */
  timings: Partial<Record<SubStepId, number>>;
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

export interface HealthInfo {
  status: 'healthy' | 'busy';
  server_time: number;
  total_jobs: number;
  active_jobs: number;
  queued_jobs: number;
  system_metrics: SystemMetrics;
  engines: EngineInfo;
  execution_provider: string | null;
  version: string;
}

export interface StudioService {
  /** Validates inputs (400/404/413 AppError), stores them in the run folder, then queues or starts the job. */
  submit(request: GenerateRequest, options: SubmitOptions): Promise<JobRecord>;
  get(jobId: string): JobRecord | undefined;
  list(query?: ListJobsQuery): JobRecord[];
  counts(): JobCounts;
  /** Stops a pending or running job (takes effect within 2 s); finished jobs are returned unchanged. */
  stop(jobId: string): Promise<JobRecord>;
  /** Removes the row and the run folder; AppError 400 while the job is active, 404 when unknown. */
  remove(jobId: string): Promise<void>;
  /** Absolute path of an artifact, or undefined when the job or file does not exist. */
  artifactPath(jobId: string, name: ArtifactName): string | undefined;
  /** Remaining seconds before the lane is free (for Retry-After). */
  retryAfterSeconds(): number;
  fonts(): FontEntry[];
  /** Absolute path for a font_name, or AppError 400 when unknown or outside the font folders. */
  resolveFont(name: string): string;
  health(): Promise<HealthInfo>;
  /** Subscribe to job events; returns the unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  close(): Promise<void>;
}
