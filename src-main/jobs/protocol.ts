// Messages between the job lane's worker supervisor (server process) and the pipeline worker
// (a child process, see docs/adr/0001).
//
// Placement previews ('preview' → 'preview-result' | 'preview-failed', matched by `id`) are served
// by the worker outside the job chain: at once when it is idle, or at the running job's next await
// (file and ONNX calls yield the thread; a long synchronous stretch or a blocking native call delays
// the answer). The supervisor bounds the wait with a timeout.
import type { ArtifactDigests, ArtifactName, EngineRole, ProgressReport, StepId, SubStepId } from '../core/jobs';
import type { WorkerConfig, WorkerJob } from '../pipeline/job';
import type { EngineDetail } from '../pipeline/run-pipeline';
import type { PlannedLoad } from '../pipeline/planned-loads';
import type { ModelLoadEvent } from '../engines/registry';
import type { PlacementPreviewRequest, PlacementPreviewResult } from '../pipeline/placement-preview';

/**
 * Failure injection for the fault tests only: 'crash' exits the worker right after the job's first
 * progress report; 'hang' blocks its thread there and ignores abort (only a kill ends it); 'setup'
 * makes the worker's engine setup fail (as a broken model cache or runtime would).
 */
export type TestFault = 'crash' | 'hang' | 'setup';

export const TEST_FAULTS: readonly TestFault[] = ['crash', 'hang', 'setup'];

/** config.testFault (any string, or null) → a TestFault, or undefined for anything else. */
export function asTestFault(value: string | null | undefined): TestFault | undefined {
  return TEST_FAULTS.find((f) => f === value);
}

export type ToWorker =
  | { type: 'init'; config: WorkerConfig; testFault?: TestFault }
  | { type: 'run'; job: WorkerJob; testFault?: TestFault }
  | { type: 'abort'; jobId: string }
  | { type: 'preview'; id: number; request: PlacementPreviewRequest }
  /** Graceful exit: abort what runs, release the engines' sessions when idle, exit 0. */
  | { type: 'shutdown' }
  /** Release the resident diffusion engine (GPU memory), after the job in flight: POST /free. */
  | { type: 'free'; id: number };

export type FromWorker =
  /** Engines loaded; `setupError` when loading them failed (every job will fail with it until a setup succeeds). */
  | { type: 'ready'; setupError?: string | null }
  /** The engines were set up again (a job arrived after a failed setup): null = it worked this time. */
  | { type: 'setup'; error: string | null }
  /**
   * SHA-256 and identity of the job's artifact files written or changed since the last report; sent
   * before each step-result and before done/failed, so the store holds them before anyone reads the files.
   */
  | { type: 'digests'; jobId: string; digests: ArtifactDigests }
  | { type: 'progress'; jobId: string; report: ProgressReport }
  | { type: 'engine'; jobId: string; role: EngineRole; engine: string; provider: string | null; detail?: EngineDetail }
  | { type: 'step-result'; jobId: string; step: StepId; artifact: ArtifactName }
  | { type: 'sub-step-done'; jobId: string; subStep: SubStepId; seconds: number }
  /** Sent as the job starts: the models it will load (not resident now), in order, with their bytes on disk. */
  | { type: 'loads'; jobId: string; loads: PlannedLoad[] }
  /** A component of a model being read from disk during the job: start, then end (or failed) with its seconds. */
  | ({ type: 'model-load'; jobId: string; subStep: SubStepId } & ModelLoadEvent)
  | { type: 'done'; jobId: string }
  | { type: 'failed'; jobId: string; error: string; stopped: boolean }
  | { type: 'log'; message: string }
  | { type: 'preview-result'; id: number; result: PlacementPreviewResult }
  /** `status`: the AppError status when the worker threw one (409: no step images yet), else 500. */
  | { type: 'preview-failed'; id: number; status: number; error: string }
  /** Answer to 'free': the engine ids whose sessions were released. */
  | { type: 'freed'; id: number; released: string[] };

/** Worker messages about one job (everything that carries a jobId). */
export type JobMessage = Extract<FromWorker, { jobId: string }>;
