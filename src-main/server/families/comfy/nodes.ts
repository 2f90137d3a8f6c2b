// The node classes our pipeline shows to ComfyUI clients. One table drives both GET /object_info
// (ComfyUI's NodeInfo shape) and graph validation, so what a client is told is what is checked.
import {
  ASPECT_RATIOS,
  COMPOSITION_MODES,
  DEFAULT_BG_NEGATIVE,
  DEFAULT_BG_PROMPT,
  DEFAULT_TEXT_NEGATIVE,
  DEFAULT_TEXT_PROMPT,
  MAX_PROMPT_CHARS,
  MAX_TEXT_CHARS,
  DEFAULT_LINE_HEIGHT,
  TEXT_ALIGNS,
  TEXT_POSITIONS,
} from '../../../core/params';
import { MAX_SUB_TEXT_CHARS } from '../../../core/sub-text';

/** Link types flowing between nodes. IMAGE is ComfyUI's own, so standard image nodes can connect. */
export const IMAGE = 'IMAGE';
export const MASK = 'MASK';
export const TEXT_LAYER = 'ADFORGE_TEXT_LAYER';

export type ScalarSpec =
  | { kind: 'INT'; default: number; min: number; max: number; step?: number; seed?: boolean; tooltip: string }
  | { kind: 'FLOAT'; default: number; min: number; max: number; step: number; tooltip: string }
  | { kind: 'STRING'; default: string; maxLength: number; multiline: boolean; tooltip: string }
  | { kind: 'COMBO'; options: (ctx: NodeContext) => string[]; default?: string; imageUpload?: boolean; tooltip: string };
export type LinkSpec = { kind: 'LINK'; type: string; tooltip: string };
export type InputSpec = ScalarSpec | LinkSpec;

/** What an AdForge node contributes to the pipeline; the graph translator keys on it. */
export type NodeRole = 'load' | 'background' | 'text' | 'compose' | 'save' | 'preview' | 'save_ws';

export interface NodeDef {
  name: string;
  display: string;
  description: string;
  category: string;
  role: NodeRole;
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
  outputs: { type: string; name: string; tooltip: string }[];
  outputNode: boolean;
}

/** Live lists the combos offer: uploaded images and installed fonts. */
export interface NodeContext {
  inputFiles: string[];
  fonts: string[];
}

/** The combo entry that means "the default Korean font" (font_name null). */
export const DEFAULT_FONT_OPTION = '(default)';
export const SEED_MAX = 4294967295;

const prompt = (def: string, tooltip: string, multiline = true): ScalarSpec => ({
  kind: 'STRING',
  default: def,
  maxLength: MAX_PROMPT_CHARS,
  multiline,
  tooltip,
});

/** A colour as text: '#rrggbb', or empty for none (checked when the graph is planned). */
const colour = (tooltip: string): ScalarSpec => ({ kind: 'STRING', default: '', maxLength: 7, multiline: false, tooltip });

const loadInputs: Record<string, InputSpec> = {
  image: { kind: 'COMBO', options: (c) => c.inputFiles, imageUpload: true, tooltip: 'An image uploaded with POST /upload/image' },
};

export const NODE_DEFS: NodeDef[] = [
  {
    name: 'AdForgeLoadProductImage',
    display: 'AdForge Load Product Photo',
    description: 'Loads an uploaded product photo; the background node cuts the product out of it.',
    category: 'AdForge',
    role: 'load',
    required: loadInputs,
    outputs: [{ type: IMAGE, name: 'IMAGE', tooltip: 'The product photo' }],
    outputNode: false,
  },
  {
    name: 'LoadImage',
    display: 'Load Image',
    description:
      "ComfyUI's image loader: a product photo for AdForgeBackground, or a finished scene for AdForge3DText/AdForgeCompose (re-runs steps 2-3 on it).",
    category: 'image',
    role: 'load',
    required: loadInputs,
    outputs: [
      { type: IMAGE, name: 'IMAGE', tooltip: 'The image' },
      { type: MASK, name: 'MASK', tooltip: 'Its alpha (not used by AdForge nodes)' },
    ],
    outputNode: false,
  },
  {
    name: 'AdForgeBackground',
    display: 'AdForge Background + Product',
    description:
      'Step 1: cuts the product out, builds the scene from the prompt and sets the product into it with a contact and cast shadow. Engine: the first installed of sdxl-turbo, flux-schnell, sd-turbo (whole prompt; steps, guidance, ring-repaint strength), else the procedural backdrop (keywords only; ignores steps and guidance). GET /help/parameters lists which engine uses which input.',
    category: 'AdForge',
    role: 'background',
    required: {
      bg_prompt: prompt(
        DEFAULT_BG_PROMPT,
        'Background scene prompt: whole prompt on diffusion engines (Korean through a glossary); keywords only on the procedural backdrop',
      ),
      bg_negative_prompt: prompt(DEFAULT_BG_NEGATIVE, 'Things the background must not show'),
      seed: { kind: 'INT', default: 0, min: 0, max: SEED_MAX, seed: true, tooltip: 'Same seed + inputs = same image' },
      aspect_ratio: { kind: 'COMBO', options: () => [...ASPECT_RATIOS], default: '1:1', tooltip: 'Output aspect preset' },
      long_edge: { kind: 'INT', default: 1024, min: 256, max: 2048, step: 8, tooltip: 'Output long edge in pixels' },
      product_scale: { kind: 'FLOAT', default: 0.55, min: 0.2, max: 0.9, step: 0.01, tooltip: 'Product height as a share of the frame height' },
      strength: { kind: 'FLOAT', default: 0.6, min: 0, max: 1, step: 0.01, tooltip: 'Harmonization / ring repaint strength' },
      guidance_scale: {
        kind: 'FLOAT',
        default: 3.5,
        min: 0,
        max: 20,
        step: 0.1,
        tooltip:
          'Guidance scale: SDXL/SD-Turbo classifier-free guidance (≤ 1 none) and the ControlNet lettering; ignored by FLUX-schnell and the procedural engines',
      },
      steps: {
        kind: 'INT',
        default: 4,
        min: 1,
        max: 50,
        tooltip: 'Denoising steps of the diffusion engines (Turbo 1–4, FLUX-schnell 4); ignored by the procedural engines',
      },
    },
    optional: {
      product: { kind: 'LINK', type: IMAGE, tooltip: 'Product photo (from AdForgeLoadProductImage or LoadImage); leave unconnected for a background only' },
      bg_composition_prompt: prompt('', 'Prompt for repainting the ring around the product (diffusion engines only)'),
    },
    outputs: [{ type: IMAGE, name: 'scene', tooltip: 'The product in its scene (step 1)' }],
    outputNode: false,
  },
  {
    name: 'AdForge3DText',
    display: 'AdForge 3D Headline',
    description:
      'Step 2: lays the headline out in the chosen font and renders it as 3D lettering on a transparent layer. Engine: the SDXL ControlNet lettering when installed (style prompt, negative prompt with guidance > 1, steps, guidance, seed; checked for legibility, else procedural with a note), else the procedural renderer (material and colour keywords of the style prompt).',
    category: 'AdForge',
    role: 'text',
    required: {
      scene: { kind: 'LINK', type: IMAGE, tooltip: 'The scene the headline will sit on (sets size and light)' },
      text: { kind: 'STRING', default: '', maxLength: MAX_TEXT_CHARS, multiline: true, tooltip: 'Headline text' },
      style_prompt: prompt(
        DEFAULT_TEXT_PROMPT,
        '3D lettering style: the ControlNet lettering reads the whole prompt; the procedural renderer picks one of 11 materials and a colour from its keywords',
      ),
      negative_prompt: prompt(
        DEFAULT_TEXT_NEGATIVE,
        'Lettering negative prompt: ControlNet lettering with guidance > 1; the procedural renderer uses its words to exclude materials',
      ),
      font_name: {
        kind: 'COMBO',
        options: (c) => [DEFAULT_FONT_OPTION, ...c.fonts],
        default: DEFAULT_FONT_OPTION,
        tooltip: 'Font (default: the bundled Korean font)',
      },
    },
    optional: {
      letter_spacing: { kind: 'FLOAT', default: 0, min: -0.1, max: 0.5, step: 0.01, tooltip: 'Extra space between letters, in em (both lettering engines)' },
      line_height: { kind: 'FLOAT', default: DEFAULT_LINE_HEIGHT, min: 0.8, max: 2.5, step: 0.01, tooltip: 'Baseline distance as a multiple of the font size' },
      text_align: { kind: 'COMBO', options: () => [...TEXT_ALIGNS], default: 'center', tooltip: "Alignment of the headline's lines" },
    },
    outputs: [{ type: TEXT_LAYER, name: 'text_layer', tooltip: 'RGBA headline layer' }],
    outputNode: false,
  },
  {
    name: 'AdForgeCompose',
    display: 'AdForge Compose Ad',
    description: 'Step 3: places the headline where it reads best and composites it onto the scene.',
    category: 'AdForge',
    role: 'compose',
    required: {
      scene: { kind: 'LINK', type: IMAGE, tooltip: 'The scene (step 1)' },
      text_layer: { kind: 'LINK', type: TEXT_LAYER, tooltip: 'The headline layer (step 2)' },
      composition_mode: {
        kind: 'COMBO',
        options: () => [...COMPOSITION_MODES],
        default: 'overlay',
        tooltip: 'overlay | blend (lit by the scene) | behind (occluded by the product)',
      },
      text_position: {
        kind: 'COMBO',
        options: () => [...TEXT_POSITIONS],
        default: 'top',
        tooltip: 'top | center | bottom | auto (free space away from the product)',
      },
      composition_strength: { kind: 'FLOAT', default: 0.4, min: 0, max: 1, step: 0.01, tooltip: 'For blend: how strongly the scene tints the text' },
    },
    optional: {
      text_fill: colour('Fill colour #rrggbb for the lettering, shading kept (empty: its own colours)'),
      text_outline: colour('Outline colour #rrggbb around the lettering (empty: none)'),
      text_shadow: { kind: 'FLOAT', default: 0, min: 0, max: 1, step: 0.05, tooltip: 'Drop shadow strength under the lettering (0: none)' },
      sub_text: {
        kind: 'STRING',
        default: '',
        maxLength: MAX_SUB_TEXT_CHARS,
        multiline: false,
        tooltip: 'A second line (sub-headline or call to action) under the headline, flat in the headline font (empty: none)',
      },
      sub_text_button: colour('Button colour #rrggbb behind the second line (empty: plain text)'),
    },
    outputs: [{ type: IMAGE, name: 'IMAGE', tooltip: 'The finished ad' }],
    outputNode: false,
  },
  {
    name: 'SaveImage',
    display: 'Save Image',
    description: 'Saves the image to the output folder; GET /view serves it.',
    category: 'image',
    role: 'save',
    required: {
      images: { kind: 'LINK', type: IMAGE, tooltip: 'The image to save' },
      filename_prefix: {
        kind: 'STRING',
        default: 'AdForge',
        maxLength: 200,
        multiline: false,
        tooltip: 'File name prefix; a "/" puts the file in a subfolder',
      },
    },
    outputs: [],
    outputNode: true,
  },
  {
    name: 'PreviewImage',
    display: 'Preview Image',
    description: 'Keeps a temporary copy of the image (type "temp") as soon as it exists.',
    category: 'image',
    role: 'preview',
    required: { images: { kind: 'LINK', type: IMAGE, tooltip: 'The image to preview' } },
    outputs: [],
    outputNode: true,
  },
  {
    name: 'SaveImageWebsocket',
    display: 'Save Image (WebSocket)',
    description: "Sends the image as a PNG binary frame on the client's WebSocket instead of saving it.",
    category: 'image',
    role: 'save_ws',
    required: { images: { kind: 'LINK', type: IMAGE, tooltip: 'The image to send' } },
    outputs: [],
    outputNode: true,
  },
];

export const NODE_BY_NAME = new Map(NODE_DEFS.map((d) => [d.name, d]));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** ComfyUI's `[type_or_options, options]` pair for one input. */
export function inputConfig(spec: InputSpec, ctx: NodeContext): [Json, Record<string, Json>] {
  switch (spec.kind) {
    case 'LINK':
      return [spec.type, { tooltip: spec.tooltip }];
    case 'INT': {
      const o: Record<string, Json> = { default: spec.default, min: spec.min, max: spec.max, step: spec.step ?? 1, tooltip: spec.tooltip };
      if (spec.seed) o.control_after_generate = true;
      return ['INT', o];
    }
    case 'FLOAT':
      return ['FLOAT', { default: spec.default, min: spec.min, max: spec.max, step: spec.step, tooltip: spec.tooltip }];
    case 'STRING':
      return ['STRING', { default: spec.default, multiline: spec.multiline, tooltip: spec.tooltip }];
    case 'COMBO': {
      const o: Record<string, Json> = { tooltip: spec.tooltip };
      if (spec.default !== undefined) o.default = spec.default;
      if (spec.imageUpload) o.image_upload = true;
      return [spec.options(ctx), o];
    }
  }
}

/** One class in GET /object_info's shape. */
export function nodeInfo(def: NodeDef, ctx: NodeContext): Record<string, Json> {
  const section = (inputs: Record<string, InputSpec> | undefined) =>
    Object.fromEntries(Object.entries(inputs ?? {}).map(([k, spec]) => [k, inputConfig(spec, ctx)]));
  const input: Record<string, Json> = { required: section(def.required) };
  const order: Record<string, Json> = { required: Object.keys(def.required) };
  if (def.optional) {
    input.optional = section(def.optional);
    order.optional = Object.keys(def.optional);
  }
  return {
    input,
    input_order: order,
    output: def.outputs.map((o) => o.type),
    output_is_list: def.outputs.map(() => false),
    output_name: def.outputs.map((o) => o.name),
    name: def.name,
    display_name: def.display,
    description: def.description,
    python_module: 'adforge',
    category: def.category,
    output_node: def.outputNode,
    output_tooltips: def.outputs.map((o) => o.tooltip),
  };
}

export function objectInfo(ctx: NodeContext): Record<string, Json> {
  return Object.fromEntries(NODE_DEFS.map((d) => [d.name, nodeInfo(d, ctx)]));
}
