// Foreground colour estimation for soft matte edges ("blur-fusion", Forte & Pitié 2021). A pixel
// on the product's edge is a mix I = αF + (1−α)B of product and old background; keeping I as the
// cut-out colour carries the old background into the new scene as a halo. Two passes of local
// foreground/background means recover F. The local means are smooth, so they are computed on a
// grid of at most ~768 px and only the final per-pixel formula runs at full resolution.
// Fully transparent pixels get the nearby product colour, so any later resampling that does not
// premultiply cannot bleed a foreign colour in either.
import type { GrayImage, RgbaImage } from '../../imaging/types';
import { boxMean } from './box-filter';
import { axisMap } from './guided-filter';

type Planes = [Float32Array, Float32Array, Float32Array];

const WORK_SIDE = 768;

/** Area-average downsample by an integer factor k (partial edge blocks averaged over what exists). */
function downsample(I: RgbaImage, alpha: GrayImage, k: number): { w: number; h: number; I: Planes; a: Float32Array } {
  const { width: W, height: H } = I;
  const w = Math.ceil(W / k);
  const h = Math.ceil(H / k);
  const n = w * h;
  const P: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const a = new Float32Array(n);
  const cnt = new Float32Array(n);
  const d = I.data;
  for (let y = 0; y < H; y++) {
    const oy = ((y / k) | 0) * w;
    for (let x = 0; x < W; x++) {
      const o = oy + ((x / k) | 0);
      const i = y * W + x;
      const j = i * 4;
      P[0][o] += d[j];
      P[1][o] += d[j + 1];
      P[2][o] += d[j + 2];
      a[o] += alpha.data[i];
      cnt[o]++;
    }
  }
  for (let o = 0; o < n; o++) {
    const inv = 1 / (cnt[o] * 255);
    P[0][o] *= inv;
    P[1][o] *= inv;
    P[2][o] *= inv;
    a[o] *= inv;
  }
  return { w, h, I: P, a };
}

/** One blur-fusion pass: local foreground and background means (r = window radius). */
function pass(I: Planes, F: Planes, B: Planes, alpha: Float32Array, w: number, h: number, r: number): { F: Planes; B: Planes; meanF: Planes } {
  const n = w * h;
  const bA = boxMean(alpha, w, h, r);
  const tmp = new Float32Array(n);
  const outF: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const outB: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const meanF: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let c = 0; c < 3; c++) {
    const Fc = F[c];
    const Bc = B[c];
    const Ic = I[c];
    for (let i = 0; i < n; i++) tmp[i] = Fc[i] * alpha[i];
    const bF = boxMean(tmp, w, h, r);
    for (let i = 0; i < n; i++) tmp[i] = Bc[i] * (1 - alpha[i]);
    const bB = boxMean(tmp, w, h, r);
    const oF = outF[c];
    const oB = outB[c];
    const mF = meanF[c];
    for (let i = 0; i < n; i++) {
      const fg = bF[i] / (bA[i] + 1e-5);
      const bg = bB[i] / (1 - bA[i] + 1e-5);
      const a = alpha[i];
      let f = fg + a * (Ic[i] - a * fg - (1 - a) * bg);
      if (f < 0) f = 0;
      else if (f > 1) f = 1;
      oF[i] = f;
      oB[i] = bg;
      mF[i] = fg;
    }
  }
  return { F: outF, B: outB, meanF };
}

/**
 * Returns RGBA with the estimated foreground colour and the given alpha. Opaque pixels keep their
 * exact input colour (labels are never repainted).
 */
export function estimateForeground(image: RgbaImage, alpha: GrayImage, radii: [number, number] = [90, 6]): RgbaImage {
  const { width: W, height: H } = image;
  if (alpha.width !== W || alpha.height !== H) throw new Error('alpha size differs from image');
  const k = Math.max(1, Math.ceil(Math.max(W, H) / WORK_SIDE));
  const low = downsample(image, alpha, k);
  const r1 = Math.max(1, Math.round(radii[0] / k));
  const r2 = Math.max(1, Math.round(radii[1] / k));
  const first = pass(low.I, low.I, low.I, low.a, low.w, low.h, r1);
  const second = pass(low.I, first.F, first.B, low.a, low.w, low.h, r2);
  // Full resolution: F = F̄ + α(I − αF̄ − (1−α)B̄) with the local means F̄, B̄ upsampled.
  const xs = axisMap(low.w, W, 1 / k);
  const ys = axisMap(low.h, H, 1 / k);
  const mF = second.meanF;
  const mB = second.B;
  const out = Buffer.allocUnsafe(W * H * 4);
  const d = image.data;
  const lw = low.w;
  for (let y = 0; y < H; y++) {
    const r0 = ys.i0[y] * lw;
    const r1row = ys.i1[y] * lw;
    const ty = ys.t[y];
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const j = i * 4;
      const al = alpha.data[i];
      out[j + 3] = al;
      if (al === 255) {
        out[j] = d[j];
        out[j + 1] = d[j + 1];
        out[j + 2] = d[j + 2];
        continue;
      }
      const x0 = xs.i0[x];
      const x1 = xs.i1[x];
      const tx = xs.t[x];
      const a = al / 255;
      for (let c = 0; c < 3; c++) {
        const f = mF[c];
        const top = f[r0 + x0] + (f[r0 + x1] - f[r0 + x0]) * tx;
        const bot = f[r1row + x0] + (f[r1row + x1] - f[r1row + x0]) * tx;
        const fg = top + (bot - top) * ty;
        let v = fg;
        if (al > 0) {
          const b = mB[c];
          const bt = b[r0 + x0] + (b[r0 + x1] - b[r0 + x0]) * tx;
          const bb = b[r1row + x0] + (b[r1row + x1] - b[r1row + x0]) * tx;
          const bg = bt + (bb - bt) * ty;
          v = fg + a * (d[j + c] / 255 - a * fg - (1 - a) * bg);
        }
        const q = Math.round(v * 255);
        out[j + c] = q < 0 ? 0 : q > 255 ? 255 : q;
      }
    }
  }
  return { width: W, height: H, data: out };
}

/**
 * For an RGBA that already carries a real alpha (a PNG cut-out): keep every visible colour as is
 * and give fully transparent pixels the local mean of the visible ones (colour bleeding), so the
 * RGB hidden under α = 0 (often black or white) never shows up along resampled edges.
 */
export function bleedTransparentColours(image: RgbaImage, radius = 6): RgbaImage {
  const { width: w, height: h } = image;
  const n = w * h;
  const d = image.data;
  const wgt = new Float32Array(n);
  const planes: Planes = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    const a = d[j + 3] / 255;
    wgt[i] = a;
    planes[0][i] = d[j] * a;
    planes[1][i] = d[j + 1] * a;
    planes[2][i] = d[j + 2] * a;
  }
  // Two radii: the small one for pixels next to the edge, the large one to reach further out.
  const out = Buffer.from(d);
  const near = [boxMean(wgt, w, h, radius), ...planes.map((p) => boxMean(p, w, h, radius))];
  const far = [boxMean(wgt, w, h, radius * 8), ...planes.map((p) => boxMean(p, w, h, radius * 8))];
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    if (d[j + 3] !== 0) continue;
    const src = near[0][i] > 1e-4 ? near : far;
    const s = src[0][i];
    if (s <= 1e-6) continue;
    out[j] = Math.round(src[1][i] / s);
    out[j + 1] = Math.round(src[2][i] / s);
    out[j + 2] = Math.round(src[3][i] / s);
  }
  return { width: w, height: h, data: out };
}
