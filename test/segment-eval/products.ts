// Product-like RGBA objects drawn with @napi-rs/canvas for the segmentation evaluation: bottles,
// boxes, cans and jars with gradients, specular highlights, labels and text, anti-aliased so the
// ground-truth alpha has real soft edges. Deterministic for a given kind, palette and size.
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { existsSync } from 'node:fs';
import type { RgbaImage } from '../../src-main/imaging/types';

export const PRODUCT_KINDS = ['bottle', 'box', 'can', 'jar'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

const FONT = '/usr/share/fonts/truetype/nanum/NanumSquareB.ttf';
let fontFamily = 'sans-serif';
if (existsSync(FONT) && GlobalFonts.registerFromPath(FONT, 'EvalSquare')) fontFamily = 'EvalSquare';

export interface Palette {
  body: string;
  dark: string;
  light: string;
  label: string;
  ink: string;
}

export const PALETTES: Palette[] = [
  { body: '#2f8f4e', dark: '#10401f', light: '#b8f0c8', label: '#f4efe2', ink: '#1b2a4a' },
  { body: '#c0392b', dark: '#5a1008', light: '#ffb3a8', label: '#ffffff', ink: '#222222' },
  { body: '#2c5aa0', dark: '#0d2346', light: '#a9c8ff', label: '#ffd23f', ink: '#0d2346' },
  { body: '#e0a526', dark: '#6b4706', light: '#fff0b0', label: '#2b2b2b', ink: '#f5f5f5' },
];

function label(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, p: Palette, text: string) {
  ctx.fillStyle = p.label;
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = p.ink;
  ctx.font = `${Math.round(h * 0.38)}px ${fontFamily}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, x + w / 2, y + h * 0.42, w * 0.9);
  ctx.font = `${Math.round(h * 0.14)}px ${fontFamily}`;
  ctx.fillText('NET 500 ml · 제품', x + w / 2, y + h * 0.8, w * 0.9);
}

function cylinderGradient(ctx: SKRSContext2D, x: number, w: number, p: Palette) {
  const g = ctx.createLinearGradient(x, 0, x + w, 0);
  g.addColorStop(0, p.dark);
  g.addColorStop(0.3, p.body);
  g.addColorStop(0.45, p.light);
  g.addColorStop(0.6, p.body);
  g.addColorStop(1, p.dark);
  return g;
}

function drawBottle(ctx: SKRSContext2D, W: number, H: number, p: Palette) {
  const bw = W * 0.6;
  const x = (W - bw) / 2;
  const neckW = bw * 0.34;
  ctx.fillStyle = cylinderGradient(ctx, x, bw, p);
  ctx.beginPath();
  ctx.moveTo(W / 2 - neckW / 2, H * 0.1);
  ctx.lineTo(W / 2 + neckW / 2, H * 0.1);
  ctx.lineTo(W / 2 + neckW / 2, H * 0.22);
  ctx.bezierCurveTo(x + bw, H * 0.28, x + bw, H * 0.3, x + bw, H * 0.38);
  ctx.lineTo(x + bw, H * 0.93);
  ctx.quadraticCurveTo(x + bw, H * 0.99, x + bw - 12, H * 0.99);
  ctx.lineTo(x + 12, H * 0.99);
  ctx.quadraticCurveTo(x, H * 0.99, x, H * 0.93);
  ctx.lineTo(x, H * 0.38);
  ctx.bezierCurveTo(x, H * 0.3, x, H * 0.28, W / 2 - neckW / 2, H * 0.22);
  ctx.closePath();
  ctx.fill();
  // Cap with ribs.
  ctx.fillStyle = p.dark;
  ctx.beginPath();
  ctx.roundRect(W / 2 - neckW * 0.6, H * 0.02, neckW * 1.2, H * 0.1, 4);
  ctx.fill();
  ctx.strokeStyle = p.light;
  ctx.lineWidth = 1;
  for (let i = 1; i < 8; i++) {
    const lx = W / 2 - neckW * 0.6 + (neckW * 1.2 * i) / 8;
    ctx.beginPath();
    ctx.moveTo(lx, H * 0.03);
    ctx.lineTo(lx, H * 0.11);
    ctx.stroke();
  }
  label(ctx, x, H * 0.5, bw, H * 0.28, p, 'AQUA');
}

function drawBox(ctx: SKRSContext2D, W: number, H: number, p: Palette) {
  const fw = W * 0.62;
  const fh = H * 0.72;
  const fx = W * 0.06;
  const fy = H * 0.24;
  const dx = W * 0.3;
  const dy = H * 0.2;
  // Top face.
  ctx.fillStyle = p.light;
  ctx.beginPath();
  ctx.moveTo(fx, fy);
  ctx.lineTo(fx + dx, fy - dy);
  ctx.lineTo(fx + fw + dx, fy - dy);
  ctx.lineTo(fx + fw, fy);
  ctx.closePath();
  ctx.fill();
  // Side face.
  const sg = ctx.createLinearGradient(fx + fw, 0, fx + fw + dx, 0);
  sg.addColorStop(0, p.dark);
  sg.addColorStop(1, p.body);
  ctx.fillStyle = sg;
  ctx.beginPath();
  ctx.moveTo(fx + fw, fy);
  ctx.lineTo(fx + fw + dx, fy - dy);
  ctx.lineTo(fx + fw + dx, fy - dy + fh);
  ctx.lineTo(fx + fw, fy + fh);
  ctx.closePath();
  ctx.fill();
  // Front face.
  const fg = ctx.createLinearGradient(0, fy, 0, fy + fh);
  fg.addColorStop(0, p.body);
  fg.addColorStop(1, p.dark);
  ctx.fillStyle = fg;
  ctx.fillRect(fx, fy, fw, fh);
  label(ctx, fx + fw * 0.08, fy + fh * 0.3, fw * 0.84, fh * 0.36, p, 'CRISP');
}

function drawCan(ctx: SKRSContext2D, W: number, H: number, p: Palette) {
  const cw = W * 0.7;
  const x = (W - cw) / 2;
  const ry = H * 0.05;
  ctx.fillStyle = cylinderGradient(ctx, x, cw, p);
  ctx.beginPath();
  ctx.moveTo(x, H * 0.08);
  ctx.lineTo(x, H * 0.92);
  ctx.ellipse(W / 2, H * 0.92, cw / 2, ry, 0, Math.PI, 0, true);
  ctx.lineTo(x + cw, H * 0.08);
  ctx.closePath();
  ctx.fill();
  // Metal lid.
  const lg = ctx.createLinearGradient(x, 0, x + cw, 0);
  lg.addColorStop(0, '#8a8f96');
  lg.addColorStop(0.5, '#eef1f4');
  lg.addColorStop(1, '#7a7f86');
  ctx.fillStyle = lg;
  ctx.beginPath();
  ctx.ellipse(W / 2, H * 0.08, cw / 2, ry, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#9aa0a8';
  ctx.beginPath();
  ctx.ellipse(W / 2, H * 0.08, cw * 0.42, ry * 0.7, 0, 0, Math.PI * 2);
  ctx.fill();
  label(ctx, x, H * 0.38, cw, H * 0.3, p, 'COLA');
}

function drawJar(ctx: SKRSContext2D, W: number, H: number, p: Palette) {
  const jw = W * 0.86;
  const x = (W - jw) / 2;
  ctx.fillStyle = cylinderGradient(ctx, x, jw, p);
  ctx.beginPath();
  ctx.roundRect(x, H * 0.2, jw, H * 0.78, jw * 0.18);
  ctx.fill();
  // Lid.
  ctx.fillStyle = p.dark;
  ctx.beginPath();
  ctx.roundRect(x + jw * 0.08, H * 0.04, jw * 0.84, H * 0.17, 6);
  ctx.fill();
  ctx.fillStyle = p.light;
  ctx.fillRect(x + jw * 0.08, H * 0.11, jw * 0.84, H * 0.02);
  label(ctx, x + jw * 0.05, H * 0.45, jw * 0.9, H * 0.3, p, 'HONEY');
}

/** Renders one product (transparent background) at width×height. */
export function renderProduct(kind: ProductKind, palette: Palette, width: number, height: number): RgbaImage {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ({ bottle: drawBottle, box: drawBox, can: drawCan, jar: drawJar })[kind](ctx, width, height, palette);
  const img = ctx.getImageData(0, 0, width, height);
  return { width, height, data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
}

/** Product sizes that read like packshots (width, height). */
export const PRODUCT_SIZES: Record<ProductKind, [number, number]> = {
  bottle: [150, 330],
  box: [300, 280],
  can: [170, 300],
  jar: [240, 270],
};
