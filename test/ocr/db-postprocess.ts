// DB (differentiable binarization) post-processing of the PaddleOCR detector's probability map:
// threshold, 8-connected components, a score per component, and the "unclip" expansion that
// grows the shrunken text kernel back to the full text box. Axis-aligned boxes: the harness
// reads horizontal headlines.

export interface DetBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** Mean probability over the component's pixels. */
  score: number;
}

export interface DbOptions {
  /** Pixel threshold on the probability map (PaddleOCR det_db_thresh). */
  thresh: number;
  /** Minimum mean probability of a component (det_db_box_thresh). */
  boxThresh: number;
  /** Expansion ratio: offset = area × ratio / perimeter (det_db_unclip_ratio). */
  unclipRatio: number;
  /** Components whose short side is below this (map pixels) are noise. */
  minSize: number;
}

export const DB_DEFAULTS: DbOptions = { thresh: 0.3, boxThresh: 0.6, unclipRatio: 1.5, minSize: 3 };

/** Boxes in probability-map coordinates (x1, y1 exclusive), clipped to the map. */
export function dbBoxes(prob: Float32Array, width: number, height: number, o: DbOptions = DB_DEFAULTS): DetBox[] {
  const label = new Int32Array(width * height).fill(-1);
  const stack: number[] = [];
  const boxes: DetBox[] = [];
  for (let start = 0; start < prob.length; start++) {
    if (label[start] !== -1 || prob[start] <= o.thresh) continue;
    // Flood fill one component.
    let x0 = width,
      y0 = height,
      x1 = -1,
      y1 = -1,
      sum = 0,
      count = 0;
    label[start] = boxes.length;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % width,
        y = (i - x) / width;
      sum += prob[i];
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx,
            ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (label[j] === -1 && prob[j] > o.thresh) {
            label[j] = boxes.length;
            stack.push(j);
          }
        }
    }
    const w = x1 - x0 + 1,
      h = y1 - y0 + 1;
    const score = sum / count;
    // Keep the label space dense even for rejected components (labels only mark "visited").
    boxes.push({ x0, y0, x1: x1 + 1, y1: y1 + 1, score: Math.min(w, h) < o.minSize || score < o.boxThresh ? -1 : score });
  }
  return boxes.filter((b) => b.score >= 0).map((b) => unclip(b, o.unclipRatio, width, height));
}

/** Grows a box by area × ratio / perimeter on every side (the polygon offset of a rectangle). */
export function unclip(b: DetBox, ratio: number, width: number, height: number): DetBox {
  const w = b.x1 - b.x0,
    h = b.y1 - b.y0;
  const d = (w * h * ratio) / (2 * (w + h));
  return {
    x0: Math.max(0, b.x0 - d),
    y0: Math.max(0, b.y0 - d),
    x1: Math.min(width, b.x1 + d),
    y1: Math.min(height, b.y1 + d),
    score: b.score,
  };
}
