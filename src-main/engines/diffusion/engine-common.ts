// Pieces every diffusion engine shares: the working size (multiples of the VAE/patch grid), the
// img2img init and inpaint mask at latent resolution, the final composite that keeps every
// unmasked pixel of the init image exactly, and the prompt after the Korean glossary.
import { resizeRgba } from '../../imaging/resize';
import type { GrayImage, RgbaImage } from '../../imaging/types';
import type { DiffusionRequest } from '../contracts';
import { translatePrompt, type TranslatedPrompt } from './glossary';

/** The size the model runs at: the request rounded to the grid (8 px SD/SDXL, 16 px FLUX), at least 4 cells. */
export function workingSize(width: number, height: number, multiple: number): { width: number; height: number } {
  if (!(width > 0 && height > 0)) throw new Error(`image size must be positive, got ${width}×${height}`);
  const snap = (v: number) => Math.max(multiple * 4, Math.round(v / multiple) * multiple);
  return { width: snap(width), height: snap(height) };
}

/** A gray mask resized to w×h by box averaging (0..1), the inpaint mask at latent resolution. */
export function maskToGrid(mask: GrayImage, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  const sx = mask.width / w;
  const sy = mask.height / h;
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx));
      let sum = 0;
      let n = 0;
      for (let yy = y0; yy < Math.min(y1, mask.height); yy++)
        for (let xx = x0; xx < Math.min(x1, mask.width); xx++) {
          sum += mask.data[yy * mask.width + xx];
          n++;
        }
      out[y * w + x] = n ? sum / n / 255 : 0;
    }
  }
  return out;
}

/** A per-pixel mask repeated over `channels` planes: [C,h,w]. */
export function maskPlanes(m: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(m.length * channels);
  for (let c = 0; c < channels; c++) out.set(m, c * m.length);
  return out;
}

/** x ← m·x + (1 − m)·kept: the model's sample inside the mask, the (re-noised) original outside. */
export function blendLatents(x: Float32Array, kept: Float32Array, m: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = m[i] * x[i] + (1 - m[i]) * kept[i];
  return out;
}

/**
 * Final pixels: the generated image resized to the request, and with a mask, composited over the
 * init so that wherever the mask is 0 the result is the init image byte for byte.
 */
export async function finishImage(generated: RgbaImage, req: DiffusionRequest): Promise<RgbaImage> {
  const full = generated.width === req.width && generated.height === req.height ? generated : await resizeRgba(generated, req.width, req.height);
  if (!req.init || !req.mask) return full;
  const init = req.init.width === req.width && req.init.height === req.height ? req.init : await resizeRgba(req.init, req.width, req.height);
  const mask = req.mask;
  if (mask.width !== req.width || mask.height !== req.height)
    throw new Error(`mask is ${mask.width}×${mask.height}, the request is ${req.width}×${req.height}`);
  const data = Buffer.alloc(req.width * req.height * 4);
  for (let i = 0; i < req.width * req.height; i++) {
    const m = mask.data[i];
    for (let c = 0; c < 4; c++) {
      const o = i * 4 + c;
      data[o] = m === 0 ? init.data[o] : m === 255 ? full.data[o] : Math.round((full.data[o] * m + init.data[o] * (255 - m)) / 255);
    }
  }
  return { width: req.width, height: req.height, data };
}

/** The init image at the working size, validated. */
export async function initAtWorkingSize(req: DiffusionRequest, size: { width: number; height: number }): Promise<RgbaImage | null> {
  if (!req.init) {
    if (req.mask) throw new Error('a mask needs an init image');
    return null;
  }
  return req.init.width === size.width && req.init.height === size.height ? req.init : resizeRgba(req.init, size.width, size.height);
}

/** img2img strength in (0, 1]; text-to-image is 1. */
export function strengthOf(req: DiffusionRequest): number {
  if (!req.init) return 1;
  const s = req.strength ?? 0.6;
  if (!(s > 0 && s <= 1)) throw new Error(`strength must be in (0, 1], got ${s}`);
  return s;
}

export function stepsOf(req: DiffusionRequest): number {
  const s = Math.round(req.steps);
  if (!(s >= 1 && s <= 50)) throw new Error(`num_inference_steps must be in 1..50, got ${req.steps}`);
  return s;
}

/** The prompt through the glossary (Korean → English); the English text is what gets encoded. */
export function preparePrompt(prompt: string): TranslatedPrompt {
  return translatePrompt(prompt);
}
