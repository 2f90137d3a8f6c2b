// Job vocabulary shared by every layer: the same status words in the database, the nanoCocoa API,
// the ComfyUI/bridge/AdGen adapters and the studio. Pure TS, importable by the renderer.

export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed', 'stopped'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const isActive = (s: JobStatus) => s === 'pending' || s === 'running';

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The one job-id rule, used by every layer (store paths, service lookups, request schemas):
 * a job id is a lower-case UUID as randomUUID() makes it. Anything else names no job, and no
 * path is ever built from it.
 */
export const isJobId = (s: unknown): s is string => typeof s === 'string' && JOB_ID.test(s);

/** Step ids as the nanoCocoa API names them in `current_step`. */
export const STEP_IDS = ['step1_background', 'step2_text', 'step3_composite'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const stepIdOf = (n: 1 | 2 | 3): StepId => STEP_IDS[n - 1];

/**
 * Sub-steps and their default weights (seconds on the reference 2-core CPU machine). The weights
 * seed the progress/ETA model until real timings for the engine in use are learned.
 */
export const SUB_STEPS = {
  step1_background: [
    { id: 'decode_product', label: 'Reading the product photo', seconds: 0.1 },
    { id: 'segmentation', label: 'Cutting out the product', seconds: 1.2 },
    { id: 'background_generation', label: 'Building the scene', seconds: 0.4 },
    { id: 'product_placement', label: 'Placing the product with shadows', seconds: 0.2 },
    { id: 'harmonization', label: 'Matching light and colour', seconds: 0.15 },
    // Diffusion scenes only; its real cost is learned per engine like every other sub-step.
    { id: 'ring_repaint', label: 'Repainting shadows and light around the product', seconds: 0.01 },
    { id: 'encode_step1', label: 'Saving the scene', seconds: 0.1 },
  ],
  step2_text: [
    { id: 'text_layout', label: 'Laying out the headline', seconds: 0.05 },
    { id: 'text_generation', label: 'Rendering 3D lettering', seconds: 0.4 },
    { id: 'encode_step2', label: 'Saving the text layer', seconds: 0.05 },
  ],
  step3_composite: [
    { id: 'text_placement', label: 'Choosing where the headline reads best', seconds: 0.08 },
    { id: 'composition', label: 'Compositing', seconds: 0.08 },
    { id: 'encode_final', label: 'Saving the final ad', seconds: 0.08 },
  ],
} as const satisfies Record<StepId, readonly { id: string; label: string; seconds: number }[]>;

export type SubStepId = (typeof SUB_STEPS)[StepId][number]['id'];

/**
 * Key of the learned model-load timings (beside the sub-steps in the timings table; not a sub-step:
 * a model loads inside the sub-step that first needs it). Its rows hold seconds per GiB loaded.
 */
export const MODEL_LOAD = 'model_load';
/** What the timings table learns: a sub-step, or model loads. */
export type TimedStep = SubStepId | typeof MODEL_LOAD;

export function stepOfSubStep(sub: SubStepId): StepId {
  for (const step of STEP_IDS) if (SUB_STEPS[step].some((s) => s.id === sub)) return step;
  throw new Error(`unknown sub-step ${sub}`);
}

/** Engines that can serve each stage; `procedural` engines need no model files. */
export type EngineRole = 'segment' | 'background' | 'text' | 'compose';
export type EngineInfo = Partial<Record<EngineRole, string>>;

/**
 * What an engine said about its part of a job, shown by every API family and the studio: which
 * engine and provider made it, the prompt the model really received (after the Korean glossary),
 * the words of the user's prompt it understood, the request parameters it ignored, and why a
 * fallback was used.
 */
export interface EngineReport {
  engine: string;
  provider: string | null;
  prompt_used?: string | null;
  understood?: string[];
  ignored?: string[];
  note?: string | null;
}
export type EngineReports = Partial<Record<EngineRole, EngineReport>>;

/** Names of the per-job artifacts kept in the run folder. */
export const ARTIFACTS = {
  input: 'input.png', // product photo as uploaded, orientation applied
  cutout: 'cutout.png', // RGBA product trimmed to its box
  mask: 'mask.png', // product mask placed on the output canvas (L, 0..255)
  step1: 'step1.png',
  step2: 'step2.png', // RGBA text layer
  final: 'final.png',
  scene: 'scene.json', // light direction, palette, ground line: used by step 3 (blend) and reruns
  params: 'params.json',
} as const;
export type ArtifactName = keyof typeof ARTIFACTS;

/**
 * What an artifact was when it was written: its SHA-256 and the file identity (size, mtime, inode)
 * that lets a reader skip re-hashing while the file is unchanged. Recorded per job in the store.
 */
export interface ArtifactDigest {
  sha256: string;
  size: number;
  mtimeMs: number;
  ino: number;
}
export type ArtifactDigests = Partial<Record<ArtifactName, ArtifactDigest>>;

/** What the worker reports while a job runs. */
export interface ProgressReport {
  step: StepId;
  subStep: SubStepId;
  /** 0..1 within the sub-step (e.g. denoising step / total). */
  fraction: number;
  message?: string;
}
