// Procedural 3D lettering: the laid-out headline becomes an extruded, bevelled, lit RGBA layer.
// Canvas rasterises the glyphs once (antialiased coverage); everything after is per-pixel maths in
// premultiplied float so the alpha stays clean: edge pixels carry the lettering's own colours,
// never a backdrop's.
import { createCanvas } from '@napi-rs/canvas';
import { blurPlane } from '../../imaging/filters';
import type { TextFit } from '../contracts';
import { drawLines } from '../typography/text-fit';
import type { RgbaImage } from '../../imaging/types';
import { bevelHeight, contourNormals, extrude, insideDistance, normalsOf } from './lettering-maps';
import { fbm, valueNoise } from '../../imaging/noise';
import { makeRng } from '../../imaging/random';
import type { Rgb } from '../../imaging/colour';
import { materialSpec } from './lettering-materials';
import type { MaterialId } from './materials';
import type { MaterialSpec, Stop } from './materials/material-def';

export { chooseMaterial, chooseTint } from './lettering-materials';
export { MATERIAL_IDS, type MaterialId } from './materials';

export interface LetteringOptions {
  /** Unit vector from the light into the scene (image space, y down); the extrusion and shadow fall this way. */
  lightDir: { x: number; y: number };
  /** Extrusion depth in px (default: the material's share of the font size). */
  depthPx?: number;
  seed: number;
  /** Colour for the materials whose colour is free (neon, plastic, glass, candy). */
  tint?: Rgb | null;
}

/** Extra room around the text block for extrusion, shadow and glow, in px. */
export interface LetteringExtent {
  pad: number;
  depth: number;
  dir: { x: number; y: number };
}

/**
 * Direction the letters extrude and cast their shadow. It follows the light, but never points up:
 * letters extruded upwards read as hanging from the ceiling, whatever the scene's light.
 */
export function extrusionDir(lightDir: { x: number; y: number }): { x: number; y: number } {
  let { x, y } = lightDir;
  const len = Math.hypot(x, y);
  if (!Number.isFinite(len) || len < 1e-3) return { x: 0.42, y: 0.91 };
  x /= len;
  y /= len;
  if (y < 0.4) {
    y = 0.4;
    x = Math.sign(x || 1) * Math.sqrt(1 - y * y);
  }
  return { x, y };
}

export function letteringExtent(fontSize: number, material: MaterialId, opts: Pick<LetteringOptions, 'lightDir' | 'depthPx'>): LetteringExtent {
  const spec = materialSpec(material);
  const depth = Math.max(0, Math.min(120, opts.depthPx ?? Math.round(spec.depth * fontSize)));
  const shadow = shadowGeometry(fontSize, depth);
  const glow = spec.glow ? glowSigmas(fontSize)[1] * 3 : 0;
  const pad = Math.ceil(Math.max(depth + shadow.distance + shadow.sigma * 3, glow)) + 4;
  return { pad, depth, dir: extrusionDir(opts.lightDir) };
}

const shadowGeometry = (size: number, depth: number) => ({ distance: depth * 0.5 + size * 0.05, sigma: 2 + size * 0.045 });
const glowSigmas = (size: number): [number, number] => [1 + size * 0.035, 2 + size * 0.13];

function gradientLut(stops: Stop[]): Float32Array {
  const lut = new Float32Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let j = 0;
    while (j < stops.length - 2 && stops[j + 1][0] < t) j++;
    const [t0, c0] = stops[j];
    const [t1, c1] = stops[Math.min(j + 1, stops.length - 1)];
    const u = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = c0[c] + (c1[c] - c0[c]) * u;
  }
  return lut;
}

/** Rasterises the lines as antialiased coverage, centred in a W x H canvas with `pad` around the block. */
function glyphCoverage(fit: TextFit, w: number, h: number, pad: number): Float32Array {
  const canvas = createCanvas(w, h);
  const c = canvas.getContext('2d');
  c.fillStyle = '#fff';
  drawLines(c, fit, pad, pad + fit.ascent);
  const rgba = c.getImageData(0, 0, w, h).data;
  const m = new Float32Array(w * h);
  for (let i = 0; i < m.length; i++) m[i] = rgba[i * 4 + 3] / 255;
  return m;
}

/** Texture on the face (wood grain, granite, marble veins, candy stripes), applied to the base colour. */
function textureFn(spec: MaterialSpec, size: number, seed: number): ((x: number, y: number, rgb: Float32Array) => void) | null {
  switch (spec.texture) {
    case 'wood': {
      // Plank grain: growth rings cut lengthwise, so fine lines run along x and wander in long waves.
      const warp = fbm(seed, size * 1.6, 3);
      const band = valueNoise(seed + 5, size * 0.35);
      const fibre = valueNoise(seed + 7, Math.max(1.2, size * 0.008));
      const period = Math.max(3, size * 0.065);
      const dark: Rgb = [104, 56, 22];
      return (x, y, rgb) => {
        const phase = (y + warp(x * 0.12, y * 0.45) * size * 2.4) / period;
        const f = phase - Math.floor(phase);
        // Late wood: a narrow dark line, sharp on one side like real rings, of varying strength.
        const ring = Math.pow(f, 5) * (0.3 + 0.5 * band(x * 0.3, y));
        const k = Math.min(1, ring + 0.14 * fibre(x * 0.1, y * 2.5) + 0.18 * band(x * 0.08, y * 0.6));
        for (let c = 0; c < 3; c++) rgb[c] += (dark[c] - rgb[c]) * k;
      };
    }
    case 'stone': {
      const broad = fbm(seed, size * 0.5, 4);
      const grain = valueNoise(seed + 3, 1.3);
      return (x, y, rgb) => {
        const g = grain(x, y);
        let k = 0.78 + 0.38 * broad(x, y);
        if (g > 0.86)
          k *= 0.55; // dark mineral specks
        else if (g < 0.1) k *= 1.18; // light quartz specks
        for (let c = 0; c < 3; c++) rgb[c] *= k;
      };
    }
    case 'marble': {
      const turb = fbm(seed, size * 0.6, 4);
      const vein: Rgb = [96, 100, 108];
      const freq = 1 / Math.max(4, size * 0.42);
      return (x, y, rgb) => {
        const v = Math.abs(Math.sin((x * 0.7 + y * 0.5) * freq + turb(x, y) * 7));
        const k = Math.pow(1 - v, 10) * 0.85 + Math.pow(1 - v, 3) * 0.12;
        for (let c = 0; c < 3; c++) rgb[c] += (vein[c] - rgb[c]) * k;
      };
    }
    case 'candy': {
      const period = Math.max(6, size * 0.3);
      const white: Rgb = [255, 250, 250];
      return (x, y, rgb) => {
        const s = ((((x + y) / period) % 1) + 1) % 1;
        // Soft-edged stripes (about 1.5 px ramps) so they stay antialiased.
        const edge = 1.5 / period;
        const k = Math.min(1, Math.max(0, Math.min(s - 0.02, 0.4 - s) / edge));
        for (let c = 0; c < 3; c++) rgb[c] += (white[c] - rgb[c]) * k * 0.9;
      };
    }
    default:
      return null;
  }
}

/** Renders the laid-out text as 3D lettering; the layer is not trimmed (the caller trims). */
export function renderLettering(fit: TextFit, material: MaterialId, opts: LetteringOptions): RgbaImage {
  const spec = materialSpec(material, opts.tint ?? null);
  const size = fit.fontSize;
  const { pad, depth, dir } = letteringExtent(size, material, opts);
  const w = Math.ceil(fit.blockWidth + 2 * pad);
  const h = Math.ceil(fit.blockHeight + 2 * pad);
  const n = w * h;
  const mask = glyphCoverage(fit, w, h, pad);

  // ---- face: bevel height, normals, lit colour
  const bevelW = Math.max(1.5, spec.bevel.width * size);
  const dist = insideDistance(mask, w, h);
  const height = bevelHeight(dist, bevelW, spec.bevel.profile);
  blurPlane(height, w, h, 0.9); // removes the chamfer metric's facets
  const normals = normalsOf(height, w, h, bevelW * spec.bevel.relief);

  const lz = 1.1;
  const ll = Math.hypot(dir.x, dir.y, lz);
  const L = [-dir.x / ll, -dir.y / ll, lz / ll];
  const hl = Math.hypot(L[0], L[1], L[2] + 1);
  const Hv = [L[0] / hl, L[1] / hl, (L[2] + 1) / hl];
  const flatSpec = Math.pow(Hv[2], spec.shininess);

  const lut = gradientLut(spec.face);
  const texture = textureFn(spec, size, opts.seed);
  const r = makeRng(opts.seed ^ 0x5eed);
  // Diagonal streaks: a few soft bands across the whole block, like a studio strip light.
  const streaks = Array.from({ length: spec.streaks > 0 ? 3 : 0 }, () => ({
    c: r() * (w + h * 0.6),
    width: size * (0.05 + r() * 0.12),
    k: spec.streaks * (0.5 + r() * 0.5),
  }));
  const capH = size * 0.8;
  const firstBase = pad + fit.ascent;
  const lines = fit.lines.length;

  const faceC = new Float32Array(n * 3); // premultiplied
  const faceA = new Float32Array(n);
  const rgb = new Float32Array(3);
  const oc = spec.outline.color;
  for (let y = 0; y < h; y++) {
    const li = Math.min(lines - 1, Math.max(0, Math.round((y - firstBase + capH / 2) / fit.lineHeight)));
    const capTop = firstBase + li * fit.lineHeight - capH;
    const tLine = (y - capTop) / (capH * 1.04);
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const m = mask[i];
      if (m <= 0) continue;
      const nx = normals[i * 3],
        ny = normals[i * 3 + 1],
        nz = normals[i * 3 + 2];
      const t = Math.min(1, Math.max(0, tLine + ny * spec.reflect * 0.6));
      const li3 = Math.round(t * 255) * 3;
      rgb[0] = lut[li3];
      rgb[1] = lut[li3 + 1];
      rgb[2] = lut[li3 + 2];
      if (texture) texture(x, y, rgb);
      else if (spec.texture === 'tube') {
        const hot = Math.pow(height[i], 1.6) * 0.9;
        for (let c = 0; c < 3; c++) rgb[c] += (255 - rgb[c]) * hot;
      }
      const diff = Math.max(0, nx * L[0] + ny * L[1] + nz * L[2]) / L[2];
      const shade = spec.ambient + (1 - spec.ambient) * diff;
      const ndh = Math.max(0, nx * Hv[0] + ny * Hv[1] + nz * Hv[2]);
      let sp = spec.specular * Math.max(0, Math.pow(ndh, spec.shininess) - flatSpec) * 1.6;
      for (const s of streaks) {
        const dd = (x + y * 0.6 - s.c) / s.width;
        sp += s.k * Math.exp(-dd * dd);
      }
      sp = Math.min(1, sp);
      let cr = rgb[0] * shade,
        cg = rgb[1] * shade,
        cb = rgb[2] * shade;
      cr += (spec.specColor[0] - cr) * sp;
      cg += (spec.specColor[1] - cg) * sp;
      cb += (spec.specColor[2] - cb) * sp;
      // Hairline at the contour: separates a light face from light walls or a light scene.
      const edge = Math.max(0, 1 - dist[i] / 1.6) * spec.outline.alpha;
      cr += (oc[0] - cr) * edge;
      cg += (oc[1] - cg) * edge;
      cb += (oc[2] - cb) * edge;
      // Translucent faces (glass) stay more opaque on the bevel, where real glass reflects most.
      const a = m * (spec.faceAlpha + (1 - spec.faceAlpha) * (1 - height[i]));
      faceA[i] = a;
      faceC[i * 3] = Math.min(255, Math.max(0, cr)) * a;
      faceC[i * 3 + 1] = Math.min(255, Math.max(0, cg)) * a;
      faceC[i * 3 + 2] = Math.min(255, Math.max(0, cb)) * a;
    }
  }

  // ---- side walls
  const smooth = mask.slice();
  blurPlane(smooth, w, h, 1.2);
  const wallN = contourNormals(smooth, w, h);
  const { front, back } = spec.side;
  const ext = extrude(mask, wallN, w, h, dir, depth, (k, nx, ny, out) => {
    const td = Math.pow(k / Math.max(1, depth), 0.8);
    // Walls turned across the light are lit; walls facing straight away from it fall dark.
    const facing = nx === 0 && ny === 0 ? -0.6 : nx * -dir.x + ny * -dir.y;
    const f = Math.min(1.15, 0.42 + 0.8 * (1 + facing));
    for (let c = 0; c < 3; c++) out[c] = Math.min(255, (front[c] + (back[c] - front[c]) * td) * f);
  });

  // ---- shadow and glow below the letters
  const outC = new Float32Array(n * 3);
  const outA = new Float32Array(n);
  if (spec.shadow.opacity > 0) {
    const sh = shadowGeometry(size, depth);
    const ox = Math.round(dir.x * sh.distance);
    const oy = Math.round(dir.y * sh.distance);
    const s = new Float32Array(n);
    for (let y = 0; y < h; y++) {
      const sy = y - oy;
      if (sy < 0 || sy >= h) continue;
      for (let x = 0; x < w; x++) {
        const sx = x - ox;
        if (sx < 0 || sx >= w) continue;
        const j = sy * w + sx;
        s[y * w + x] = Math.max(mask[j], ext.alpha[j]);
      }
    }
    blurPlane(s, w, h, sh.sigma);
    const sc = spec.shadow.color;
    for (let i = 0; i < n; i++) {
      const a = Math.min(1, s[i]) * spec.shadow.opacity;
      outA[i] = a;
      outC[i * 3] = sc[0] * a;
      outC[i * 3 + 1] = sc[1] * a;
      outC[i * 3 + 2] = sc[2] * a;
    }
  }
  if (spec.glow) {
    const [s1, s2] = glowSigmas(size);
    const g1 = mask.slice();
    const g2 = mask.slice();
    blurPlane(g1, w, h, s1);
    blurPlane(g2, w, h, s2);
    const gc = spec.glow.color;
    for (let i = 0; i < n; i++) {
      const a = Math.min(1, (g1[i] * 0.85 + g2[i] * 0.75) * spec.glow.strength);
      if (a <= 0) continue;
      // Inner glow is hotter (whiter) than the outer haze, like a real tube.
      const hot = Math.min(1, g1[i]) * 0.35;
      const A = outA[i];
      for (let c = 0; c < 3; c++) outC[i * 3 + c] = (gc[c] + (255 - gc[c]) * hot) * a + outC[i * 3 + c] * (1 - a);
      outA[i] = a + A * (1 - a);
    }
  }

  // ---- walls, then face, over the shadow (premultiplied "over")
  const sa = spec.sideAlpha;
  const see = spec.faceAlpha < 1;
  const out = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    let A = outA[i];
    let R = outC[i * 3],
      G = outC[i * 3 + 1],
      B = outC[i * 3 + 2];
    // Behind a see-through face the walls would read as murk, so glass shows the scene there instead.
    const wk = see ? sa * (1 - mask[i]) : sa;
    const ea = ext.alpha[i] * wk;
    if (ea > 0) {
      R = ext.color[i * 3] * wk + R * (1 - ea);
      G = ext.color[i * 3 + 1] * wk + G * (1 - ea);
      B = ext.color[i * 3 + 2] * wk + B * (1 - ea);
      A = ea + A * (1 - ea);
    }
    const fa = faceA[i];
    if (fa > 0) {
      R = faceC[i * 3] + R * (1 - fa);
      G = faceC[i * 3 + 1] + G * (1 - fa);
      B = faceC[i * 3 + 2] + B * (1 - fa);
      A = fa + A * (1 - fa);
    }
    const a8 = Math.round(Math.min(1, A) * 255);
    if (a8 === 0) continue;
    const inv = 1 / A;
    out[i * 4] = Math.min(255, Math.round(R * inv));
    out[i * 4 + 1] = Math.min(255, Math.round(G * inv));
    out[i * 4 + 2] = Math.min(255, Math.round(B * inv));
    out[i * 4 + 3] = a8;
  }
  return { width: w, height: h, data: out };
}
