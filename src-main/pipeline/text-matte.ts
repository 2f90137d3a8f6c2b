// An uploaded step-2 image becomes a text layer. With real alpha it is only trimmed. An opaque
// upload (the predecessor produced white/gold text on black) is keyed: the border colour is the
// backdrop, alpha rises softly with colour distance from it, and the colour of partly transparent
// edge pixels is un-mixed from the backdrop so no dark (or light) fringe remains.
import { trimToAlpha } from '../imaging/layer';
import type { RgbaImage } from '../imaging/types';

/** Per-channel median of the one-pixel frame: robust to text touching the border here and there. */
export function borderColor(image: RgbaImage): [number, number, number] {
  const { width: w, height: h, data } = image;
  const ch: number[][] = [[], [], []];
  const push = (x: number, y: number) => {
    const p = (y * w + x) * 4;
    for (let c = 0; c < 3; c++) ch[c].push(data[p + c]);
  };
  for (let x = 0; x < w; x++) {
    push(x, 0);
    if (h > 1) push(x, h - 1);
  }
  for (let y = 1; y < h - 1; y++) {
    push(0, y);
    if (w > 1) push(w - 1, y);
  }
  const median = (v: number[]) => v.sort((a, b) => a - b)[v.length >> 1];
  return [median(ch[0]), median(ch[1]), median(ch[2])];
}

/** Distances below this are backdrop noise (JPEG ringing, gradients): fully transparent. */
const KEY_LOW = 14;

/** Separable max filter of radius r (square window), borders clamped. */
export function maxFilter(v: Float32Array, width: number, height: number, r: number): Float32Array {
  const tmp = new Float32Array(v.length),
    out = new Float32Array(v.length);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(width - 1, x + r); k++) m = Math.max(m, v[y * width + k]);
      tmp[y * width + x] = m;
    }
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let m = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r); k++) m = Math.max(m, tmp[k * width + x]);
      out[y * width + x] = m;
    }
  return out;
}

export function keyOutBackdrop(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  const [br, bg, bb] = borderColor(image);
  const n = width * height;
  const dist = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    dist[i] = Math.hypot(data[p] - br, data[p + 1] - bg, data[p + 2] - bb);
  }
  // Alpha = how far a pixel is from the backdrop relative to the most distant colour near it
  // (5×5): inside the lettering that is the pixel itself (opaque); on an antialiased edge it is
  // the neighbouring body colour, so the edge gets its true coverage, whatever the text colour.
  const near = maxFilter(dist, width, height, 2);
  const out = Buffer.alloc(n * 4);
  for (let i = 0, p = 0; i < n; i++, p += 4) {
    const span = Math.max(near[i] - KEY_LOW, 2 * KEY_LOW);
    // Shading inside 3D lettering varies a little: within 8% of the local maximum counts as body.
    const a = Math.min(1, Math.max(0, (dist[i] - KEY_LOW) / (0.92 * span)));
    if (a === 0) continue;
    // Un-mix: observed = a·F + (1−a)·B  ⇒  F = B + (observed − B) / a.
    out[p] = Math.round(Math.min(255, Math.max(0, br + (data[p] - br) / a)));
    out[p + 1] = Math.round(Math.min(255, Math.max(0, bg + (data[p + 1] - bg) / a)));
    out[p + 2] = Math.round(Math.min(255, Math.max(0, bb + (data[p + 2] - bb) / a)));
    out[p + 3] = Math.round(a * 255);
  }
  return { width, height, data: out };
}

/** An uploaded step-2 image as a trimmed RGBA text layer (see the module comment). */
export function textLayerFromUpload(image: RgbaImage, hasAlpha: boolean): RgbaImage {
  // An alpha channel that is opaque everywhere (RGBA PNG of text on black) carries no matte.
  return trimToAlpha(hasAlpha && hasTransparency(image) ? image : keyOutBackdrop(image));
}

function hasTransparency(image: RgbaImage): boolean {
  for (let p = 3; p < image.data.length; p += 4) if (image.data[p] < 250) return true;
  return false;
}
