// Shared shapes for the pipeline: raw images passed between pure functions, the context a step
// runs in, and what the steps hand each other. Images are plain buffers so the maths is testable
// without sharp; sharp is used only at the edges (decode, encode, resize, blur).
import type { SubStepId } from '../core/jobs';

/** 8-bit RGBA, not premultiplied, row-major, data.length === width * height * 4. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Buffer;
}

/** 8-bit single channel (mask, alpha, luminance), data.length === width * height. */
export interface GrayImage {
  width: number;
  height: number;
  data: Buffer;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

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

/** Light and colour of the generated scene, saved as scene.json and used by steps 2 and 3. */
export interface SceneInfo {
  width: number;
  height: number;
  /** Which look the backdrop engine chose (e.g. 'marble'), or the diffusion engine id. */
  look: string;
  /** Unit vector in image space pointing FROM the light TO the scene (x right, y down). */
  lightDir: { x: number; y: number };
  /** 0..1 warm/cool tint of the key light as sRGB. */
  lightColor: [number, number, number];
  /** Ground line (y of the product's base) in output pixels. */
  groundY: number;
  /** Dominant scene colours, sRGB 0..255, most frequent first. */
  palette: [number, number, number][];
  /** Placed product box in output pixels (null when there is no product). */
  productBox: Rect | null;
}

/** The segmentation result: product cut out at full input resolution. */
export interface Cutout {
  /** RGBA trimmed to the product's box; alpha is the refined matte. */
  image: RgbaImage;
  /** Where the trimmed box was in the (orientation-corrected) input. */
  box: Rect;
  /** Segmentation engine id, e.g. 'isnet-medium' or 'birefnet' or 'input-alpha'. */
  engine: string;
}
