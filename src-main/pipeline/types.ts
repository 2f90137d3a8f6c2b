// The context a pipeline step runs in. Raster types live in imaging/types, engine-facing shapes
// (SceneInfo, Cutout) in engines/contracts.
import type { SubStepId } from '../core/jobs';

/** Reports progress of the current sub-step, fraction in 0..1. */
export type ProgressFn = (subStep: SubStepId, fraction: number, message?: string) => void;

export interface StepContext {
  /** Checked between sub-steps and inside long loops (denoising steps, tiles). */
  signal: AbortSignal;
  progress: ProgressFn;
  /** Deterministic seed for everything random in the job. */
  seed: number;
  log: (message: string) => void;
}
