// What each studio button sends: the request for a run from the designer's inputs and the job on
// screen. Every run after the first names that job in from_job_id, so the steps before the one
// being rerun are reused. Pure, so it is unit-tested without a browser.
import type { AspectRatio, CompositionMode, GenerateRequestInput, TextBox, TextPosition } from '../../../src-main/core/params';
import type { JobRecord } from '../../../src-preload/contract';

export type RunKind = 'scene' | 'all' | 'headline' | 'apply';
export const FIRST_STEP: Record<RunKind, 1 | 2 | 3> = { scene: 1, all: 1, headline: 2, apply: 3 };

export interface RequestInputs {
  product: { dataUrl: string; name: string } | null;
  bgPrompt: string;
  bgNegative: string;
  aspect: AspectRatio;
  productScale: number;
  seed: string;
  text: string;
  fontName: string | null;
  textPrompt: string;
  textNegative: string;
  mode: CompositionMode;
  placement: TextPosition | 'custom';
  box: TextBox | null;
  current: JobRecord | null;
}

/** The request for a run, from the inputs and the job on screen. */
export function buildRequest(s: RequestInputs, kind: RunKind): GenerateRequestInput {
  const seed = s.seed.trim() === '' ? null : Number(s.seed);
  const common: GenerateRequestInput = {
    text_content: s.text.trim() === '' ? null : s.text,
    font_name: s.fontName,
    text_model_prompt: s.textPrompt,
    negative_prompt: s.textNegative,
    composition_mode: s.mode,
    text_position: s.placement === 'custom' ? 'auto' : s.placement,
    text_box: s.placement === 'custom' && s.box ? s.box : null,
    seed: Number.isInteger(seed) ? seed : null,
  };
  if (kind === 'scene' || kind === 'all') {
    return {
      ...common,
      start_step: 1,
      stop_step: kind === 'scene' ? 1 : 3,
      product_image: s.product?.dataUrl ?? null,
      bg_prompt: s.bgPrompt,
      bg_negative_prompt: s.bgNegative,
      aspect_ratio: s.aspect,
      product_scale: s.productScale,
      // A box drawn on another scene means nothing on a new one.
      text_box: null,
    };
  }
  return {
    ...common,
    start_step: FIRST_STEP[kind],
    stop_step: kind === 'headline' ? 2 : 3,
    from_job_id: s.current?.job_id ?? null,
  };
}

/** Keeps the designer's box when the layer changes shape: same centre and height, new width. */
export function refitBox(box: TextBox, layer: { width: number; height: number }): TextBox {
  const width = (box.height * layer.width) / layer.height;
  const cx = box.x + box.width / 2;
  return { ...box, x: cx - width / 2, width };
}

