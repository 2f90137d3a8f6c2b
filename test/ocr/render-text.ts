// Plain canvas-rendered text for tests: flat lettering with known content, used to prove the OCR
// harness and as a stand-in text layer where the real step 2 is not the subject of the test.
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import sharp from 'sharp';
import type { GrayImage, RgbaImage } from '../../src-main/imaging/types';

export const NANUM_DIR = '/usr/share/fonts/truetype/nanum';
let registered = false;

export function registerTestFont(): string {
  if (!registered) {
    GlobalFonts.registerFromPath(`${NANUM_DIR}/NanumSquareB.ttf`, 'TestSquare');
    registered = true;
  }
  return 'TestSquare';
}

export interface RenderOptions {
  fontSize?: number;
  color?: string;
  /** CSS colour of an opaque backdrop; omitted = transparent. */
  background?: string;
  /** Outline width in px (0 = none). */
  stroke?: number;
  strokeColor?: string;
  padding?: number;
}

/** Renders one line of text; the canvas is sized to the measured text plus padding. */
export function renderText(text: string, o: RenderOptions = {}): RgbaImage {
  const family = registerTestFont();
  const size = o.fontSize ?? 64;
  const pad = o.padding ?? Math.round(size * 0.25);
  const probe = createCanvas(10, 10).getContext('2d');
  probe.font = `${size}px ${family}`;
  const m = probe.measureText(text);
  const width = Math.ceil(m.width) + 2 * pad;
  const height = Math.ceil(size * 1.25) + 2 * pad;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (o.background) {
    ctx.fillStyle = o.background;
    ctx.fillRect(0, 0, width, height);
  }
  ctx.font = `${size}px ${family}`;
  ctx.textBaseline = 'middle';
  if (o.stroke) {
    ctx.lineWidth = o.stroke;
    ctx.strokeStyle = o.strokeColor ?? '#000';
    ctx.lineJoin = 'round';
    ctx.strokeText(text, pad, height / 2);
  }
  ctx.fillStyle = o.color ?? '#ffffff';
  ctx.fillText(text, pad, height / 2);
  const img = ctx.getImageData(0, 0, width, height);
  return { width, height, data: Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
}

export function solid(width: number, height: number, rgb: [number, number, number]): RgbaImage {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < data.length; p += 4) {
    data[p] = rgb[0];
    data[p + 1] = rgb[1];
    data[p + 2] = rgb[2];
    data[p + 3] = 255;
  }
  return { width, height, data };
}

/** Vertical two-colour gradient, opaque: a simple stand-in scene. */
export function gradient(width: number, height: number, top: [number, number, number], bottom: [number, number, number]): RgbaImage {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const t = y / Math.max(1, height - 1);
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[p + c] = Math.round(top[c] * (1 - t) + bottom[c] * t);
      data[p + 3] = 255;
    }
  }
  return { width, height, data };
}

/** An ellipse-plus-rectangle "bottle" mask (255 inside, soft 1-px edge) centred at cx. */
export function bottleMask(width: number, height: number, cx: number, top: number, bottom: number, halfWidth: number): GrayImage {
  const data = Buffer.alloc(width * height);
  for (let y = Math.max(0, top); y < Math.min(height, bottom); y++) {
    // Neck for the top fifth, body below.
    const hw = y < top + (bottom - top) * 0.2 ? halfWidth * 0.4 : halfWidth;
    for (let x = Math.max(0, Math.floor(cx - hw)); x < Math.min(width, Math.ceil(cx + hw)); x++) data[y * width + x] = 255;
  }
  return { width, height, data };
}

/** Paints `rgb` into `image` where the mask is set (alpha-weighted): the product in the scene. */
export function paintMask(image: RgbaImage, mask: GrayImage, rgb: [number, number, number]): RgbaImage {
  const data = Buffer.from(image.data);
  for (let i = 0; i < mask.data.length; i++) {
    const a = mask.data[i] / 255;
    if (a === 0) continue;
    for (let c = 0; c < 3; c++) data[i * 4 + c] = Math.round(rgb[c] * a + data[i * 4 + c] * (1 - a));
  }
  return { width: image.width, height: image.height, data };
}

export async function savePng(path: string, image: RgbaImage | GrayImage): Promise<void> {
  const channels = image.data.length === image.width * image.height ? 1 : 4;
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels } })
    .png()
    .toFile(path);
}
