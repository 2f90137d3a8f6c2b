// Where the headline goes on the finished ad: a band (top/center/bottom), always horizontally
// centred, that shrinks or moves up or down away from the product; an automatic choice scored on
// product overlap, edge density, contrast and the classic ad zones; or the designer's explicit
// box from the studio canvas. Pure: no I/O.
import type { TextBox, TextPosition } from '../core/params';
import { analysisFactor, integralMean, boxSum, maskIntegral, sceneMaps, type Integral, type SceneMaps } from './edge-density';
import type { GrayImage, RgbaImage } from '../imaging/types';

export interface Size {
  width: number;
  height: number;
}

/** The scaled layer's box before rotation; rotation (degrees, clockwise) is about its centre. */
export interface Placement {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  /** Score of the chosen box (auto and bands only). */
  score?: number;
  /** How many boxes were scored. */
  candidates?: number;
}

export interface PlaceTextInput {
  canvas: Size;
  layer: Size;
  position: TextPosition;
  box: TextBox | null;
  productMask: GrayImage | null;
  background: RgbaImage;
  /** Mean luma (0..255) of the layer's visible pixels; enables the contrast term. */
  layerLuma?: number;
  /**
   * Bands step aside from the product unless false: `behind` wants the headline where the
   * designer put it, with the product in front of it.
   */
  avoidProduct?: boolean;
}

/** Safe margin as a share of each side: nothing important within 5% of the frame edge. */
export const SAFE_MARGIN = 0.05;
/** Height of the top/bottom bands and of the centre band, as shares of the canvas height. */
export const BAND_HEIGHT = { top: 0.24, bottom: 0.24, center: 0.3 } as const;
/** Largest share of the canvas height auto placement lets the headline take. */
const AUTO_MAX_HEIGHT = 0.3;
/** A box is "free" when the product covers less than this share of it (mask edges are soft). */
const FREE_COVERAGE = 0.002;

/** Fits the layer into an explicit box: aspect kept, centred, rotated about the box centre. */
export function fitIntoBox(layer: Size, box: TextBox): Placement {
  const s = Math.min(box.width / layer.width, box.height / layer.height);
  const width = layer.width * s;
  const height = layer.height * s;
  return {
    x: box.x + (box.width - width) / 2,
    y: box.y + (box.height - height) / 2,
    width,
    height,
    rotation: box.rotation ?? 0,
  };
}

interface Candidate {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Share of the canvas-fit size, 1 = largest considered. */
  scale: number;
}

/** The product mask as box queries, with its analysis factor (output pixels per map pixel). */
export interface MaskMap {
  mask: Integral | null;
  factor: number;
}

/** Share of the (padded) box covered by the product, 0..1. Boxes are in output pixels. */
function coverage(m: MaskMap, c: Candidate, pad: number): number {
  if (!m.mask) return 0;
  const f = m.factor;
  // Outward rounding at the analysis resolution: a touch of product at the box edge still counts.
  const x0 = Math.floor((c.x - pad) / f),
    y0 = Math.floor((c.y - pad) / f);
  const x1 = Math.ceil((c.x + c.width + pad) / f),
    y1 = Math.ceil((c.y + c.height + pad) / f);
  const area = Math.max(1, (Math.min(m.mask.width, x1) - Math.max(0, x0)) * (Math.min(m.mask.height, y1) - Math.max(0, y0)));
  return boxSum(m.mask, x0, y0, x1, y1) / area;
}

/** Evenly spaced positions from lo to hi inclusive (one, centred, when the range is empty). */
function steps(lo: number, hi: number, n: number): number[] {
  if (hi <= lo || n <= 1) return [(lo + hi) / 2];
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

/** Keeps a gap between headline and product so the text does not touch the silhouette. */
const productPad = (canvas: Size) => Math.round(0.015 * Math.min(canvas.width, canvas.height));

/** A band's headline never shrinks below this share of its band-fit size to dodge the product. */
export const MIN_BAND_SCALE = 0.55;
const BAND_SCALES = [1, 0.88, 0.76, 0.64, MIN_BAND_SCALE];
/** Fallback scales when nothing readable is free anywhere near the band (least product covered). */
const SMALL_SCALES = [0.42, 0.34];

interface Scored {
  c: Candidate;
  score: number;
  clear: boolean;
}

/**
 * top / center / bottom: the layer scaled to fill the band inside the safe margins, centred on the
 * frame's vertical axis. The box always stays horizontally centred: a designer who picks a band
 * picks "centred at the top / middle / bottom" (only `auto` may go anywhere). If the product reaches
 * into the band, the largest centred box in the band that stays clear of it wins (shrinking before
 * moving up or down, but not below MIN_BAND_SCALE). If no readable box is clear there, the band
 * slides toward the frame's middle to the nearest free region, but never out of its part of the
 * frame (top half, bottom half, middle third); only if there is none does the headline shrink
 * further or overlap the product as little as possible, still centred.
 */
export function placeInBand(canvas: Size, layer: Size, position: Exclude<TextPosition, 'auto'>, maps: MaskMap | null): Placement {
  const mx = canvas.width * SAFE_MARGIN,
    my = canvas.height * SAFE_MARGIN;
  const bandH = canvas.height * BAND_HEIGHT[position];
  const availW = canvas.width - 2 * mx;
  const fit = Math.min(availW / layer.width, bandH / layer.height);
  const bandTop = position === 'top' ? my : position === 'bottom' ? canvas.height - my - bandH : (canvas.height - bandH) / 2;
  // Preferred vertical anchor: the band edge nearest the frame edge, or the centre.
  const anchorY = (top: number, h: number) => (position === 'top' ? top : position === 'bottom' ? top + bandH - h : top + (bandH - h) / 2);

  const w0 = layer.width * fit,
    h0 = layer.height * fit;
  const preferred: Placement = { x: (canvas.width - w0) / 2, y: anchorY(bandTop, h0), width: w0, height: h0, rotation: 0 };
  if (!maps?.mask) return preferred;

  const pad = productPad(canvas);
  // A band keeps to its part of the frame, or "Bottom" ends up above a product standing on the
  // ground: top stays in the upper half, bottom in the lower half, centre in the middle third.
  const keepsToPart = (cy: number) =>
    position === 'top' ? cy <= canvas.height / 2 : position === 'bottom' ? cy >= canvas.height / 2 : cy >= canvas.height / 3 && cy <= (2 * canvas.height) / 3;
  let count = 0;
  const search = (top: number, scales: number[]): Scored | null => {
    let best: Scored | null = null;
    for (const scale of scales) {
      const w = w0 * scale,
        h = h0 * scale;
      // Horizontally centred, always: only the size and the vertical position are searched.
      const x = (canvas.width - w) / 2;
      for (const y of steps(top, top + bandH - h, 9)) {
        if (!keepsToPart(y + h / 2)) continue;
        const c = { x, y, width: w, height: h, scale };
        count++;
        const cov = coverage(maps, c, pad);
        const clear = cov < FREE_COVERAGE;
        // Clear boxes first (covering product costs far more than any size or shift), then
        // size, then closeness to the preferred anchor of the original band.
        const shift = Math.abs(y - anchorY(bandTop, h)) / canvas.height;
        const score = (clear ? 0 : -10 - 20 * cov) + scale - 0.5 * shift;
        if (!best || score > best.score) best = { c, score, clear };
      }
    }
    return best;
  };
  const done = (b: Scored): Placement => ({ x: b.c.x, y: b.c.y, width: b.c.width, height: b.c.height, rotation: 0, score: b.score, candidates: count });

  const inBand = search(bandTop, BAND_SCALES);
  if (inBand?.clear) return done(inBand);
  // Slide the band toward the middle of the frame (both ways for the centre band), nearest first.
  const stepY = canvas.height * 0.03;
  for (let k = 1; k * stepY <= canvas.height; k++) {
    const tops = position === 'top' ? [bandTop + k * stepY] : position === 'bottom' ? [bandTop - k * stepY] : [bandTop - k * stepY, bandTop + k * stepY];
    for (const top of tops) {
      if (top < my - 0.5 || top > canvas.height - my - bandH + 0.5) continue;
      const moved = search(top, BAND_SCALES);
      if (moved?.clear) return done(moved);
    }
  }
  // Still in the band: a smaller headline in a free gap (under or beside the product), else the
  // band's box that covers the least product.
  const small = search(bandTop, SMALL_SCALES);
  const best = small && (small.clear || !inBand) ? small : inBand;
  return best ? done(best) : preferred;
}

/** Classic ad zones by vertical position of the box centre: headline top, then bottom, then centre. */
export function zoneScore(cxFrac: number, cyFrac: number): number {
  const g = (v: number, mu: number, sigma: number) => Math.exp(-(((v - mu) / sigma) ** 2));
  const vertical = Math.max(g(cyFrac, 0.17, 0.12), 0.8 * g(cyFrac, 0.85, 0.1), 0.45 * g(cyFrac, 0.5, 0.12));
  const horizontal = g(cxFrac, 0.5, 0.35);
  return 0.75 * vertical + 0.25 * horizontal;
}

export interface BoxTerms {
  coverage: number;
  /** 0..1, saturating mean Sobel magnitude under the box. */
  edge: number;
  /** 0..1, standard deviation of luma under the box (large-scale clutter, gradients). */
  clutter: number;
  /** 0..1, |background luma − text luma| (0.5 when the text luma is unknown). */
  contrast: number;
  zone: number;
  size: number;
}

/** The individual terms for one box; exported so tests and the studio can explain a choice. */
export function boxTerms(maps: SceneMaps, c: Candidate, layerLuma: number | undefined, pad: number): BoxTerms {
  const f = maps.factor;
  const x0 = c.x / f,
    y0 = c.y / f,
    x1 = (c.x + c.width) / f,
    y1 = (c.y + c.height) / f;
  const meanEdge = integralMean(maps.edge, x0, y0, x1, y1);
  const meanL = integralMean(maps.luma, x0, y0, x1, y1);
  const varL = Math.max(0, integralMean(maps.lumaSq, x0, y0, x1, y1) - meanL * meanL);
  return {
    coverage: coverage(maps, c, pad),
    // 40 ≈ the mean Sobel magnitude of a fine, clearly visible texture: half-saturation there.
    edge: meanEdge / (meanEdge + 40),
    clutter: Math.min(1, Math.sqrt(varL) / 64),
    contrast: layerLuma === undefined ? 0.5 : Math.abs(meanL - layerLuma) / 255,
    zone: zoneScore((c.x + c.width / 2) / maps.width, (c.y + c.height / 2) / maps.height),
    size: c.scale,
  };
}

/** Weighted sum of the terms; covering the product outweighs everything else together. */
export function scoreTerms(t: BoxTerms): number {
  return 1.0 * t.size - 1.4 * t.edge - 0.5 * t.clutter + 0.7 * t.contrast + 0.6 * t.zone - (t.coverage < FREE_COVERAGE ? 0 : 10 + 30 * t.coverage);
}

/**
 * auto: candidate boxes at five sizes on a grid over the whole safe area, scored by product
 * overlap, edge density, luma clutter, contrast with the text and ad-zone preference. A box clear
 * of the product always beats one that covers it, so the product is covered only when no clear
 * box of at least half the canvas-fit size exists.
 */
export function placeAuto(canvas: Size, layer: Size, maps: SceneMaps, layerLuma?: number): Placement {
  const mx = canvas.width * SAFE_MARGIN,
    my = canvas.height * SAFE_MARGIN;
  const fit = Math.min((canvas.width - 2 * mx) / layer.width, (canvas.height * AUTO_MAX_HEIGHT) / layer.height);
  const pad = productPad(canvas);
  let best: { c: Candidate; score: number } | null = null;
  let count = 0;
  for (const scale of [1, 0.85, 0.72, 0.6, 0.5]) {
    const w = layer.width * fit * scale,
      h = layer.height * fit * scale;
    for (const x of steps(mx, canvas.width - mx - w, 9)) {
      for (const y of steps(my, canvas.height - my - h, 17)) {
        const c = { x, y, width: w, height: h, scale };
        count++;
        const score = scoreTerms(boxTerms(maps, c, layerLuma, pad));
        if (!best || score > best.score) best = { c, score };
      }
    }
  }
  const c = best!.c;
  return { x: c.x, y: c.y, width: c.width, height: c.height, rotation: 0, score: best!.score, candidates: count };
}

export function placeText(input: PlaceTextInput): Placement {
  const { canvas, layer } = input;
  if (input.box) return fitIntoBox(layer, input.box);
  if (input.position === 'auto') return placeAuto(canvas, layer, sceneMaps(input.background, input.productMask), input.layerLuma);
  const mask = input.productMask;
  // Bands only need the product mask (and only when they are to step aside from it).
  const usable = mask && mask.width === canvas.width && mask.height === canvas.height && input.avoidProduct !== false;
  const f = analysisFactor(canvas.width, canvas.height);
  return placeInBand(canvas, layer, input.position, usable ? { mask: maskIntegral(mask, f), factor: f } : null);
}
