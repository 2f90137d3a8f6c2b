// What every segmentation engine offers the pipeline.
import type { GrayImage, RgbaImage } from '../../pipeline/types';

export interface Segmenter {
  /** Engine id shown in job status, e.g. 'isnet-medium' or 'birefnet'. */
  id: string;
  /** Execution provider the model runs on ('cpu', 'cuda', 'webgpu'). */
  provider: string;
  /** Foreground matte, same size as the input, 0..255. */
  segment(image: RgbaImage, signal?: AbortSignal): Promise<GrayImage>;
}

export interface SegmenterOptions {
  /** models/ folder: birefnet.onnx there replaces IS-Net. */
  modelsDir: string;
  /** Writable cache where the reassembled IS-Net model is kept. */
  cacheDir: string;
  providers?: readonly string[];
  log?: (message: string) => void;
}
