// The laid-out headline at the diffusion model's working size: the canvas the lettering is generated
// on (the text block with room around it for bevel, extrusion and shadow, at most 2.5:1 so SDXL
// stays inside the aspect ratios it was trained on, scaled to about the model's native area and
// snapped to the latent grid), the glyph coverage drawn exactly as the procedural renderer
// draws it (lines aligned as laid out, same font, size, ascent and line height), and one cell per character
// that tiles the canvas, for the per-glyph legibility check.
import { createCanvas } from '@napi-rs/canvas';
import type { GrayImage, Rect } from '../../imaging/types';
import type { TextFit } from '../contracts';
import { drawLines, lineLeft } from '../typography/text-fit';

export interface GlyphCanvasOptions {
  /** The model's native square side (512 SDXL-Turbo, 1024 SDXL): the canvas gets about that area. */
  nativeSize: number;
  /** Room around the text block on every side, in ems of the layout's font size (default 0.3). */
  padEm?: number;
  /** Widest aspect ratio generated (default 2.5): a longer block gets more room above and below. */
  maxAspect?: number;
  /** Grid the size snaps to, px (default 8: the VAE's; the lettering uses 32 for the UNet's down blocks). */
  multiple?: number;
}

export interface GlyphCanvas {
  /** Working size, multiples of the grid. */
  width: number;
  height: number;
  /** Canvas pixels per layout pixel. */
  scale: number;
  /** Font size on the canvas (layout size × scale). */
  fontSize: number;
  /** Antialiased glyph coverage, 0..255. */
  glyphs: GrayImage;
  /** One cell per visible character; the cells tile the canvas (spaces and gaps are split between neighbours). */
  cells: Rect[];
  /** The characters of the cells, in order (diagnostics: "IoU 0.41 at 'a'"). */
  chars: string[];
}

const snap = (v: number, m: number) => Math.max(4 * m, Math.round(v / m) * m);

/** The headline on its generation canvas. */
export function glyphCanvas(fit: TextFit, opts: GlyphCanvasOptions): GlyphCanvas {
  const multiple = opts.multiple ?? 8;
  const pad = (opts.padEm ?? 0.3) * fit.fontSize;
  const maxAspect = opts.maxAspect ?? 2.5;
  let w0 = fit.blockWidth + 2 * pad;
  let h0 = fit.blockHeight + 2 * pad;
  if (w0 / h0 > maxAspect) h0 = w0 / maxAspect;
  else if (h0 / w0 > maxAspect) w0 = h0 / maxAspect;
  const target = opts.nativeSize * opts.nativeSize;
  const scale0 = Math.sqrt(target / (w0 * h0));
  const width = snap(w0 * scale0, multiple);
  const height = snap(h0 * scale0, multiple);
  // One scale for both axes (the glyphs keep their shape); the snapped canvas is a hair larger or smaller.
  const scale = Math.min(width / w0, height / h0);
  const size = fit.fontSize * scale;

  const canvas = createCanvas(width, height);
  const c = canvas.getContext('2d');
  c.fillStyle = '#fff';
  const blockLeft = (width - fit.blockWidth * scale) / 2;
  const top = (height - fit.blockHeight * scale) / 2;
  const baselines = fit.lines.map((_, i) => top + (fit.ascent + i * fit.lineHeight) * scale);
  drawLines(c, fit, blockLeft, baselines[0], scale);
  const rgba = c.getImageData(0, 0, width, height).data;
  const glyphs: GrayImage = { width, height, data: Buffer.alloc(width * height) };
  for (let i = 0; i < width * height; i++) glyphs.data[i] = rgba[i * 4 + 3];

  // Cells: character extents from prefix widths (kerning and letter spacing included), aligned like drawLines.
  c.font = `${size}px "${fit.family}"`;
  c.letterSpacing = `${fit.letterSpacing * scale}px`;
  c.textAlign = 'left';
  const cells: Rect[] = [];
  const chars: string[] = [];
  const rowEdges = baselines.map((b, i) => {
    const upper = i === 0 ? 0 : (baselines[i - 1] + fit.descent * scale + b - fit.ascent * scale) / 2;
    const lower = i === baselines.length - 1 ? height : (b + fit.descent * scale + baselines[i + 1] - fit.ascent * scale) / 2;
    return [Math.max(0, Math.round(upper)), Math.min(height, Math.round(lower))] as const;
  });
  fit.lines.forEach((line, li) => {
    const left = blockLeft + lineLeft(fit, li) * scale;
    const pts = Array.from(line);
    const spans: { a: number; b: number; ch: string }[] = [];
    let prefix = '';
    for (const ch of pts) {
      const a = left + c.measureText(prefix).width;
      prefix += ch;
      // measureText counts the spacing after the last character too; the glyph ends before it.
      const b = left + c.measureText(prefix).width - fit.letterSpacing * scale;
      if (ch.trim() !== '') spans.push({ a, b, ch });
    }
    const [y0, y1] = rowEdges[li];
    spans.forEach((s, j) => {
      const x0 = j === 0 ? 0 : Math.round((spans[j - 1].b + s.a) / 2);
      const x1 = j === spans.length - 1 ? width : Math.round((s.b + spans[j + 1].a) / 2);
      if (x1 > x0 && y1 > y0) {
        cells.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
        chars.push(s.ch);
      }
    });
  });
  return { width, height, scale, fontSize: size, glyphs, cells, chars };
}

/** The control image as the ControlNet takes it: [3, H, W] in [0, 1] (a 0/255 or 0..255 plane stacked 1 → 3). */
export function controlPlanes(plane: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const v = plane[i] / 255;
    out[i] = v;
    out[n + i] = v;
    out[2 * n + i] = v;
  }
  return out;
}
