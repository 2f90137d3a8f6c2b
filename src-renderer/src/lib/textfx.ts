// Text controls the lettering engine does not take as parameters, applied to its RGBA layer in the
// page: a fill colour or a two-colour gradient that keeps the 3D shading (bevel highlights stay
// light, shadows dark), an outline, and a drop shadow. The result is what the canvas shows and what
// Apply sends as the step-2 image, so the final ad is what the designer saw.

export interface TextFx {
  /** Fill colour (#rrggbb) or null for the lettering's own colours. */
  fill: string | null;
  /** Second colour: a top-to-bottom gradient from fill to this. */
  fill2: string | null;
  outline: string | null;
  /** Outline width as a share of the layer height (0.005–0.05). */
  outlineWidth: number;
  /** Drop shadow strength 0..1 (0 = none). */
  shadow: number;
}

export const NO_FX: TextFx = { fill: null, fill2: null, outline: null, outlineWidth: 0.02, shadow: 0 };

export const hasFx = (fx: TextFx) => !!fx.fill || !!fx.outline || fx.shadow > 0;
export const fxKey = (fx: TextFx) => (hasFx(fx) ? JSON.stringify(fx) : '');

function rgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 255, 255];
}

/** Recolours keeping the shading: luma below mid-grey darkens the colour, above it lightens it. */
function recolour(img: ImageData, top: [number, number, number], bottom: [number, number, number]): void {
  const { data, width, height } = img;
  let lo = 255;
  let hi = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] < 128) continue;
    const l = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  const span = Math.max(1, hi - lo);
  for (let y = 0; y < height; y++) {
    const t = height > 1 ? y / (height - 1) : 0;
    const c = [0, 1, 2].map((k) => top[k] + (bottom[k] - top[k]) * t);
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (data[i + 3] === 0) continue;
      // The lettering's own light and shade, stretched to 0..1 and centred on the chosen colour.
      const l = (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] - lo) / span;
      for (let k = 0; k < 3; k++) data[i + k] = l < 0.5 ? c[k] * (0.35 + 1.3 * l) : c[k] + (255 - c[k]) * (l - 0.5) * 1.2;
    }
  }
}

/** The layer with the effects, the same size as the layer (the text shrinks a little to make room). */
export function applyTextFx(layer: HTMLImageElement | HTMLCanvasElement, fx: TextFx): HTMLCanvasElement {
  const W = layer instanceof HTMLImageElement ? layer.naturalWidth : layer.width;
  const H = layer instanceof HTMLImageElement ? layer.naturalHeight : layer.height;
  const ow = fx.outline ? Math.max(1, Math.round(fx.outlineWidth * H)) : 0;
  const sh = fx.shadow > 0 ? Math.round(0.06 * H) : 0;
  const pad = ow + sh;
  const k = Math.min((W - 2 * pad) / W, (H - 2 * pad) / H);
  const w = Math.max(1, Math.round(W * k));
  const h = Math.max(1, Math.round(H * k));
  const x0 = Math.round((W - w) / 2 - sh / 3);
  const y0 = Math.round((H - h) / 2 - sh / 3);

  const text = document.createElement('canvas');
  text.width = w;
  text.height = h;
  const tctx = text.getContext('2d', { willReadFrequently: true });
  if (!tctx) return layer instanceof HTMLCanvasElement ? layer : text;
  tctx.drawImage(layer, 0, 0, w, h);
  if (fx.fill) {
    const px = tctx.getImageData(0, 0, w, h);
    recolour(px, rgb(fx.fill), rgb(fx.fill2 ?? fx.fill));
    tctx.putImageData(px, 0, 0);
  }

  const out = document.createElement('canvas');
  out.width = W;
  out.height = H;
  const ctx = out.getContext('2d');
  if (!ctx) return text;
  // Outline: the silhouette in the outline colour, stamped around the text in a ring.
  let shape: HTMLCanvasElement = text;
  if (ow > 0 && fx.outline) {
    const sil = document.createElement('canvas');
    sil.width = w;
    sil.height = h;
    const sctx = sil.getContext('2d');
    if (sctx) {
      sctx.drawImage(text, 0, 0);
      sctx.globalCompositeOperation = 'source-in';
      sctx.fillStyle = fx.outline;
      sctx.fillRect(0, 0, w, h);
    }
    const ring = document.createElement('canvas');
    ring.width = W;
    ring.height = H;
    const rctx = ring.getContext('2d');
    if (rctx) {
      const steps = Math.max(16, ow * 4);
      for (let i = 0; i < steps; i++) {
        const a = (i / steps) * Math.PI * 2;
        rctx.drawImage(sil, x0 + Math.cos(a) * ow, y0 + Math.sin(a) * ow);
      }
      rctx.drawImage(text, x0, y0);
      shape = ring;
    }
  }
  if (sh > 0) {
    ctx.shadowColor = `rgba(0, 0, 0, ${Math.min(1, fx.shadow).toFixed(2)})`;
    ctx.shadowBlur = sh * 0.8;
    ctx.shadowOffsetX = sh * 0.35;
    ctx.shadowOffsetY = sh * 0.5;
  }
  if (shape === text) ctx.drawImage(text, x0, y0);
  else ctx.drawImage(shape, 0, 0);
  return out;
}

/** The canvas as base64 PNG, what the API takes as step2_image. */
export function canvasPng(c: HTMLCanvasElement): string {
  return c.toDataURL('image/png');
}
