// Step 3: the text layer onto the step-1 scene. Placement (layout.ts) decides the box; the layer
// is scaled with lanczos, rotated about the box centre, optionally lit by the scene (`blend`) and
// alpha-composited, with the product mask occluding it for `behind`. Text effects are applied to
// the layer first, and a second text layer (sub-headline, call to action) goes on top last.
import { throwIfAborted } from '../core/errors';
import { placeSubText, type SubText } from '../core/sub-text';
import { applyTextEffects, effectsPadding, type TextEffects } from '../core/text-effects';
import { renderSubTextLayer } from '../engines/typography/sub-text-layer';
import type { CompositionMode, TextBox, TextPosition } from '../core/params';
import { alphaOver } from '../imaging/composite';
import { layerLuma, rotateLayer } from '../imaging/layer';
import { scaleLayer } from '../imaging/resize';
import { placeText } from './layout';
import { tintLayerToScene } from '../core/scene-tint';
import type { GrayImage, RgbaImage } from '../imaging/types';
import type { SceneInfo } from '../engines/contracts';
import type { StepContext } from './types';

export interface Step3Input {
  background: RgbaImage;
  textLayer: RgbaImage;
  productMask: GrayImage | null;
  scene: SceneInfo | null;
  mode: CompositionMode;
  position: TextPosition;
  box: TextBox | null;
  /** composition_strength 0..1: how strongly `blend` lights and tints the text. */
  strength: number;
  /** Fill, outline and shadow applied to the layer before it is placed (null: as the engine made it). */
  effects?: TextEffects | null;
  /** The second text layer (sub-headline or call to action), drawn over the headline. */
  subText?: { spec: SubText; fontPath: string } | null;
}

export interface PlacedText {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
}

export interface Step3Result {
  image: RgbaImage;
  placed: PlacedText;
  /** Where the sub-text layer went (top-left, output px), when there was one. */
  subPlaced: { x: number; y: number; width: number; height: number } | null;
}

/** Neutral key light from the upper left, used when no scene facts are known. */
const DEFAULT_LIGHT = { color: [1, 1, 1] as [number, number, number], dir: { x: 0.6, y: 0.8 } };

export async function runStep3(input: Step3Input, ctx: StepContext): Promise<Step3Result> {
  const { background, textLayer } = input;
  // Placement sees the plain layer (as the studio's preview does); the effects grow it by a margin
  // around the same text, drawn at the same scale about the same centre.
  const fx = input.effects ?? null;
  const styledPx = applyTextEffects(textLayer, fx);
  const styled: RgbaImage =
    styledPx === textLayer
      ? textLayer
      : { width: styledPx.width, height: styledPx.height, data: Buffer.from(styledPx.data.buffer, styledPx.data.byteOffset, styledPx.data.byteLength) };
  const { pad } = effectsPadding(textLayer.width, textLayer.height, fx);
  // A mask of another size (e.g. from a different aspect) cannot be trusted for occlusion.
  const mask = input.productMask && input.productMask.width === background.width && input.productMask.height === background.height ? input.productMask : null;

  ctx.progress('text_placement', 0);
  const p = placeText({
    canvas: { width: background.width, height: background.height },
    layer: { width: textLayer.width, height: textLayer.height },
    position: input.position,
    box: input.box,
    productMask: mask,
    background,
    layerLuma: layerLuma(textLayer),
    avoidProduct: input.mode !== 'behind',
  });
  const placed: PlacedText = { x: p.x, y: p.y, width: p.width, height: p.height, rotation: p.rotation };
  ctx.progress('text_placement', 1);
  throwIfAborted(ctx.signal);

  ctx.progress('composition', 0);
  const sx = p.width / textLayer.width;
  const sy = p.height / textLayer.height;
  const scaled = await scaleLayer(styled, Math.max(1, Math.round(p.width + 2 * pad * sx)), Math.max(1, Math.round(p.height + 2 * pad * sy)));
  throwIfAborted(ctx.signal);
  const rotated = rotateLayer(scaled, p.rotation);
  // Centre of the placed box stays the centre of the rotated layer.
  const left = Math.round(p.x + p.width / 2 - rotated.image.width / 2);
  const top = Math.round(p.y + p.height / 2 - rotated.image.height / 2);
  ctx.progress('composition', 0.4);

  let layer = rotated.image;
  if (input.mode === 'blend') {
    const tinted = tintLayerToScene({
      layer,
      left,
      top,
      background,
      lightColor: input.scene?.lightColor ?? DEFAULT_LIGHT.color,
      lightDir: input.scene?.lightDir ?? DEFAULT_LIGHT.dir,
      strength: input.strength,
    });
    layer = { width: tinted.width, height: tinted.height, data: Buffer.from(tinted.data.buffer, tinted.data.byteOffset, tinted.data.byteLength) };
  }
  throwIfAborted(ctx.signal);
  const image = alphaOver(background, layer, left, top, { occluder: input.mode === 'behind' ? mask : null });
  let subPlaced: Step3Result['subPlaced'] = null;
  if (input.subText) {
    // The call to action stays readable on top, also in `behind` (a button is never occluded).
    const sub = renderSubTextLayer(input.subText.spec, input.subText.fontPath, background.height);
    const at = placeSubText(background, sub, input.subText.spec, placed);
    alphaOver(image, sub, at.x, at.y, { inPlace: true });
    subPlaced = { ...at, width: sub.width, height: sub.height };
  }
  ctx.progress('composition', 1);
  return { image, placed, subPlaced };
}
