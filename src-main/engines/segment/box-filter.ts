// Mean filter over a (2r+1)² window with windows clipped at the borders (each output is the mean
// of the pixels that exist), O(1) per pixel whatever the radius: running sums along rows, then a
// running column sum advanced row by row (cache-friendly, no transposes). Called ~20 times per
// cut-out, so the inner loops avoid per-pixel branches and divisions.

let scratch = new Float32Array(0);
let colScratch = new Float64Array(0);

export function boxMean(src: Float32Array, width: number, height: number, r: number, out = new Float32Array(width * height)): Float32Array {
  const n = width * height;
  if (r <= 0) {
    out.set(src.subarray(0, n));
    return out;
  }
  if (scratch.length < n) scratch = new Float32Array(n);
  if (colScratch.length < width) colScratch = new Float64Array(width);
  const tmp = scratch;
  const rx = Math.min(r, width - 1);
  const ry = Math.min(r, height - 1);
  // Horizontal window sums: x−r..x+r clipped.
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let acc = 0;
    for (let x = 0; x < rx; x++) acc += src[row + x];
    for (let x = 0; x < width; x++) {
      const add = x + rx;
      if (add < width) acc += src[row + add];
      tmp[row + x] = acc;
      const sub = x - rx;
      if (sub >= 0) acc -= src[row + sub];
    }
  }
  const invX = new Float32Array(width);
  for (let x = 0; x < width; x++) invX[x] = 1 / (Math.min(x + rx, width - 1) - Math.max(x - rx, 0) + 1);
  const col = colScratch;
  col.fill(0, 0, width);
  for (let y = 0; y < ry; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) col[x] += tmp[row + x];
  }
  for (let y = 0; y < height; y++) {
    const add = y + ry;
    if (add < height) {
      const a = add * width;
      for (let x = 0; x < width; x++) col[x] += tmp[a + x];
    }
    const invY = 1 / (Math.min(y + ry, height - 1) - Math.max(y - ry, 0) + 1);
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = col[x] * invX[x] * invY;
    const sub = y - ry;
    if (sub >= 0) {
      const s = sub * width;
      for (let x = 0; x < width; x++) col[x] -= tmp[s + x];
    }
  }
  return out;
}
