// Raster types shared by every layer: plain buffers, so pixel maths is testable without sharp.
// sharp is used only at the edges (codec, resize).

/** 8-bit RGBA, not premultiplied, row-major, data.length === width * height * 4. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Buffer;
}

/** 8-bit single channel (mask, alpha, luminance), data.length === width * height. */
export interface GrayImage {
  width: number;
  height: number;
  data: Buffer;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
