// Text effects on the lettering layer (fill colour or gradient keeping the 3D shading, outline,
// drop shadow) drawn in the page with the very code step 3 runs on the server
// (src-main/core/text-effects.ts), so the canvas shows the pixels Apply makes. Apply sends the
// effects as `text_effects`; the server applies them to the engine's own layer.
import { applyTextEffects, hasTextEffects, NO_TEXT_EFFECTS, type TextEffects } from '../../../src-main/core/text-effects';

export type TextFx = TextEffects;
export const NO_FX: TextFx = NO_TEXT_EFFECTS;
export const hasFx = (fx: TextFx | null | undefined): fx is TextFx => hasTextEffects(fx);
/** Equal for the same look ('' for none), whatever the unused fields hold. */
export const fxKey = (fx: TextFx | null | undefined) =>
  hasFx(fx) ? JSON.stringify([fx.fill, fx.fill ? fx.fill_to : null, fx.outline, fx.outline ? fx.outline_width : 0, fx.shadow]) : '';

/** The layer with the effects: grown by effectsPadding on every side, the text at its own size. */
export function applyTextFx(layer: HTMLImageElement | HTMLCanvasElement, fx: TextFx): HTMLCanvasElement {
  const W = layer instanceof HTMLImageElement ? layer.naturalWidth : layer.width;
  const H = layer instanceof HTMLImageElement ? layer.naturalHeight : layer.height;
  const src = document.createElement('canvas');
  src.width = Math.max(1, W);
  src.height = Math.max(1, H);
  const sctx = src.getContext('2d', { willReadFrequently: true });
  if (!sctx || W === 0 || H === 0) return src;
  sctx.drawImage(layer, 0, 0);
  const styled = applyTextEffects({ width: W, height: H, data: sctx.getImageData(0, 0, W, H).data }, fx);
  const out = document.createElement('canvas');
  out.width = styled.width;
  out.height = styled.height;
  const img = new ImageData(styled.width, styled.height);
  img.data.set(styled.data);
  out.getContext('2d')?.putImageData(img, 0, 0);
  return out;
}
