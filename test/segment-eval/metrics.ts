// Matte quality against a known alpha: IoU of the binarised mattes and mean absolute error.
import type { GrayImage } from '../../src-main/imaging/types';

export function iou(pred: GrayImage, truth: GrayImage, threshold = 128): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < pred.data.length; i++) {
    const a = pred.data[i] >= threshold;
    const b = truth.data[i] >= threshold;
    if (a && b) inter++;
    if (a || b) union++;
  }
  return union === 0 ? 1 : inter / union;
}

/** Mean |pred − truth| over all pixels, in 0..1. */
export function mae(pred: GrayImage, truth: GrayImage): number {
  let sum = 0;
  for (let i = 0; i < pred.data.length; i++) sum += Math.abs(pred.data[i] - truth.data[i]);
  return sum / pred.data.length / 255;
}

/** Mean |pred − truth| on pixels within the truth's soft edge band (where mattes differ most). */
export function edgeMae(pred: GrayImage, truth: GrayImage, band = 6): number {
  const { width: w, height: h } = truth;
  let sum = 0;
  let n = 0;
  for (let y = band; y < h - band; y++) {
    for (let x = band; x < w - band; x++) {
      const i = y * w + x;
      const t = truth.data[i] >= 128;
      // An edge pixel has an opposite-side neighbour within `band`.
      if (
        t === truth.data[i - band] >= 128 &&
        t === truth.data[i + band] >= 128 &&
        t === truth.data[i - band * w] >= 128 &&
        t === truth.data[i + band * w] >= 128
      )
        continue;
      sum += Math.abs(pred.data[i] - truth.data[i]);
      n++;
    }
  }
  return n === 0 ? 0 : sum / n / 255;
}
