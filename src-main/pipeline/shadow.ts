// Shadows of the placed product on the floor, from its mask alone:
//   - contact shadow: a dark line right under the base plus a soft ambient-occlusion falloff,
//     which is what makes a product sit on a surface instead of floating;
//   - cast shadow: the mask projected away from the key light onto the floor (sheared sideways,
//     squashed by perspective; toward the camera for a back light), sharp near the base and softer
//     and fainter with distance, as strong and as soft as the scene's light (ShadowStyle).
// Both are opacity maps (GrayImage, 0..255) over the full canvas, applied as a multiply.
import { blurPlane } from '../imaging/filters';
import { boundsOf, clamp255 } from '../imaging/raster';
import type { ShadowStyle } from '../engines/contracts';
import type { GrayImage, RgbaImage } from '../imaging/types';

export const DEFAULT_SHADOW_STYLE: ShadowStyle = { opacity: 0.6, softness: 1, backLit: false };

export interface ShadowOptions {
  /** Ground line (the product's base row), px. */
  groundY: number;
  /** Unit vector from the light into the scene (x right, y down). */
  lightDir: { x: number; y: number };
  /** Frame height / 1024: blur radii and offsets are tuned at 1024 px. */
  scale: number;
  /** Defaults to DEFAULT_SHADOW_STYLE. */
  style?: ShadowStyle;
}

/**
 * Screen-space projection of the shadow per pixel of object height above the ground: dx sideways,
 * dyUp up the frame (negative: down the frame, toward the camera, for a back light).
 */
export function shadowProjection(lightDir: { x: number; y: number }, backLit = false): { dx: number; dyUp: number } {
  const ly = Math.min(0.97, Math.max(0.2, Math.abs(lightDir.y)));
  // Shadow length on the floor per unit of height = cot(elevation), capped for grazing light.
  const len = Math.min(2.2, Math.sqrt(1 - ly * ly) / ly);
  const side = Math.sign(lightDir.x) || 1;
  if (backLit) {
    // A low sun behind the set, 20° off the axis toward its side: the shadow runs toward the
    // camera, foreshortened less than a shadow running away (the floor opens up toward the lens).
    return { dx: side * len * Math.sin(Math.PI / 9), dyUp: -Math.max(0.08, len * Math.cos(Math.PI / 9) * 0.3) };
  }
  // The key light sits in front of the set, 30° toward the camera from the side it lights:
  // the shadow falls away from it and backward (up the frame), foreshortened by the floor's tilt.
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

/**
 * How far above the ground line (px) a column's lowest product row may be and still count as
 * standing on the floor: round bases and saucers meet it along a curve, not on one row.
 */
export const groundBand = (scale: number) => Math.max(4, 56 * scale);

/**
 * Cast shadow opacity map. For every floor pixel the shadow can reach, the object point that would
 * shade it is found by inverting the projection (so the shadow has no holes), then the map is
 * blurred with a radius that grows with the distance from the base and faded the same way.
 */
export function castShadowMap(mask: GrayImage, opts: ShadowOptions, opacity = (opts.style ?? DEFAULT_SHADOW_STYLE).opacity): GrayImage {
  const W = mask.width;
  const H = mask.height;
  const out: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
  const box = boundsOf(mask, 8);
  if (!box) return out;
  const style = opts.style ?? DEFAULT_SHADOW_STYLE;
  const g = opts.groundY;
  const { dx, dyUp } = shadowProjection(opts.lightDir, style.backLit);
  const tall = Math.max(1, g - box.y);
  const sigmaNear = (1.5 + 2 * style.softness) * opts.scale;
  const sigmaFar = 18 * style.softness * opts.scale;
  const reach = sigmaFar * 3;
  const thin = Math.min(0.75, Math.max(0.4, 0.3 + 0.25 * style.softness));
  const tipY = g - tall * dyUp;
  const win = clipWindow(
    Math.min(box.x, box.x + dx * tall) - reach,
    Math.min(g - groundBand(opts.scale), tipY) - reach,
    Math.max(box.x + box.width, box.x + box.width + dx * tall) + reach,
    Math.max(g + reach * 0.5, tipY + reach),
    W,
    H,
  );
  if (!win) return out;
  // The floor is foreshortened, so a penumbra is shorter up the frame than across it: the map is
  // built with K sub-rows per row, blurred isotropically there, then averaged back (a blur K times
  // narrower vertically). Without this, thin far shadows dissolve into a faint smear.
  const K = 2;
  const sh = win.h * K;
  const raw = new Float32Array(win.w * sh);
  // Forward projection of every product pixel from its column's own base: a saucer or a round
  // base meets the floor along a curve above the ground line, and its shadow starts on that curve
  // (no bright gap). Columns whose bottom is far above the ground (handles, overhangs) project
  // from the ground line. Each pixel lands on the two nearest sub-rows so the map has no holes.
  const band = groundBand(opts.scale);
  for (let X = box.x; X < box.x + box.width; X++) {
    let b = -1;
    for (let y = Math.min(H - 1, g); y >= box.y; y--) {
      if (mask.data[y * W + X] >= 128) {
        b = y;
        break;
      }
    }
    if (b < 0) continue;
    const base = g - b <= band ? b : g;
    for (let y = box.y; y <= Math.min(base, H - 1); y++) {
      const a = mask.data[y * W + X];
      if (a === 0) continue;
      const hh = base - y;
      const tx = Math.round(X + dx * hh) - win.x0;
      if (tx < 0 || tx >= win.w) continue;
      const r = (base - dyUp * hh - win.y0 + 0.5) * K - 0.5;
      const r0 = Math.floor(r);
      for (const rr of [r0, r0 + 1]) {
        if (rr < 0 || rr >= sh) continue;
        const i = rr * win.w + tx;
        if (a > raw[i]) raw[i] = a;
      }
    }
  }
  const near = Float32Array.from(raw);
  blurPlane(near, win.w, sh, sigmaNear);
  const far = raw;
  blurPlane(far, win.w, sh, sigmaFar);
  for (let r = 0; r < sh; r++) {
    const Y = win.y0 + (r + 0.5) / K - 0.5;
    const t = Math.min(1, Math.max(0, (g - Y) / dyUp / tall));
    // Penumbra widens and the shadow thins with distance from the base (the light is not a point);
    // a broad soft light thins it much more than a hard sun does.
    // The tip (cast by the product's top) dissolves: a long, thin, dark streak far from the base
    // reads as an artefact, not a shadow.
    const tip = t <= 0.5 ? 0 : ((t - 0.5) / 0.5) ** 2 * (3 - 2 * ((t - 0.5) / 0.5));
    const fade = (opacity * (1 - thin * Math.pow(t, 1.2)) * (1 - 0.7 * tip)) / K;
    const mixT = Math.min(1, t * 2.2);
    for (let wx = 0; wx < win.w; wx++) {
      const i = r * win.w + wx;
      near[i] = (near[i] + (far[i] - near[i]) * mixT) * fade;
    }
  }
  for (let wy = 0; wy < win.h; wy++) {
    const o = (win.y0 + wy) * W + win.x0;
    for (let wx = 0; wx < win.w; wx++) {
      let v = 0;
      for (let k = 0; k < K; k++) v += near[(wy * K + k) * win.w + wx];
      out.data[o + wx] = clamp255(v);
    }
  }
  return out;
}

/**
 * Contact shadow opacity map, the ambient occlusion where the product meets the floor. Per column,
 * the silhouette's lowest row is the base there; the closer that row is to the ground line, the more
 * the column touches the floor. Under each touching column the floor gets (1) a dark line of a few
 * px, darkest right at the base, and (2) a softer occlusion falloff over about 2 % of the frame
 * height that also spreads a little sideways past the footprint.
 */
export function contactShadowMap(mask: GrayImage, opts: ShadowOptions, opacity = 0.9): GrayImage {
  const W = mask.width;
  const H = mask.height;
  const out: GrayImage = { width: W, height: H, data: Buffer.alloc(W * H) };
  const box = boundsOf(mask, 128);
  if (!box) return out;
  const s = opts.scale;
  const g = Math.round(opts.groundY);
  // Silhouette bottoms up to `band` above the ground line count as (partly) touching it.
  const band = groundBand(s);
  const core = 1 + 3.5 * s;
  const wide = Math.max(3, 18 * s);
  const win = clipWindow(box.x - wide * 3, g - band - wide * 2, box.x + box.width + wide * 3, g + wide * 5, W, H);
  if (!win) return out;
  const coreP = new Float32Array(win.w * win.h);
  const wideP = new Float32Array(win.w * win.h);
  const yLow = Math.min(H - 1, g + Math.ceil(2 + 3 * s));
  for (let X = Math.max(win.x0, box.x); X < Math.min(win.x0 + win.w, box.x + box.width); X++) {
    let b = -1;
    for (let y = yLow; y >= g - band; y--) {
      if (mask.data[y * W + X] >= 128) {
        b = y;
        break;
      }
    }
    if (b < 0) continue;
    const t = Math.min(1, Math.max(0, (g - b) / band));
    const touch = 1 - smoothstep01((t - 0.3) / 0.7);
    const wx = X - win.x0;
    for (let wy = 0; wy < win.h; wy++) {
      const d = win.y0 + wy - b;
      const i = wy * win.w + wx;
      // Under the silhouette (d < 0) the product hides the floor; filling it lets the blur spread
      // the occlusion sideways past the footprint instead of stopping at its edge.
      if (d < 0) {
        if (d > -wide) wideP[i] = touch;
        if (d >= -2) coreP[i] = touch;
        continue;
      }
      coreP[i] = touch * Math.exp(-d / core);
      wideP[i] = touch * Math.exp(-d / wide);
    }
  }
  blurPlane(coreP, win.w, win.h, 0.6 + 0.8 * s);
  blurPlane(wideP, win.w, win.h, wide * 0.5);
  for (let wy = 0; wy < win.h; wy++) {
    for (let wx = 0; wx < win.w; wx++) {
      const i = wy * win.w + wx;
      const a = Math.min(1, coreP[i] * opacity);
      const bb = Math.min(1, wideP[i] * opacity * 0.7);
      out.data[(win.y0 + wy) * W + win.x0 + wx] = clamp255((1 - (1 - a) * (1 - bb)) * 255);
    }
  }
  return out;
}

function smoothstep01(t: number): number {
  const c = t < 0 ? 0 : t > 1 ? 1 : t;
  return c * c * (3 - 2 * c);
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
