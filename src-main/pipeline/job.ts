// The job as the pipeline runs it: what the service hands the worker (validated parameters, the
// run folder, the resolved font) and how the engines are configured. Declared here, at the
// pipeline layer, so jobs/ (the lane, the worker protocol) imports it and never the reverse.
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
  /**
   * CPU priority (niceness, -20..19) the worker gives itself at init, so the server's event loop
   * stays responsive while a job saturates every core; default 10 (config.workerNice).
   */
  nice?: number;
  /** Folders with model manifests (the shipped models/ first); default [modelsDir]. */
  manifestDirs?: string[];
  /** GPU memory the diffusion engines may use, GiB (ADFORGE_VRAM_GB); null/absent = no limit. */
  vramBudgetGb?: number | null;
  /** Generative lettering's legibility guard (ADFORGE_LETTERING_MIN_IOU, ADFORGE_LETTERING_RETRIES). */
  letteringGuard?: { minIou?: number; retries?: number };
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
