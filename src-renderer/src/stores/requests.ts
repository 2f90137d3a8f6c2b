// What each studio button sends: the request for a run from the designer's inputs and the job on
// screen. Every run after the first names that job in from_job_id, so the steps before the one
// being rerun are reused. Pure, so it is unit-tested without a browser.
import {
  DEFAULT_LINE_HEIGHT,
  type AspectRatio,
  type CompositionMode,
  type GenerateRequestInput,
  type ProductBox,
  type TextAlign,
  type TextBox,
  type TextPosition,
} from '../../../src-main/core/params';
import type { SubText } from '../../../src-main/core/sub-text';
import { hasTextEffects, type TextEffects } from '../../../src-main/core/text-effects';
import { fxKey } from '../lib/textfx';
import type { JobRecord } from '../../../src-preload/contract';
import type { ProductPhoto } from '../lib/photo';

export type { ProductPhoto };

export type RunKind = 'scene' | 'all' | 'headline' | 'apply';
export const FIRST_STEP: Record<RunKind, 1 | 2 | 3> = { scene: 1, all: 1, headline: 2, apply: 3 };

export interface RequestInputs {
  product: ProductPhoto | null;
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
  /** Where the designer put the product on the compose stage (null: where step 1 placed it). */
  productBox: ProductBox | null;
  current: JobRecord | null;
  /** Headline typography (step 2): letter spacing in em, line height × size, alignment. */
  letterSpacing: number;
  lineHeight: number;
  align: TextAlign;
  /** Fill, outline and shadow (step 3). */
  textFx: TextEffects;
  /** The second text layer (step 3), null for none. */
  subText: SubText | null;
  /** The seed that made the scene on screen, when known: reruns from step 1 repaint that backdrop. */
  sceneSeed?: number | null;
}

/** Per-run changes a batch (variations, formats, export size) makes to the designer's inputs. */
export interface RunOverrides {
  seed?: number;
  aspect?: AspectRatio;
  longEdge?: number;
  textPrompt?: string;
  /** Stop earlier than the run kind does (formats with text effects stop after the layer). */
  stopStep?: 1 | 2 | 3;
  /** The ad this run is a version of (History groups it there), when it starts again from step 1. */
  lineage?: string | null;
}

// Both dress the headline: without one there is nothing to style (the server refuses them).
const effectsToSend = (s: Pick<RequestInputs, 'text' | 'textFx'>): TextEffects | null => (s.text.trim() && hasTextEffects(s.textFx) ? s.textFx : null);
const subTextToSend = (s: Pick<RequestInputs, 'text' | 'subText'>): SubText | null => (s.text.trim() && s.subText?.text.trim() ? s.subText : null);

/** The request for a run, from the inputs and the job on screen. */
export function buildRequest(s: RequestInputs, kind: RunKind, o: RunOverrides = {}): GenerateRequestInput {
  const seed = s.seed.trim() === '' ? null : Number(s.seed);
  const common: GenerateRequestInput = {
    text_content: s.text.trim() === '' ? null : s.text,
    font_name: s.fontName,
    text_model_prompt: o.textPrompt ?? s.textPrompt,
    negative_prompt: s.textNegative,
    composition_mode: s.mode,
    text_position: s.placement === 'custom' ? 'auto' : s.placement,
    text_box: s.placement === 'custom' && s.box ? s.box : null,
    seed: o.seed ?? (Number.isInteger(seed) ? seed : null),
    letter_spacing: s.letterSpacing,
    line_height: s.lineHeight,
    text_align: s.align,
    text_effects: effectsToSend(s),
    sub_text: subTextToSend(s),
  };
  if (kind === 'scene' || kind === 'all') {
    return {
      ...common,
      start_step: 1,
      stop_step: o.stopStep ?? (kind === 'scene' ? 1 : 3),
      product_image: s.product?.dataUrl ?? null,
      // No photo in hand (a reopened job whose photo did not load): the server reruns with the
      // job's stored photo.
      from_job_id: s.product ? (o.lineage ?? null) : (s.current?.job_id ?? null),
      bg_prompt: s.bgPrompt,
      bg_negative_prompt: s.bgNegative,
      aspect_ratio: o.aspect ?? s.aspect,
      product_scale: s.productScale,
      ...(o.longEdge ? { long_edge: o.longEdge } : {}),
      // A box drawn on another scene means nothing on a new one; nor does a product moved on it,
      // nor a call to action dragged on it (it goes back under the headline).
      text_box: null,
      product_box: null,
      sub_text: common.sub_text ? { ...common.sub_text, center: null } : null,
    };
  }
  // A rerun keeps the scene, so it records what made that scene, not the fields' current text:
  // otherwise the job shows (and History searches) a prompt that never ran.
  const made = s.current?.parameters;
  if (kind === 'apply' && made && productMoved(s)) {
    // The product moved: step 1 again from this job (its photo and cut-out reused, the same seed so
    // the same backdrop), the product where the designer put it, its shadows cast from there.
    return {
      ...made,
      ...common,
      start_step: 1,
      stop_step: 3,
      product_image: null,
      step1_image: null,
      step2_image: null,
      from_job_id: s.current?.job_id ?? null,
      seed: s.sceneSeed ?? made.seed,
      product_box: s.productBox,
    };
  }
  return {
    ...common,
    start_step: FIRST_STEP[kind],
    stop_step: kind === 'headline' ? 2 : 3,
    from_job_id: s.current?.job_id ?? null,
    ...(made
      ? {
          bg_prompt: made.bg_prompt,
          bg_negative_prompt: made.bg_negative_prompt,
          aspect_ratio: made.aspect_ratio,
          long_edge: made.long_edge,
          product_scale: made.product_scale,
          // Apply reuses the layer: it records the typography that made it, not the fields' values.
          ...(kind === 'apply'
            ? { letter_spacing: made.letter_spacing ?? 0, line_height: made.line_height ?? DEFAULT_LINE_HEIGHT, text_align: made.text_align ?? 'center' }
            : {}),
        }
      : {}),
  };
}

/** The typography fields differ from what made the layer on screen: Generate headline applies them. */
export function typographyChanged(s: Pick<RequestInputs, 'current' | 'letterSpacing' | 'lineHeight' | 'align'>, defaultLineHeight: number): boolean {
  const p = s.current?.parameters;
  if (!p || !s.current?.artifacts.includes('step2')) return false;
  return (
    Math.abs((p.letter_spacing ?? 0) - s.letterSpacing) > 1e-6 ||
    Math.abs((p.line_height ?? defaultLineHeight) - s.lineHeight) > 1e-6 ||
    (p.text_align ?? 'center') !== s.align
  );
}

/** True when the product on the stage is not where the job on screen put it. */
export function productMoved(s: Pick<RequestInputs, 'current' | 'productBox'>): boolean {
  const a = s.productBox;
  if (!a) return false;
  const b = s.current?.parameters.product_box ?? null;
  return !b || !near(a.x, b.x) || !near(a.y, b.y) || !near(a.width, b.width) || a.flip !== b.flip;
}

/** Keeps the designer's box when the layer changes shape: same centre and height, new width. */
export function refitBox(box: TextBox, layer: { width: number; height: number }): TextBox {
  const width = (box.height * layer.width) / layer.height;
  const cx = box.x + box.width / 2;
  return { ...box, x: cx - width / 2, width };
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.51;

/** A scene can be made: a photo in hand, or a job on screen whose stored photo the server reuses. */
export function canMakeScene(s: Pick<RequestInputs, 'product' | 'current'>): boolean {
  return !!s.product || !!s.current?.artifacts.includes('input');
}

/** True when Apply would render what the job on screen already shows (nothing changed since). */
export function alreadyApplied(s: Pick<RequestInputs, 'current' | 'mode' | 'placement' | 'box' | 'productBox' | 'subText' | 'text' | 'textFx'>): boolean {
  const job = s.current;
  if (productMoved(s)) return false;
  if (!job || !job.artifacts.includes('final') || job.stop_step !== 3 || !job.parameters.text_content) return false;
  const p = job.parameters;
  if (p.composition_mode !== s.mode) return false;
  // The effects and the second line as Apply would send them, against the job's.
  if (JSON.stringify(p.sub_text ?? null) !== JSON.stringify(subTextToSend(s))) return false;
  if (fxKey(p.text_effects) !== fxKey(effectsToSend(s))) return false;
  if (s.placement !== 'custom') return !p.text_box && p.text_position === s.placement;
  const a = p.text_box;
  const b = s.box;
  return !!a && !!b && near(a.x, b.x) && near(a.y, b.y) && near(a.width, b.width) && near(a.height, b.height) && near(a.rotation ?? 0, b.rotation ?? 0);
}

/** The same ad from step 1 at another long edge: placement scaled with it, the same seed. */
export function exportRequest(job: JobRecord, longEdge: number, productDataUrl: string | null, sceneSeed: number | null = null): GenerateRequestInput {
  const p = job.parameters;
  const k = longEdge / p.long_edge;
  const box = p.text_box
    ? { x: p.text_box.x * k, y: p.text_box.y * k, width: p.text_box.width * k, height: p.text_box.height * k, rotation: p.text_box.rotation ?? 0 }
    : null;
  const sub = p.sub_text ?? null;
  return {
    ...p,
    sub_text: sub?.center ? { ...sub, center: { x: sub.center.x * k, y: sub.center.y * k } } : sub,
    start_step: 1,
    stop_step: 3,
    seed: sceneSeed ?? p.seed,
    product_image: productDataUrl,
    // A version of this ad either way: with the photo in hand the server only records the link.
    from_job_id: job.job_id,
    long_edge: longEdge,
    text_box: box,
  };
}
