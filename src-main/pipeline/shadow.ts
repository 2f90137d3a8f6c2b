// Shadows of the placed product on the floor, from its mask alone:
//   - contact shadow: a dark, tight band right under the base plus a soft ambient-occlusion pool,
//     which is what makes a product sit on a surface instead of floating;
//   - cast shadow: the mask projected away from the key light onto the floor (sheared sideways,
//     squashed by perspective), sharp near the base and softer and fainter with distance.
// Both are opacity maps (GrayImage, 0..255) over the full canvas, applied as a multiply.
import { blurPlane, boundsOf, clamp255 } from './image-ops';
import type { GrayImage, RgbaImage } from './types';

export interface ShadowOptions {
  /** Ground line (the product's base row), px. */
  groundY: number;
  /** Unit vector from the light into the scene (x right, y down). */
  lightDir: { x: number; y: number };
  /** Frame height / 1024: blur radii and offsets are tuned at 1024 px. */
  scale: number;
}

/** Screen-space projection of the shadow per pixel of object height above the ground. */
export function shadowProjection(lightDir: { x: number; y: number }): { dx: number; dyUp: number } {
  const ly = Math.min(0.97, Math.max(0.2, Math.abs(lightDir.y)));
  // Shadow length on the floor per unit of height = cot(elevation), capped for grazing light.
  const len = Math.min(2.2, Math.sqrt(1 - ly * ly) / ly);
  // The key light sits in front of the set, 30° toward the camera from the side it lights:
  // the shadow falls away from it and backward (up the frame), foreshortened by the floor's tilt.
  const side = Math.sign(lightDir.x) || 1;
  return { dx: side * len * Math.cos(Math.PI / 6), dyUp: Math.max(0.06, len * Math.sin(Math.PI / 6) * 0.35) };
}

interface Window {
  x0: number;
  y0: number;
  w: number;
  h: number;
}

function clipWindow(x0: number, y0: number, x1: number, y1: number, W: number, H: number): Window | null {
  const a = Math.max(0, Math.floor(x0));
  const b = Math.min(W, Math.ceil(x1));
  const c = Math.max(0, Math.floor(y0));
  const d = Math.min(H, Math.ceil(y1));
  return b > a && d > c ? { x0: a, y0: c, w: b - a, h: d - c } : null;
}

/** Bilinear sample of a gray image with zero outside. */
function sampleGray(m: GrayImage, x: number, y: number): number {
  const ix = Math.floor(x);
  const iy = Math.floor(y);
  if (ix < -1 || iy < -1 || ix >= m.width || iy >= m.height) return 0;
  const tx = x - ix;
  const ty = y - iy;
  const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= m.width || yy >= m.height ? 0 : m.data[yy * m.width + xx]);
  const top = at(ix, iy) + (at(ix + 1, iy) - at(ix, iy)) * tx;
  const bot = at(ix, iy + 1) + (at(ix + 1, iy + 1) - at(ix, iy + 1)) * tx;
  return top + (bot - top) * ty;
}

/**
 * Cast shadow opacity map. For every floor pixel behind the base, the object point that would
 * shade it is found by inverting the projection (so the shadow has no holes), then the map is
 * blurred with a radius that grows with the distance from the base and faded the same way.
 */
export function castShadowMap(mask: GrayImage, opts: ShadowOptions, opacity = 0.62): GrayImage {
  const W = mask.width;
  const H = mask.height;
  const out: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
  const box = boundsOf(mask, 8);
  if (!box) return out;
  const g = opts.groundY;
  const { dx, dyUp } = shadowProjection(opts.lightDir);
  const tall = Math.max(1, g - box.y);
  const sigmaFar = 26 * opts.scale;
  const reach = sigmaFar * 3;
  const win = clipWindow(
    Math.min(box.x, box.x + dx * tall) - reach,
    g - tall * dyUp - reach,
    Math.max(box.x + box.width, box.x + box.width + dx * tall) + reach,
    g + reach * 0.5,
    W,
    H,
  );
  if (!win) return out;
  const raw = new Float32Array(win.w * win.h);
  for (let wy = 0; wy < win.h; wy++) {
    const Y = win.y0 + wy;
    const hgt = (g - Y) / dyUp;
    if (hgt < 0 || hgt > tall) continue;
    const sy = g - hgt;
    for (let wx = 0; wx < win.w; wx++) raw[wy * win.w + wx] = sampleGray(mask, win.x0 + wx - dx * hgt, sy);
  }
  const near = Float32Array.from(raw);
  blurPlane(near, win.w, win.h, 2.5 * opts.scale);
  const far = raw;
  blurPlane(far, win.w, win.h, sigmaFar);
  for (let wy = 0; wy < win.h; wy++) {
    const Y = win.y0 + wy;
    const t = Math.min(1, Math.max(0, (g - Y) / dyUp / tall));
    const fade = opacity * Math.pow(1 - t, 1.3);
    const mixT = Math.min(1, t * 2.2);
    for (let wx = 0; wx < win.w; wx++) {
      const i = wy * win.w + wx;
      const v = near[i] + (far[i] - near[i]) * mixT;
      out.data[(Y * W) + win.x0 + wx] = clamp255(v * fade);
    }
  }
  return out;
}

/** Columns where the product touches the ground (opaque within a few px above the ground line). */
export function footprint(mask: GrayImage, groundY: number, band: number): { x0: number; x1: number } | null {
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let y = Math.max(0, Math.round(groundY - band)); y <= Math.min(mask.height - 1, Math.round(groundY)); y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x] >= 128) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
      }
    }
  }
  return x1 >= x0 ? { x0, x1 } : null;
}

/**
 * Contact shadow opacity map: (1) the base's own silhouette squashed flat onto the ground line and
 * lightly blurred — a dark line that follows the real footprint; (2) a wide, soft occlusion pool
 * under the footprint.
 */
export function contactShadowMap(mask: GrayImage, opts: ShadowOptions, opacity = 0.85): GrayImage {
  const W = mask.width;
  const H = mask.height;
  const out: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
  const s = opts.scale;
  const g = opts.groundY;
  const fp = footprint(mask, g, Math.max(3, 10 * s));
  if (!fp) return out;
  const fw = fp.x1 - fp.x0 + 1;
  const cx = (fp.x0 + fp.x1) / 2;
  const rx = fw / 2 + 6 * s;
  const ry = Math.max(3, fw * 0.05 + 3 * s);
  const reach = 30 * s;
  const win = clipWindow(fp.x0 - reach - 10 * s, g - ry * 3 - reach, fp.x1 + reach + 10 * s, g + ry * 2 + reach, W, H);
  if (!win) return out;
  const tight = new Float32Array(win.w * win.h);
  const pool = new Float32Array(win.w * win.h);
  const band = Math.max(2, 12 * s);
  for (let wy = 0; wy < win.h; wy++) {
    const Y = win.y0 + wy;
    for (let wx = 0; wx < win.w; wx++) {
      const X = win.x0 + wx;
      const i = wy * win.w + wx;
      // (1) each ground pixel near the line takes the product's coverage up to `band` px above the
      // base, squashed ×0.25, so the dark line follows the real footprint (in front and behind).
      const dyG = Y - g;
      if (dyG >= -band * 0.25 && dyG <= band * 0.3) tight[i] = sampleGray(mask, X, g - Math.abs(dyG) * 4);
      // (2) elliptical pool, densest at the base centre, reaching a little in front of it.
      const ex = (X - cx) / rx;
      const ey = (Y - g - ry * 0.15) / ry;
      const d = ex * ex + ey * ey;
      pool[i] = d < 1 ? 255 * (1 - d) : 0;
    }
  }
  blurPlane(tight, win.w, win.h, 2 * s + 0.6);
  blurPlane(pool, win.w, win.h, ry * 0.6);
  for (let wy = 0; wy < win.h; wy++) {
    for (let wx = 0; wx < win.w; wx++) {
      const i = wy * win.w + wx;
      const a = Math.min(1, (tight[i] / 255) * opacity);
      const b = Math.min(1, (pool[i] / 255) * opacity * 0.8);
      out.data[(win.y0 + wy) * W + win.x0 + wx] = clamp255((1 - (1 - a) * (1 - b)) * 255);
    }
  }
  return out;
}

/** Union of opacity maps (screen): where two shadows overlap the result is darker, never > 1. */
export function combineShadows(...maps: GrayImage[]): GrayImage {
  const out: GrayImage = { width: maps[0].width, height: maps[0].height, data: Buffer.alloc(maps[0].data.length) };
  for (let i = 0; i < out.data.length; i++) {
    let keep = 1;
    for (const m of maps) keep *= 1 - m.data[i] / 255;
    out.data[i] = clamp255((1 - keep) * 255);
  }
  return out;
}

/**
 * Darkens `img` in place by the opacity map (multiply toward `color`, sRGB 0..1: the ambient light
 * left in full shadow, slightly cool because it comes from the sky/fill, not the key light).
 */
export function applyShadow(img: RgbaImage, shadow: GrayImage, color: [number, number, number] = [0.22, 0.23, 0.27]): RgbaImage {
  const d = img.data;
  for (let i = 0, j = 0; i < shadow.data.length; i++, j += 4) {
    const a = shadow.data[i];
    if (a === 0) continue;
    const t = a / 255;
    d[j] = clamp255(d[j] * (1 - t + t * color[0]));
    d[j + 1] = clamp255(d[j + 1] * (1 - t + t * color[1]));
    d[j + 2] = clamp255(d[j + 2] * (1 - t + t * color[2]));
  }
  return img;
}

/** Shadow colour for a scene: the complement of the key light's tint (warm light → cool shadow). */
export function shadowColorFor(lightColor: [number, number, number]): [number, number, number] {
  const m = Math.max(...lightColor);
  return [0.2 + 0.06 * (1 - lightColor[0] / m), 0.2 + 0.06 * (1 - lightColor[1] / m), 0.24 + 0.06 * (1 - lightColor[2] / m)];
}

