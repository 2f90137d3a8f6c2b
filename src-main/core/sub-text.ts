// The second text layer: a sub-headline or call to action ("Shop now"), set flat in the headline's
// font, optionally on a rounded button. Its schema, its size and where it goes are pure functions
// here, and it is drawn through the Canvas 2D calls that both @napi-rs/canvas (step 3 on the server)
// and the browser (the studio's stage) implement, so the canvas shows what the final ad gets.
import { z } from 'zod';

export const SUB_TEXT_POSITIONS = ['below_headline', 'top', 'bottom'] as const;
export type SubTextPosition = (typeof SUB_TEXT_POSITIONS)[number];
export const MAX_SUB_TEXT_CHARS = 120;

const hex = (d: string) =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb')
    .describe(d);

export const SubTextSchema = z
  .object({
    text: z
      .string()
      .max(MAX_SUB_TEXT_CHARS)
      .refine((s) => s.trim().length > 0, 'must contain visible text')
      .refine((s) => !/[\r\n]/.test(s), 'one line only')
      .describe(`Sub-headline or call to action, one line, up to ${MAX_SUB_TEXT_CHARS} characters (set in the headline's font)`),
    color: hex('Text colour #rrggbb').default('#ffffff'),
    background: hex('Button colour #rrggbb behind the text (a call-to-action pill), or null for plain text').nullable().default(null),
    size: z.number().min(0.015).max(0.15).default(0.04).describe("Font size as a share of the image's height (0.015–0.15)"),
    position: z
      .enum(SUB_TEXT_POSITIONS)
      .default('below_headline')
      .describe('below_headline (above it when there is no room) | top | bottom; ignored when center is given'),
    center: z
      .object({ x: z.number().finite(), y: z.number().finite() })
      .strict()
      .nullable()
      .default(null)
      .describe('Explicit centre in output pixels of this long_edge (scale it with long_edge); held inside the picture'),
  })
  .strict();
export type SubText = z.output<typeof SubTextSchema>;

/** The Canvas 2D calls the sub-text needs: the common part of the browser's and @napi-rs/canvas's contexts. */
export interface SubTextContext {
  font: string;
  fillStyle: unknown;
  textAlign: unknown;
  textBaseline: unknown;
  measureText(text: string): { width: number; actualBoundingBoxAscent: number; actualBoundingBoxDescent: number };
  fillText(text: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  arcTo(x1: number, y1: number, x2: number, y2: number, r: number): void;
  closePath(): void;
  fill(): void;
}

export interface SubTextMetrics {
  /** Layer size in px (text plus the button's padding, if any). */
  width: number;
  height: number;
  fontPx: number;
  /** Where fillText draws (left-aligned, alphabetic baseline). */
  textX: number;
  baseline: number;
}

const PAD_X = 0.7;
const PAD_Y = 0.38;
/** Probe for the vertical extent, so every CTA of one size gets the same height. */
const PROBE = 'ÁHgjy한';

export const subTextFont = (fontPx: number, family: string) => `${fontPx.toFixed(2)}px "${family}"`;

/** Size of the sub-text layer for an image `imageHeight` tall, measured with `ctx` (font set here). */
export function measureSubText(ctx: SubTextContext, spec: SubText, family: string, imageHeight: number): SubTextMetrics {
  const fontPx = Math.max(6, spec.size * imageHeight);
  ctx.font = subTextFont(fontPx, family);
  const probe = ctx.measureText(PROBE);
  const ascent = Math.max(probe.actualBoundingBoxAscent, fontPx * 0.7);
  const descent = Math.max(probe.actualBoundingBoxDescent, fontPx * 0.15);
  const textW = ctx.measureText(spec.text.trim()).width;
  const padX = spec.background ? PAD_X * fontPx : 0.1 * fontPx;
  const padY = spec.background ? PAD_Y * fontPx : 0.1 * fontPx;
  const width = Math.ceil(textW + 2 * padX);
  const height = Math.ceil(ascent + descent + 2 * padY);
  return { width, height, fontPx, textX: (width - textW) / 2, baseline: (height - ascent - descent) / 2 + ascent };
}

/** Draws the layer (button, then text) on a transparent canvas of metrics.width × metrics.height. */
export function drawSubText(ctx: SubTextContext, spec: SubText, family: string, m: SubTextMetrics): void {
  if (spec.background) {
    const r = m.height / 2;
    const { width: w, height: h } = m;
    ctx.fillStyle = spec.background;
    ctx.beginPath();
    ctx.moveTo(r, 0);
    ctx.arcTo(w, 0, w, h, Math.min(r, w / 2));
    ctx.arcTo(w, h, 0, h, Math.min(r, w / 2));
    ctx.arcTo(0, h, 0, 0, Math.min(r, w / 2));
    ctx.arcTo(0, 0, w, 0, Math.min(r, w / 2));
    ctx.closePath();
    ctx.fill();
  }
  ctx.font = subTextFont(m.fontPx, family);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillStyle = spec.color;
  ctx.fillText(spec.text.trim(), m.textX, m.baseline);
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Clockwise degrees about the box centre (the headline's rotation). */
  rotation?: number;
}

/** The upright bounding box of a box turned about its centre. */
function uprightBounds(b: Box): Box {
  const a = ((b.rotation ?? 0) * Math.PI) / 180;
  const w = Math.abs(b.width * Math.cos(a)) + Math.abs(b.height * Math.sin(a));
  const h = Math.abs(b.width * Math.sin(a)) + Math.abs(b.height * Math.cos(a));
  return { x: b.x + b.width / 2 - w / 2, y: b.y + b.height / 2 - h / 2, width: w, height: h };
}

/**
 * Top-left corner of the sub-text layer: an explicit centre, or below the headline (above it when
 * the bottom margin has no room), or the top or bottom band; always held inside the picture.
 */
export function placeSubText(
  canvas: { width: number; height: number },
  layer: { width: number; height: number },
  spec: Pick<SubText, 'position' | 'center'>,
  turned: Box | null,
): { x: number; y: number } {
  const { width: W, height: H } = canvas;
  // A turned headline takes more room: the second line keeps clear of all of it.
  const headline = turned ? uprightBounds(turned) : null;
  const margin = Math.round(0.04 * Math.min(W, H));
  const gap = Math.round(0.35 * layer.height);
  let cx = W / 2;
  let cy: number;
  if (spec.center) {
    cx = spec.center.x;
    cy = spec.center.y;
  } else if (spec.position === 'top') cy = margin + layer.height / 2;
  else if (spec.position === 'bottom' || !headline) cy = H - margin - layer.height / 2;
  else {
    cx = headline.x + headline.width / 2;
    cy = headline.y + headline.height + gap + layer.height / 2;
    if (cy + layer.height / 2 > H - margin) cy = headline.y - gap - layer.height / 2;
    if (cy - layer.height / 2 < margin) cy = H - margin - layer.height / 2;
  }
  const x = Math.round(Math.min(Math.max(cx - layer.width / 2, 0), Math.max(0, W - layer.width)));
  const y = Math.round(Math.min(Math.max(cy - layer.height / 2, 0), Math.max(0, H - layer.height)));
  return { x, y };
}
