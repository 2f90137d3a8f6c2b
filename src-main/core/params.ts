// The one definition of a generation request: validation, defaults, ranges and the OpenAPI/help
// documents are all derived from these zod schemas (seed 000 §2.1.1 plus documented extensions).
// Pure TS, importable by the renderer.
import { z } from 'zod';
import { SubTextSchema } from './sub-text';
import { TextEffectsSchema } from './text-effects';

export const DEFAULT_BG_PROMPT = 'minimalist studio with a soft seamless sweep, gentle daylight from the left, soft shadows';
export const DEFAULT_BG_NEGATIVE = 'blurry, low quality, distorted, ugly, bad lighting, overexposed, underexposed';
export const DEFAULT_TEXT_PROMPT = 'gold metallic 3D text with glossy bevel, studio lighting';
export const DEFAULT_TEXT_NEGATIVE = 'low quality, ugly, distorted, flat, 2d, blurry, pixelated, deformed text, unreadable';

/** Background engines a job can ask for: `auto` = the first installed diffusion model, else the procedural backdrop. */
export const BG_ENGINES = ['auto', 'procedural', 'sdxl-turbo', 'flux-schnell', 'sd-turbo'] as const;
export type BgEngine = (typeof BG_ENGINES)[number];
/** Preference of `auto`: SDXL-Turbo is the L4 default (fast, good quality), FLUX needs TensorRT, SD-Turbo is the small one. */
export const DIFFUSION_BG_ORDER = ['sdxl-turbo', 'flux-schnell', 'sd-turbo'] as const;

/** Lettering engines: `auto` = the SDXL ControlNet lettering when installed (with SDXL-Turbo), else procedural. */
export const TEXT_ENGINES = ['auto', 'procedural', 'sdxl-controlnet-canny'] as const;

/** How the headline's lines line up with one another (the block stays where placement puts it). */
export const TEXT_ALIGNS = ['center', 'left', 'right'] as const;
export type TextAlign = (typeof TEXT_ALIGNS)[number];
/** Baseline distance of the embedded layout, as a multiple of the font size (Hangul fills the em box). */
export const DEFAULT_LINE_HEIGHT = 1.16;

export const COMPOSITION_MODES = ['overlay', 'blend', 'behind'] as const;
export const TEXT_POSITIONS = ['top', 'center', 'bottom', 'auto'] as const;
export const ASPECT_RATIOS = ['1:1', '4:5', '9:16', '16:9', '1.91:1'] as const;

export type CompositionMode = (typeof COMPOSITION_MODES)[number];
export type TextPosition = (typeof TEXT_POSITIONS)[number];
export type AspectRatio = (typeof ASPECT_RATIOS)[number];

/** Max accepted length of a base64 image field (the body limit enforces the byte total too). */
export const MAX_PROMPT_CHARS = 2000;
export const MAX_TEXT_CHARS = 300;

const nullableString = (max: number, description: string) => z.string().max(max).nullable().default(null).describe(description);

/** An explicit text box in output-image pixels (from the studio canvas); rotation in degrees. */
export const TextBoxSchema = z
  .object({
    x: z.number().finite().describe('Left edge of the box, output pixels'),
    y: z.number().finite().describe('Top edge of the box, output pixels'),
    width: z.number().finite().positive().describe('Box width, output pixels'),
    height: z.number().finite().positive().describe('Box height, output pixels'),
    rotation: z.number().finite().min(-360).max(360).default(0).describe('Clockwise rotation about the box centre, degrees'),
  })
  .strict();
export type TextBox = z.infer<typeof TextBoxSchema>;

/**
 * Where the product stands, from the studio canvas (output pixels): its top-left corner, its width
 * (the height follows the cut-out's aspect) and a mirror flag. It may overhang the frame's edges but
 * at least a sliver stays inside. Shadows (contact and cast) are computed for that position.
 */
export const ProductBoxSchema = z
  .object({
    x: z.number().finite().describe('Left edge of the product, output pixels (may be negative: overhanging the left edge)'),
    y: z.number().finite().describe('Top edge of the product, output pixels; its base row is the ground its shadows fall on'),
    width: z.number().finite().min(8).max(8192).describe('Product width, output pixels; the height keeps the cut-out aspect'),
    flip: z.boolean().default(false).describe('Mirror the product left–right (its shadows are cast from the mirrored shape)'),
  })
  .strict();
export type ProductBox = z.infer<typeof ProductBoxSchema>;

export const GenerateRequestSchema = z
  .object({
    start_step: z.number().int().min(1).max(3).default(1).describe('1: full pipeline, 2: from the text step, 3: composition only'),
    stop_step: z.number().int().min(1).max(3).nullable().default(null).describe('Extension: last step to run (null = 3). Must be >= start_step.'),
    text_content: nullableString(MAX_TEXT_CHARS, 'Headline text (null or empty: background only, final = step 1)'),
    product_image: z
      .string()
      .nullable()
      .default(null)
      .describe('Product photo, base64 or data URL (PNG, JPEG, WebP, AVIF, TIFF, GIF). Optional for start_step 1.'),
    bg_prompt: z.string().max(MAX_PROMPT_CHARS).default(DEFAULT_BG_PROMPT).describe('Background scene prompt'),
    bg_negative_prompt: z.string().max(MAX_PROMPT_CHARS).default(DEFAULT_BG_NEGATIVE).describe('Things the background must not show'),
    bg_composition_prompt: nullableString(MAX_PROMPT_CHARS, 'Prompt for repainting the ring around the product (diffusion engines only)'),
    bg_composition_negative_prompt: nullableString(MAX_PROMPT_CHARS, 'Negative prompt for the ring repaint'),
    step1_image: z.string().nullable().default(null).describe('Step 1 result (base64) — required for start_step >= 2 unless from_job_id'),
    text_model_prompt: z.string().max(MAX_PROMPT_CHARS).default(DEFAULT_TEXT_PROMPT).describe('3D lettering style: material, colour, effect'),
    negative_prompt: z.string().max(MAX_PROMPT_CHARS).default(DEFAULT_TEXT_NEGATIVE).describe('Lettering negative prompt'),
    font_name: nullableString(260, 'Font path relative to the font folders, as listed by GET /fonts (null = default Korean font)'),
    step2_image: z.string().nullable().default(null).describe('Step 2 result (base64, RGBA) — required for start_step 3 unless from_job_id'),
    composition_mode: z.enum(COMPOSITION_MODES).default('overlay').describe('overlay | blend (lit by the scene) | behind (occluded by the product)'),
    text_position: z.enum(TEXT_POSITIONS).default('top').describe('top | center | bottom | auto (free space away from the product)'),
    composition_prompt: nullableString(MAX_PROMPT_CHARS, 'Composition prompt (diffusion engines only)'),
    composition_negative_prompt: nullableString(MAX_PROMPT_CHARS, 'Composition negative prompt (diffusion engines only)'),
    composition_strength: z.number().min(0).max(1).default(0.4).describe('Composition strength 0.0–1.0: for blend, how strongly the scene tints the text'),
    strength: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .describe('Inpaint strength 0.0–1.0 (ring repaint on diffusion engines; harmonization amount on procedural)'),
    guidance_scale: z
      .number()
      .min(0)
      .max(20)
      .default(3.5)
      .describe(
        'Guidance scale 0.0–20.0: prompt adherence. SDXL/SD-Turbo: classifier-free guidance (≤ 1 none); FLUX-schnell and procedural ignore it (see /help/parameters engines)',
      ),
    num_inference_steps: z
      .number()
      .int()
      .min(1)
      .max(50)
      .default(4)
      .describe('Inference steps 1–50: denoising steps of the diffusion engines (Turbo 1–4, FLUX-schnell 4); procedural ignores it'),
    // Extensions (documented in /help/parameters)
    from_job_id: nullableString(64, 'Extension: reuse the stored step results of this job instead of uploading step1_image/step2_image'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(4294967295)
      .nullable()
      .default(null)
      .describe(
        "Extension: random seed; same seed + inputs = same image. null = random, except that a step-2/3 job reusing an earlier job's scene keeps that job's seed",
      ),
    aspect_ratio: z.enum(ASPECT_RATIOS).default('1:1').describe('Extension: output aspect preset'),
    long_edge: z.number().int().min(256).max(2048).default(1024).describe('Extension: output long edge in pixels (default 1024)'),
    product_scale: z.number().min(0.2).max(0.9).default(0.55).describe('Extension: product height as a share of the frame height'),
    text_box: TextBoxSchema.nullable().default(null).describe('Extension: explicit text box from the studio canvas; overrides text_position'),
    product_box: ProductBoxSchema.nullable()
      .default(null)
      .describe(
        'Extension: explicit product position from the studio canvas {x, y, width, flip}; overrides product_scale and the automatic placement. A step-1 rerun from from_job_id with the same photo reuses its cut-out',
      ),
    bg_engine: z
      .enum(BG_ENGINES)
      .default('auto')
      .describe(
        'Extension: background engine. auto = the first installed of sdxl-turbo, flux-schnell, sd-turbo, else the procedural backdrop (the job says which made the scene)',
      ),
    letter_spacing: z
      .number()
      .min(-0.1)
      .max(0.5)
      .default(0)
      .describe('Extension: extra space between letters, in em (−0.1–0.5; step 2: the headline is laid out and rendered again)'),
    line_height: z
      .number()
      .min(0.8)
      .max(2.5)
      .default(DEFAULT_LINE_HEIGHT)
      .describe('Extension: baseline distance as a multiple of the font size (0.8–2.5; step 2)'),
    text_align: z.enum(TEXT_ALIGNS).default('center').describe("Extension: alignment of the headline's lines: center | left | right (step 2)"),
    text_effects: TextEffectsSchema.nullable()
      .default(null)
      .describe('Extension: fill colour or gradient (shading kept), outline and drop shadow, applied to the lettering layer in step 3'),
    sub_text: SubTextSchema.nullable()
      .default(null)
      .describe(
        'Extension: a second text layer (sub-headline or call to action), flat in the headline font, composed in step 3 on top of the headline; needs text_content',
      ),
    text_engine: z
      .enum(TEXT_ENGINES)
      .default('auto')
      .describe(
        'Extension: lettering engine. auto = SDXL ControlNet lettering when installed (checked for legibility, else procedural with a note), else the procedural 3D renderer',
      ),
  })
  .strip();

export type GenerateRequestInput = z.input<typeof GenerateRequestSchema>;
export type GenerateRequest = z.output<typeof GenerateRequestSchema>;

/**
 * Whether a job makes or composes a text layer: it has a headline, or it starts at step 3 with the
 * layer supplied (seed 000 §3.3 sends no text_content). Without one the job ends with the scene.
 */
export function hasTextLayer(textContent: string | null | undefined, startStep: number): boolean {
  return (textContent ?? '').trim() !== '' || startStep === 3;
}

/** Image fields never echoed back in `parameters` (they are served as files/URLs instead). */
export const IMAGE_FIELDS = ['product_image', 'step1_image', 'step2_image'] as const;

const ASPECTS: Record<AspectRatio, number> = { '1:1': 1, '4:5': 4 / 5, '9:16': 9 / 16, '16:9': 16 / 9, '1.91:1': 1.91 };

/** Output size from the preset: the long edge is `longEdge`, both sides rounded to multiples of 8. */
export function outputSize(aspect: AspectRatio, longEdge: number): { width: number; height: number } {
  const r = ASPECTS[aspect];
  const round8 = (v: number) => Math.max(8, Math.round(v / 8) * 8);
  return r >= 1 ? { width: round8(longEdge), height: round8(longEdge / r) } : { width: round8(longEdge * r), height: round8(longEdge) };
}
