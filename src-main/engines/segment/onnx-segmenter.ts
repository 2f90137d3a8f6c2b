// Runs a 1024² salient-object model (IS-Net, BiRefNet) on an RGBA image through our session layer:
// stretch-resize to the model size, normalise, infer, turn the output into a 0..255 mask and resize
// it back to the input size. Models differ only in the settings passed in.
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { throwIfAborted } from '../../core/errors';
import type { GrayImage, RgbaImage } from '../../imaging/types';
import { getSession } from '../onnx/sessions';
import { probabilitiesToMask, rgbToNchw, type Normalisation } from './tensor';
import type { Segmenter } from '../contracts';

export interface OnnxSegmenterConfig {
  id: string;
  modelPath: string;
  /** Square input side the model was exported with. */
  size: number;
  norm: Normalisation;
  /** Preferred tensor names; when absent from the file the first input / first output is used. */
  inputName: string;
  outputName: string;
  sigmoid: boolean;
  providers?: readonly string[];
  log?: (message: string) => void;
}

/** Stretch-resizes RGBA to size² RGB (the models were trained without aspect preservation). */
export async function resizeToModelInput(image: RgbaImage, size: number): Promise<Buffer> {
  // Build RGB by hand: sharp applies removeAlpha after other ops, and we want no alpha involvement.
  const plane = image.width * image.height;
  const rgb = Buffer.allocUnsafe(plane * 3);
  const src = image.data;
  for (let i = 0, j = 0, k = 0; i < plane; i++, j += 4, k += 3) {
    rgb[k] = src[j];
    rgb[k + 1] = src[j + 1];
    rgb[k + 2] = src[j + 2];
  }
  if (image.width === size && image.height === size) return rgb;
  return sharp(rgb, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(size, size, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
}

/** Resizes a mask to the given size (bilinear: the matte stays soft, the refiner sharpens it). */
export async function resizeMask(mask: Buffer, from: number, width: number, height: number): Promise<Buffer> {
  if (from === width && from === height) return mask;
  // 'b-w' keeps one channel: sharp would otherwise hand back three identical sRGB channels.
  const out = await sharp(mask, { raw: { width: from, height: from, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return out;
}

export async function createOnnxSegmenter(cfg: OnnxSegmenterConfig): Promise<Segmenter> {
  const { session, provider } = await getSession(cfg.modelPath, { providers: cfg.providers, log: cfg.log });
  const inputName = session.inputNames.includes(cfg.inputName) ? cfg.inputName : session.inputNames[0];
  const outputName = session.outputNames.includes(cfg.outputName) ? cfg.outputName : session.outputNames[0];

  return {
    id: cfg.id,
    provider,
    async segment(image: RgbaImage, signal?: AbortSignal): Promise<GrayImage> {
      throwIfAborted(signal);
      const rgb = await resizeToModelInput(image, cfg.size);
      const input = new ort.Tensor('float32', rgbToNchw(rgb, cfg.size, cfg.size, cfg.norm), [1, 3, cfg.size, cfg.size]);
      throwIfAborted(signal);
      // Fetch only the final matte: IS-Net also has 11 side outputs we would otherwise copy out.
      const result = await session.run({ [inputName]: input }, [outputName]);
      const out = result[outputName];
      throwIfAborted(signal);
      const dims = out.dims;
      const side = dims[dims.length - 1];
      if (dims[dims.length - 2] !== side || out.type !== 'float32') {
        throw new Error(`${cfg.id}: unexpected output ${out.type} [${dims.join(',')}]`);
      }
      const values = (out.data as Float32Array).subarray(0, side * side);
      const small = probabilitiesToMask(values, cfg.sigmoid);
      const data = await resizeMask(small, side, image.width, image.height);
      return { width: image.width, height: image.height, data };
    },
  };
}
