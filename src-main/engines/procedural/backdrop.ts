// The procedural studio backdrop: picks a look from the prompt, paints it, then applies what makes
// it read as photographed rather than drawn: depth of field focused on the ground line, a glossy
// floor's reflection, key-light falloff across the frame, lens vignette and sensor grain.
import { throwIfAborted } from '../../core/errors';
import type { RgbaImage } from '../../imaging/types';
import type { BackgroundEngine, BackgroundRequest, BackgroundResult } from '../contracts';
import { blurPlane } from '../../imaging/filters';
import { lightSideFromPrompt, pickLook } from './backdrop-looks';
import { makeRng, subSeed } from '../../imaging/random';
import { ValueNoise } from '../../imaging/noise';
import { createFloatRgb, smoothstep, type FloatRgb, type SceneCtx } from './backdrop-paint';
import { dominantColors, type Rgb } from '../../imaging/colour';
import { productTone } from './backdrop-palette';
import type { LookDef } from './looks/look-def';

/** Least distance between horizon and ground line (share of the frame height) for a raised ground. */
const MIN_FLOOR_DEPTH = 0.07;

/** Downsamples by 2 (box average) and blurs each plane: the depth-of-field layers. */
function halfBlurred(img: FloatRgb, sigma: number): FloatRgb {
  const W = img.width;
  const hw = W >> 1;
  const hh = img.height >> 1;
  const out = createFloatRgb(hw, hh);
  const planes: [Float32Array, Float32Array][] = [
    [img.r, out.r],
    [img.g, out.g],
    [img.b, out.b],
  ];
  for (const [src, dst] of planes) {
    for (let y = 0; y < hh; y++) {
      let a = 2 * y * W;
      let b = a + W;
      let o = y * hw;
      for (let x = 0; x < hw; x++, a += 2, b += 2, o++) dst[o] = (src[a] + src[a + 1] + src[b] + src[b + 1]) * 0.25;
    }
    blurPlane(dst, hw, hh, sigma / 2);
  }
  return out;
}

/** Horizontal resampling table from a half-width row to a full-width row (bilinear). */
function upTable(w: number, hw: number): { i0: Int32Array; t: Float32Array } {
  const i0 = new Int32Array(w);
  const t = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const f = Math.min(hw - 1.0001, Math.max(0, (x + 0.5) / 2 - 0.5));
    i0[x] = Math.floor(f);
    t[x] = f - i0[x];
  }
  return { i0, t };
}

/** Row y (full resolution) of a half-resolution float image, bilinearly upsampled into rows[c]. */
function upRow(src: FloatRgb, y: number, table: { i0: Int32Array; t: Float32Array }, rows: Float32Array[]): void {
  const hw = src.width;
  const fy = Math.min(src.height - 1.0001, Math.max(0, (y + 0.5) / 2 - 0.5));
  const iy = Math.floor(fy);
  const ty = fy - iy;
  const planes = [src.r, src.g, src.b];
  for (let c = 0; c < 3; c++) {
    const p = planes[c];
    const row = rows[c];
    const o0 = iy * hw;
    const o1 = o0 + hw;
    for (let x = 0; x < row.length; x++) {
      const i = table.i0[x];
      const tx = table.t[x];
      const top = p[o0 + i] + (p[o0 + i + 1] - p[o0 + i]) * tx;
      const bot = p[o1 + i] + (p[o1 + i + 1] - p[o1 + i]) * tx;
      row[x] = top + (bot - top) * ty;
    }
  }
}

/** Depth-of-field amount per row: 1 on the far wall, 0 at the ground line, a little in the foreground. */
function depthBlurWeight(y: number, hz: number, ground: number, h: number): number {
  if (y <= hz) return 1;
  if (y <= ground) return Math.pow(1 - (y - hz) / (ground - hz), 1.6);
  return 0.3 * smoothstep(0, 1, (y - ground) / Math.max(1, h - ground));
}

/** A 256×256 tile of sensor grain, seeded (tiling is invisible at this amplitude). */
function grainTile(seed: number): Float32Array {
  const rng = makeRng(seed);
  const t = new Float32Array(256 * 256);
  for (let i = 0; i < t.length; i++) t[i] = (rng() + rng() - 1) * 0.012;
  return t;
}

/** `ground` is the focus row: the product's base, which may sit above the floor's painted ground line. */
function postProcess(img: FloatRgb, look: LookDef, ctx: SceneCtx, seed: number, lightColor: Rgb, ground: number): RgbaImage {
  const { w, h, hz, side } = ctx;
  const sigma = look.wallBlur * (h / 1024);
  const b1 = halfBlurred(img, sigma * 0.45);
  const b2 = halfBlurred(img, sigma);
  const table = upTable(w, b1.width);
  const r1 = [new Float32Array(w), new Float32Array(w), new Float32Array(w)];
  const r2 = [new Float32Array(w), new Float32Array(w), new Float32Array(w)];
  const rm = [new Float32Array(w), new Float32Array(w), new Float32Array(w)];
  const data = Buffer.alloc(w * h * 4);
  const tint = [0.88 + 0.12 * lightColor[0], 0.88 + 0.12 * lightColor[1], 0.88 + 0.12 * lightColor[2]];
  const planes = [img.r, img.g, img.b];
  const grain = grainTile(seed);
  // Per-column factors: key-light falloff across the frame and the horizontal part of the vignette.
  const colK = new Float32Array(w);
  const colX2 = new Float32Array(w);
  for (let x = 0; x < w; x++) {
    const Xn = (x / w - 0.5) * 2;
    colK[x] = 1 + look.sideLight * 0.5 * Xn * side;
    colX2[x] = Xn * Xn;
  }
  const reflectSpan = Math.max(1, h - hz);
  const fac = new Float32Array(w);
  const row = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    const d = depthBlurWeight(y, hz, ground, h);
    if (d > 0) upRow(b1, y, table, r1);
    if (d > 0.5) upRow(b2, y, table, r2);
    // Floor reflection of the (blurred) wall: glossy rather than mirror, strongest at grazing angles.
    const ym = 2 * hz - y;
    const t = (y - hz) / reflectSpan;
    const refl = y > hz && ym >= 0 && look.reflect > 0 ? look.reflect * (0.2 + 0.8 * Math.pow(1 - t, 2.5)) : 0;
    if (refl > 0) upRow(b2, ym, table, rm);
    const Yn = (y / h - 0.5) * 2;
    const Y2 = Yn * Yn;
    for (let x = 0; x < w; x++) {
      const r2v = (colX2[x] + Y2) * 0.5;
      const vt = r2v <= 0.15 ? 0 : r2v >= 1 ? 1 : (r2v - 0.15) / 0.85;
      fac[x] = colK[x] * (1 - look.vignette * vt * vt * (3 - 2 * vt));
    }
    // Spill of the key light on the wall behind the product, offset toward the light.
    if (y < hz && look.wallGlow > 0) {
      const dy = (y - ground * 0.55) / h;
      for (let x = 0; x < w; x++) {
        const dx = (x - w / 2) / h + side * 0.15;
        fac[x] *= 1 + look.wallGlow * Math.exp(-(dx * dx * 0.8 + dy * dy * 1.6) / 0.06);
      }
    }
    const gRow = (y & 255) * 256;
    const base = y * w;
    for (let c = 0; c < 3; c++) {
      // Depth of field: sharp → lightly blurred → fully blurred as d goes 0 → 0.5 → 1.
      const p = planes[c];
      if (d <= 0) for (let x = 0; x < w; x++) row[x] = p[base + x];
      else if (d <= 0.5) {
        const a1 = r1[c];
        const k = d * 2;
        for (let x = 0; x < w; x++) row[x] = p[base + x] + (a1[x] - p[base + x]) * k;
      } else {
        const a1 = r1[c];
        const a2 = r2[c];
        const k = (d - 0.5) * 2;
        for (let x = 0; x < w; x++) row[x] = a1[x] + (a2[x] - a1[x]) * k;
      }
      if (refl > 0) {
        const am = rm[c];
        for (let x = 0; x < w; x++) row[x] = row[x] * (1 - refl) + am[x] * refl * 1.1;
      }
      const tc = tint[c];
      for (let x = 0, o = base * 4 + c; x < w; x++, o += 4) {
        const v = row[x] * fac[x] * tc + grain[gRow + (x & 255)];
        data[o] = v <= 0 ? 0 : v >= 1 ? 255 : (v * 255 + 0.5) | 0;
      }
    }
    for (let x = 0, o = base * 4 + 3; x < w; x++, o += 4) data[o] = 255;
  }
  return { width: w, height: h, data };
}

/** Unit vector from the key light into the scene (image space, y down). */
function lightDirection(side: -1 | 1, elevation: number): { x: number; y: number } {
  const y = Math.min(0.97, Math.max(0.2, elevation));
  return { x: -side * Math.sqrt(1 - y * y), y };
}

export async function renderBackdrop(opts: BackgroundRequest, signal?: AbortSignal): Promise<BackgroundResult> {
  const { width: w, height: h, seed } = opts;
  const { look, matched } = pickLook(opts.prompt, opts.negative, seed);
  const light = lightSideFromPrompt(opts.prompt);
  const side: -1 | 1 = light.side === 0 ? look.side : light.side;
  const hz = Math.round(look.horizon * h);
  const defaultGround = Math.round(look.ground * h);
  // A raised ground line moves only the focus of the depth of field: the floor texture keeps its
  // default perspective scale (re-deriving it from a short floor would magnify planks and tiles).
  const ground =
    opts.maxGroundY === undefined ? defaultGround : Math.min(defaultGround, Math.max(Math.round(opts.maxGroundY), hz + Math.round(MIN_FLOOR_DEPTH * h)));
  const ctx: SceneCtx = {
    w,
    h,
    hz,
    ground: defaultGround,
    side,
    n1: new ValueNoise(subSeed(seed, 'n1')),
    n2: new ValueNoise(subSeed(seed, 'n2')),
    rng: makeRng(subSeed(seed, 'rng')),
    tone: productTone(opts.productColors),
    wallStep: look.wallBlur * (h / 1024) >= 3 ? 2 : 1,
  };
  const img = createFloatRgb(w, h);
  look.paint(ctx, img);
  throwIfAborted(signal);
  const image = postProcess(img, look, ctx, subSeed(seed, 'grain') & 0xffff, look.lightColor, ground);
  throwIfAborted(signal);
  const palette = dominantColors(image, 5);
  return {
    image,
    scene: {
      width: w,
      height: h,
      look: look.id,
      lightDir: lightDirection(side, look.elevation),
      lightColor: look.lightColor,
      groundY: ground,
      palette,
    },
    floor: { horizonY: hz, defaultGroundY: defaultGround },
    shadow: { opacity: look.shadow.opacity, softness: look.shadow.softness, backLit: look.backLit === true },
    // For the job status: the words that chose the look and the light; the rest of the prompt,
    // and the diffusion-only fields, this engine does not read.
    understood: [...matched, ...light.matched],
    ignored: ['steps', 'guidance'],
  };
}

export const proceduralBackgroundEngine: BackgroundEngine = {
  id: 'procedural',
  provider: null,
  render: (opts, signal) => renderBackdrop(opts, signal),
};

/** Factory used by the pipeline's engine registry (stateless: the shared instance is returned). */
export function createProceduralBackground(): BackgroundEngine {
  return proceduralBackgroundEngine;
}

export { chooseLook } from './backdrop-looks';
export { LOOK_IDS, type LookId } from './looks';
