// Messages between the JobRunner (main thread) and the pipeline worker thread.
import type { ArtifactName, EngineRole, ProgressReport, StepId, SubStepId } from '../core/jobs';
import type { GenerateRequest } from '../core/params';

/** Files the service puts in the run folder before the job starts (raw uploaded bytes). */
export const UPLOADS = {
  product: 'upload-product.bin',
  step1: 'upload-step1.bin',
  step2: 'upload-step2.bin',
} as const;

export interface WorkerConfig {
  /** models/ folder with optional ONNX weights and manifests. */
  modelsDir: string;
  /** Writable cache (reassembled IS-Net model etc.), inside the data dir. */
  cacheDir: string;
  /** Execution providers to try in order; default ['cuda', 'webgpu', 'cpu']. */
  providers?: string[];
}

export interface WorkerJob {
  jobId: string;
  /** Absolute run folder: uploads (UPLOADS) or reused artifacts (ARTIFACTS) are already there. */
  runDir: string;
  /** Validated request, image fields nulled, seed fixed. */
  params: Omit<GenerateRequest, 'product_image' | 'step1_image' | 'step2_image' | 'seed'> & { seed: number };
  /** Absolute path of the resolved font. */
  fontPath: string;
  startStep: 1 | 2 | 3;
  stopStep: 1 | 2 | 3;
}

export type ToWorker =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'run'; job: WorkerJob; /** Failure injection for tests ('crash' | 'hang'), see worker-entry.ts. */ testFault?: string }
  | { type: 'abort'; jobId: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; jobId: string; report: ProgressReport }
  | { type: 'engine'; jobId: string; role: EngineRole; engine: string; provider: string | null }
  | { type: 'step-result'; jobId: string; step: StepId; artifact: ArtifactName }
  | { type: 'sub-step-done'; jobId: string; subStep: SubStepId; seconds: number }
  | { type: 'done'; jobId: string }
  | { type: 'failed'; jobId: string; error: string; stopped: boolean }
  | { type: 'log'; message: string };
