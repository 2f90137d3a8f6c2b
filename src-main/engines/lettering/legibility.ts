// The legibility guard: does the generated lettering still have the headline's letter shapes?
// Per glyph, the matte of the generated layer is compared with the laid-out glyphs by an
// intersection over union that tolerates 3D styling around the glyphs but not in their gaps:
//
//   G = glyph coverage ≥ 50 %            M = matte ≥ 50 %
//   D = G dilated by r (square window;   K = G closed by 3r (dilated, then eroded) plus G's holes:
//       r = 5 % of the font size)            G and its counters (inside 'e', 'ㅁ', whatever their
//                                            size) and the gaps narrower than 6r (between the
//                                            strokes of 름, between close letters)
//   T = G ∪ (D \ K)                      the band 3D styling may fill: G and its outer rim only
//   IoU_c = |M ∩ T ∩ c| / |(G ∪ M) ∩ c|   for each glyph region c
//
// Lettering exactly as thick as the glyphs scores 1, and so does lettering that also fills the
// outer rim up to r px (bevel, extrusion, outline: then it is the IoU of T and the matte). Matte in
// a counter or a narrow gap (a melted letter), beyond the rim (a blob, a letter bleeding into the
// background) or missing glyph pixels (a vanished stroke) count in the union only, and pull that
// glyph's score down. The regions c are the characters' cells from the layout (they tile the
// canvas, so no stray matte goes uncounted), or, without a layout, the connected components of D
// (glyphs closer than 2r merge), with matte outside D charged to the nearest component box. The
// layer passes when the worst glyph does.
import type { GrayImage, Rect } from '../../imaging/types';

export interface GlyphScore {
  region: Rect;
  /** The character, when the regions come from the layout. */
  char?: string;
  iou: number;
  glyphPixels: number;
}

export interface LegibilityReport {
  /** The worst glyph's IoU (1 when there is no glyph to judge). */
  worst: number;
  /** Mean over the judged glyphs. */
  mean: number;
  glyphs: GlyphScore[];
  /** The band used, px. */
  tolerance: number;
}

export interface LegibilityOptions {
  /** Band around the glyphs that 3D styling may fill without penalty, px. */
  tolerance: number;
  /** Character cells from the layout (else: connected components of the dilated glyphs). */
  cells?: readonly Rect[];
  chars?: readonly string[];
  /** Regions with fewer glyph pixels are not judged (a stray dot of antialiasing). Default 12. */
  minGlyphPixels?: number;
}

/** Default band: 5 % of the font size (a bevel or a short extrusion), at least 2 px. */
export function defaultTolerance(fontSizePx: number): number {
  return Math.max(2, Math.round(0.05 * fontSizePx));
}

/** Binary square dilation (separable max over a (2r+1)² window). */
export function dilateBinary(src: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return src.slice();
  const tmp = new Uint8Array(w * h);
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    // Running count of set pixels in the horizontal window.
    let count = 0;
    for (let x = 0; x <= Math.min(w - 1, r); x++) count += src[y * w + x];
    for (let x = 0; x < w; x++) {
      tmp[y * w + x] = count > 0 ? 1 : 0;
      const add = x + r + 1;
      const drop = x - r;
      if (add < w) count += src[y * w + add];
      if (drop >= 0) count -= src[y * w + drop];
    }
  }
  for (let x = 0; x < w; x++) {
    let count = 0;
    for (let y = 0; y <= Math.min(h - 1, r); y++) count += tmp[y * w + x];
    for (let y = 0; y < h; y++) {
      out[y * w + x] = count > 0 ? 1 : 0;
      const add = y + r + 1;
      const drop = y - r;
      if (add < h) count += tmp[add * w + x];
      if (drop >= 0) count -= tmp[drop * w + x];
    }
  }
  return out;
}

/** Binary square erosion (a pixel stays set when its whole in-canvas (2r+1)² window is set). */
export function erodeBinary(src: Uint8Array, w: number, h: number, r: number): Uint8Array {
  if (r <= 0) return src.slice();
  const inv = new Uint8Array(w * h);
  for (let i = 0; i < inv.length; i++) inv[i] = src[i] ? 0 : 1;
  const grown = dilateBinary(inv, w, h, r);
  const out = new Uint8Array(w * h);
  for (let i = 0; i < out.length; i++) out[i] = grown[i] ? 0 : 1;
  return out;
}

/** 8-connected components of a binary plane: labels 1..n (0 = background) and each one's box. */
export function components(bin: Uint8Array, w: number, h: number): { labels: Int32Array; boxes: Rect[] } {
  const labels = new Int32Array(w * h);
  const boxes: Rect[] = [];
  const stack: number[] = [];
  for (let i = 0; i < w * h; i++) {
    if (!bin[i] || labels[i]) continue;
    const id = boxes.length + 1;
    let x0 = w,
      y0 = h,
      x1 = -1,
      y1 = -1;
    labels[i] = id;
    stack.push(i);
    while (stack.length) {
      const p = stack.pop() as number;
      const px = p % w;
      const py = (p - px) / w;
      if (px < x0) x0 = px;
      if (px > x1) x1 = px;
      if (py < y0) y0 = py;
      if (py > y1) y1 = py;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const qx = px + dx;
          const qy = py + dy;
          if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
          const q = qy * w + qx;
          if (bin[q] && !labels[q]) {
            labels[q] = id;
            stack.push(q);
          }
        }
    }
    boxes.push({ x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
  }
  return { labels, boxes };
}

const binary = (img: GrayImage) => {
  const out = new Uint8Array(img.width * img.height);
  for (let i = 0; i < out.length; i++) out[i] = img.data[i] >= 128 ? 1 : 0;
  return out;
};

/** Background pixels not reachable from the canvas border without crossing the glyphs (4-connected): holes. */
export function enclosed(G: Uint8Array, w: number, h: number): Uint8Array {
  const outside = new Uint8Array(w * h);
  const stack: number[] = [];
  const seed = (i: number) => {
    if (!G[i] && !outside[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  };
  for (let x = 0; x < w; x++) {
    seed(x);
    seed((h - 1) * w + x);
  }
  for (let y = 0; y < h; y++) {
    seed(y * w);
    seed(y * w + w - 1);
  }
  while (stack.length) {
    const p = stack.pop() as number;
    const x = p % w;
    if (x > 0) seed(p - 1);
    if (x < w - 1) seed(p + 1);
    if (p >= w) seed(p - w);
    if (p < w * (h - 1)) seed(p + w);
  }
  const holes = new Uint8Array(w * h);
  for (let i = 0; i < holes.length; i++) holes[i] = !G[i] && !outside[i] ? 1 : 0;
  return holes;
}

/** Distance from a point to a box (0 inside). */
function boxDistance(r: Rect, x: number, y: number): number {
  const dx = x < r.x ? r.x - x : x >= r.x + r.width ? x - (r.x + r.width - 1) : 0;
  const dy = y < r.y ? r.y - y : y >= r.y + r.height ? y - (r.y + r.height - 1) : 0;
  return Math.hypot(dx, dy);
}

/** Scores the matte of a generated layer against the glyphs it was generated from (same size). */
export function legibility(glyphs: GrayImage, matte: GrayImage, opts: LegibilityOptions): LegibilityReport {
  const { width: w, height: h } = glyphs;
  if (matte.width !== w || matte.height !== h) throw new Error(`legibility: matte is ${matte.width}×${matte.height}, glyphs are ${w}×${h}`);
  const G = binary(glyphs);
  const M = binary(matte);
  const D = dilateBinary(G, w, h, opts.tolerance);
  // Counters and gaps, which must stay empty: G closed by 3r (gaps narrower than 6r between strokes
  // and letters) plus the enclosed holes whatever their size (inside o, ㅁ, ㅇ).
  const K = erodeBinary(dilateBinary(G, w, h, 3 * opts.tolerance), w, h, 3 * opts.tolerance);
  const holes = enclosed(G, w, h);
  for (let i = 0; i < K.length; i++) K[i] |= holes[i];
  const minPixels = opts.minGlyphPixels ?? 12;

  // Region of every pixel (−1: none).
  const region = new Int32Array(w * h).fill(-1);
  let regions: Rect[];
  if (opts.cells) {
    regions = [...opts.cells];
    regions.forEach((r, k) => {
      for (let y = Math.max(0, r.y); y < Math.min(h, r.y + r.height); y++)
        for (let x = Math.max(0, r.x); x < Math.min(w, r.x + r.width); x++) region[y * w + x] = k;
    });
  } else {
    const { labels, boxes } = components(D, w, h);
    regions = boxes;
    for (let i = 0; i < w * h; i++) {
      if (labels[i]) region[i] = labels[i] - 1;
      else if (M[i] && boxes.length) {
        // Matte off every glyph band: charged to the nearest glyph.
        const x = i % w;
        const y = (i - x) / w;
        let best = 0;
        let bestD = Infinity;
        boxes.forEach((b, k) => {
          const d = boxDistance(b, x, y);
          if (d < bestD) {
            bestD = d;
            best = k;
          }
        });
        region[i] = best;
      }
    }
  }

  const inter = new Float64Array(regions.length);
  const union = new Float64Array(regions.length);
  const glyphPx = new Float64Array(regions.length);
  for (let i = 0; i < w * h; i++) {
    const k = region[i];
    if (k < 0) continue;
    if (G[i]) glyphPx[k]++;
    if (M[i] && (G[i] || (D[i] && !K[i]))) inter[k]++;
    if (G[i] || M[i]) union[k]++;
  }
  const glyphs_: GlyphScore[] = [];
  regions.forEach((r, k) => {
    if (glyphPx[k] < minPixels) return;
    glyphs_.push({
      region: r,
      ...(opts.chars?.[k] !== undefined ? { char: opts.chars[k] } : {}),
      iou: union[k] > 0 ? inter[k] / union[k] : 0,
      glyphPixels: glyphPx[k],
    });
  });
  const worst = glyphs_.length ? Math.min(...glyphs_.map((g) => g.iou)) : 1;
  const mean = glyphs_.length ? glyphs_.reduce((s, g) => s + g.iou, 0) / glyphs_.length : 1;
  return { worst, mean, glyphs: glyphs_, tolerance: opts.tolerance };
}

/** The glyph and its IoU that failed worst, for notes ("'a' 0.41"). */
export function worstGlyph(r: LegibilityReport): GlyphScore | null {
  let worst: GlyphScore | null = null;
  for (const g of r.glyphs) if (!worst || g.iou < worst.iou) worst = g;
  return worst;
}
