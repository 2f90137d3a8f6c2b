// Porter-Duff "over" of a straight-alpha RGBA layer onto another image: the one alphaOver of the
// code base. An occluder (the product mask, for `behind` text) scales the layer's alpha by
// 1 - occluder/255, so where the occluder is 255 the destination is left byte for byte.
import type { GrayImage, RgbaImage } from './types';

export interface OverOptions {
  /** Full-size mask over dst; the layer is hidden where it is 255. */
  occluder?: GrayImage | null;
  /** Write into dst (default: a new image, dst untouched). */
  inPlace?: boolean;
}

/** Draws `src` over `dst` with its top-left at integer (x, y); returns the result (dst itself when inPlace). */
export function alphaOver(dst: RgbaImage, src: RgbaImage, x = 0, y = 0, opts: OverOptions = {}): RgbaImage {
  const out: RgbaImage = opts.inPlace ? dst : { width: dst.width, height: dst.height, data: Buffer.from(dst.data) };
  const occ = opts.occluder ?? null;
  const W = dst.width;
  const sx0 = Math.max(0, -x);
  const sy0 = Math.max(0, -y);
  const sx1 = Math.min(src.width, dst.width - x);
  const sy1 = Math.min(src.height, dst.height - y);
  const s = src.data;
  const d = out.data;
  for (let sy = sy0; sy < sy1; sy++) {
    let si = (sy * src.width + sx0) * 4;
    let di = ((sy + y) * W + sx0 + x) * 4;
    for (let sx = sx0; sx < sx1; sx++, si += 4, di += 4) {
      let sa = s[si + 3];
      if (sa === 0) continue;
      if (occ) {
        sa = (sa * (255 - occ.data[(sy + y) * W + sx + x])) / 255;
        if (sa <= 0) continue;
      }
      if (sa === 255) {
        d[di] = s[si];
        d[di + 1] = s[si + 1];
        d[di + 2] = s[si + 2];
        d[di + 3] = 255;
        continue;
      }
      const a = sa / 255;
      const da = d[di + 3] / 255;
      const oa = a + da * (1 - a);
      for (let c = 0; c < 3; c++) d[di + c] = Math.round((s[si + c] * a + d[di + c] * da * (1 - a)) / oa);
      d[di + 3] = Math.round(oa * 255);
    }
  }
  return out;
}
