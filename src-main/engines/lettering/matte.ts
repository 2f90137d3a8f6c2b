// The generated lettering matted out of its generated background. Two mattes compete: the
// segmentation engine's (salient object: good when the model drew lettering on a plain backdrop),
// and a colour key against the backdrop colour measured far from the glyphs (good when the
// segmenter takes the whole picture, or nothing). The one that agrees better with the glyphs wins
// (mean per-glyph IoU, see legibility.ts); the layer's alpha is that matte inside a feathered band
// around the glyphs, so nothing the model drew away from the headline (a floor, a sparkle) ends up in
// the layer, and edge colours are un-mixed from the backdrop so no halo of it remains.
import { blurPlane, dilateGray, erodeGray } from '../../imaging/filters';
import type { GrayImage, Rect, RgbaImage } from '../../imaging/types';
import { dilateBinary, legibility, type LegibilityReport } from './legibility';

export type Rgb = [number, number, number];

const binary = (img: GrayImage, threshold = 128) => {
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i] >= threshold ? 1 : 0;
  return out;
};

/** Band the layer may occupy: the glyphs dilated by `radius` px, feathered by `feather` px; 0..1. */
export function glyphBand(glyphs: GrayImage, radius: number, feather: number): Float32Array {
  const { width: w, height: h } = glyphs;
  const d = dilateBinary(binary(glyphs, 64), w, h, Math.round(radius));
  const band = new Float32Array(w * h);
  for (let i = 0; i < band.length; i++) band[i] = d[i];
  blurPlane(band, w, h, feather);
  // Full strength inside the dilated glyphs: the blur only softens the outer edge.
  for (let i = 0; i < band.length; i++) band[i] = d[i] ? Math.max(band[i], Math.min(1, band[i] * 2)) : band[i];
  return band;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = values.slice().sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Backdrop colour: per-channel median of the pixels farther than `distance` px from every glyph (else the frame). */
export function backdropColour(image: RgbaImage, glyphs: GrayImage, distance: number): Rgb {
  const { width: w, height: h, data } = image;
  const near = dilateBinary(binary(glyphs, 32), w, h, Math.round(distance));
  const ch: number[][] = [[], [], []];
  const step = Math.max(1, Math.floor(Math.sqrt((w * h) / 40000)));
  for (let y = 0; y < h; y += step)
    for (let x = 0; x < w; x += step) {
      const i = y * w + x;
      if (near[i]) continue;
      for (let c = 0; c < 3; c++) ch[c].push(data[i * 4 + c]);
    }
  if (ch[0].length < 16) {
    for (let x = 0; x < w; x++) for (const y of [0, h - 1]) for (let c = 0; c < 3; c++) ch[c].push(data[(y * w + x) * 4 + c]);
    for (let y = 0; y < h; y++) for (const x of [0, w - 1]) for (let c = 0; c < 3; c++) ch[c].push(data[(y * w + x) * 4 + c]);
  }
  return [median(ch[0]), median(ch[1]), median(ch[2])];
}

/**
 * Colour-key matte: alpha rises with the colour distance from the backdrop, from 30 % to 70 % of
 * the typical distance inside the glyphs (their 75th percentile), with lone specks (up to 2 px) of
 * backdrop texture dropped. Null when the lettering is not distinguishable from the
 * backdrop by colour (that typical distance under 24 levels).
 */
export function colourKeyMatte(image: RgbaImage, glyphs: GrayImage, background: Rgb): GrayImage | null {
  const { width: w, height: h, data } = image;
  const n = w * h;
  const dist = new Float32Array(n);
  for (let i = 0; i < n; i++) dist[i] = Math.hypot(data[i * 4] - background[0], data[i * 4 + 1] - background[1], data[i * 4 + 2] - background[2]);
  const inside: number[] = [];
  for (let i = 0; i < n; i++) if (glyphs.data[i] >= 128) inside.push(dist[i]);
  if (inside.length === 0) return null;
  inside.sort((a, b) => a - b);
  const ref = inside[Math.floor(inside.length * 0.75)];
  if (ref < 24) return null;
  const lo = 0.3 * ref;
  const span = 0.4 * ref;
  const out: GrayImage = { width: w, height: h, data: Buffer.alloc(n) };
  for (let i = 0; i < n; i++) out.data[i] = Math.round(255 * Math.min(1, Math.max(0, (dist[i] - lo) / span)));
  // Specks of backdrop texture that happen to differ in colour go: a pixel keeps its alpha only
  // within a pixel of the matte's opening (3×3 min, then max), so stroke corners stay whole.
  const near = dilateGray(dilateGray(erodeGray(out, 1), 1), 1);
  for (let i = 0; i < n; i++) if (near.data[i] < out.data[i]) out.data[i] = near.data[i];
  return out;
}

export interface MatteCandidate {
  source: 'segmenter' | 'colour-key';
  matte: GrayImage;
}

export interface ChosenMatte extends MatteCandidate {
  report: LegibilityReport;
}

/** The candidate whose matte agrees best with the glyphs (highest mean per-glyph IoU; ties keep the earlier one). */
export function chooseMatte(
  candidates: readonly MatteCandidate[],
  glyphs: GrayImage,
  opts: { tolerance: number; cells?: readonly Rect[]; chars?: readonly string[] },
): ChosenMatte {
  if (candidates.length === 0) throw new Error('chooseMatte: no matte to choose from');
  let best: ChosenMatte | null = null;
  for (const c of candidates) {
    const report = legibility(glyphs, c.matte, opts);
    if (!best || report.mean > best.report.mean) best = { ...c, report };
  }
  return best as ChosenMatte;
}

/** An empty (all-transparent) matte, the colour key's stand-in when it has nothing to key. */
export function emptyMatte(width: number, height: number): GrayImage {
  return { width, height, data: Buffer.alloc(width * height) };
}

/**
 * The RGBA layer: alpha = matte × band; colours of partly covered pixels un-mixed from the
 * backdrop (C = (I − (1 − a)·B) / a with the matte's a), so edges carry the lettering's colour.
 */
export function matteLayer(image: RgbaImage, matte: GrayImage, band: Float32Array, background: Rgb): RgbaImage {
  const { width: w, height: h, data } = image;
  const out = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    const a = matte.data[i] / 255;
    const alpha = a * band[i];
    if (alpha <= 0.5 / 255) continue;
    const p = i * 4;
    for (let c = 0; c < 3; c++) {
      const v = a >= 0.999 || a < 0.05 ? data[p + c] : (data[p + c] - (1 - a) * background[c]) / a;
      out[p + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
    out[p + 3] = Math.min(255, Math.round(alpha * 255));
  }
  return { width: w, height: h, data: out };
}
