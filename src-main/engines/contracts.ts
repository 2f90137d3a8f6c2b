// What every engine offers the pipeline. The pipeline depends on these shapes only, so a new engine
// (a diffusion model, another segmenter) lands as one folder under engines/ plus one line in the
// engine registry, never as a change to the steps.
import type { TextAlign } from '../core/params';
import type { GrayImage, Rect, RgbaImage } from '../imaging/types';

/** Reports progress of the current sub-step, fraction in 0..1, with an optional human line. */
export type EngineProgressFn = (fraction: number, message?: string) => void;

/** Where an engine ran: its id and the ONNX execution provider (null for pure-JS engines). */
export interface EngineIdentity {
  /** Engine id shown in job status, e.g. 'isnet-medium', 'procedural-backdrop', 'sdxl-turbo'. */
  id: string;
  /** 'cuda' | 'webgpu' | 'cpu' for ONNX engines, null for engines that run no model. */
  provider: string | null;
}

// ---------------------------------------------------------------------------------------------
// Segmentation

export interface Segmenter extends EngineIdentity {
  /** Segmenters always run a model, so they always have a provider. */
  provider: string;
  /** Foreground matte, same size as the input, 0..255. */
  segment(image: RgbaImage, signal?: AbortSignal): Promise<GrayImage>;
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

// ---------------------------------------------------------------------------------------------
// Scene (step 1)

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

/** How a scene's key light casts shadows (reported by the background engine). */
export interface ShadowStyle {
  /** Peak opacity of the cast shadow 0..1: strong for hard sun, faint for a diffuse studio light. */
  opacity: number;
  /** Blur multiplier of the cast shadow: < 1 crisp (sun), > 1 soft (softbox, overcast). */
  softness: number;
  /** Key light behind the set (a low sun): the shadow falls toward the camera, down the frame. */
  backLit: boolean;
}

export interface BackgroundRequest {
  width: number;
  height: number;
  prompt: string;
  negative: string;
  seed: number;
  /** The product's dominant colours (sRGB 0..255), most frequent first; [] without a product. */
  productColors: [number, number, number][];
  /**
   * Lowest row the ground line may take (room for a headline under the product). Engines honour
   * it as far as their geometry allows; scene.groundY says where it really is.
   */
  maxGroundY?: number;
  /** Diffusion engines only: denoising steps and classifier-free guidance as the user asked. */
  steps?: number;
  guidance?: number;
  /** Per-denoising-step (or per-stage) progress. */
  progress?: EngineProgressFn;
}

export interface BackgroundResult {
  /** Opaque RGBA backdrop at the requested size. */
  image: RgbaImage;
  scene: Omit<SceneInfo, 'productBox'>;
  /** Floor geometry where the engine knows it (placement scales a raised product for perspective). */
  floor?: { horizonY: number; defaultGroundY: number };
  /** How this scene's key light casts shadows; absent means the shadow module's defaults. */
  shadow?: ShadowStyle;
  /** The prompt the engine actually used (after translation/glossary), for honest job status. */
  promptUsed?: string;
  /** Words of the user's prompt the engine understood (procedural engines: the keywords matched). */
  understood?: string[];
  /** Parameters the engine ignored, so the job status can say so. */
  ignored?: string[];
}

export interface BackgroundEngine extends EngineIdentity {
  render(req: BackgroundRequest, signal?: AbortSignal): Promise<BackgroundResult>;
}

// ---------------------------------------------------------------------------------------------
// Diffusion (text-to-image and masked img2img), shared by background, ring repaint and lettering

export interface DiffusionRequest {
  prompt: string;
  negative: string;
  seed: number;
  /** Output size in pixels (multiples of 8; 16 for FLUX). */
  width: number;
  height: number;
  steps: number;
  /** Classifier-free guidance; ≤ 1 means no unconditional pass (the Turbo/schnell defaults). */
  guidance: number;
  /** img2img: the starting image, and how much of the schedule is re-run (0..1). */
  init?: RgbaImage;
  strength?: number;
  /** Inpaint: 255 where the model may paint, 0 where the init image is kept. */
  mask?: GrayImage;
  /** Called after every denoising step (step is 1-based). */
  onStep?: (step: number, total: number) => void;
}

export interface DiffusionResult {
  image: RgbaImage;
  /** The prompt as encoded (after glossary/translation and truncation to the tokenizer's limit). */
  promptUsed: string;
}

export interface DiffusionEngine extends EngineIdentity {
  /** Native square size the model was trained at (512 for SD-Turbo, 1024 for SDXL/FLUX). */
  nativeSize: number;
  /** Which request fields this engine honours, for /help/parameters and the job status. */
  uses: readonly ('steps' | 'guidance' | 'negative' | 'strength' | 'mask')[];
  generate(req: DiffusionRequest, signal?: AbortSignal): Promise<DiffusionResult>;
  /** Releases the engine's sessions (VRAM), e.g. for POST /free or an engine switch. */
  release(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Lettering (step 2)

/** A headline laid out in a box by the typography module (wrap, fit, Korean line breaking). */
export interface TextFit {
  fontSize: number;
  lines: string[];
  /** Baseline-to-baseline distance in px. */
  lineHeight: number;
  /** Widest line in px (margins excluded). */
  blockWidth: number;
  /** ascent + (lines - 1) * lineHeight + descent. */
  blockHeight: number;
  /** Canvas family alias to draw with (from registerFont). */
  family: string;
  /** Top of the block to the first baseline, and last baseline to the bottom, in px. */
  ascent: number;
  descent: number;
  /** Measured width of each line in px (no spacing after the last character). */
  lineWidths: number[];
  /** How the lines line up within the block. */
  align: TextAlign;
  /** Extra space after every character, px (0 = the font's own). */
  letterSpacing: number;
}

export interface LetteringRequest {
  text: string;
  /** Resolved font file the headline is set in. */
  fontPath: string;
  /** Box the whole layer (glyphs and the engine's effects) must fit, px. */
  box: { width: number; height: number };
  stylePrompt: string;
  negativePrompt: string;
  /** Light of the scene the lettering will sit in (unit vector from the light into the scene). */
  lightDir: { x: number; y: number };
  seed: number;
  /** Typography the designer set: letter spacing (em), line height (× font size), alignment. */
  typography?: { letterSpacing: number; lineHeight: number; align: TextAlign };
  steps?: number;
  guidance?: number;
  progress?: EngineProgressFn;
}

/** The headline laid out for one engine: the fit, and the style the engine chose from the prompt. */
export interface LetteringLayout {
  fit: TextFit;
  /** Material preset (procedural) or style id the engine chose. */
  style: string;
}

export interface LetteringResult {
  /** RGBA layer with clean alpha, trimmed to visible pixels. */
  image: RgbaImage;
  /** Material or style the engine used (procedural: the preset id). */
  material: string;
  /** Words of the style prompt the engine understood (procedural: the keywords matched). */
  understood?: string[];
  /** Request parameters the engine ignored, for the job status. */
  ignored?: string[];
  /** Why the engine fell back, if it did (e.g. legibility guard), for the job status. */
  note?: string;
}

export interface LetteringEngine extends EngineIdentity {
  /** Lays the headline out in the box with the chosen font (wrap, fit, Korean line breaks), leaving room for the engine's effects. */
  layout(req: LetteringRequest): LetteringLayout;
  render(layout: LetteringLayout, req: LetteringRequest, signal?: AbortSignal): Promise<LetteringResult>;
}
