// How the segmentation engines are created (the Segmenter contract is in engines/contracts).

export interface SegmenterOptions {
  /** models/ folder: birefnet.onnx there replaces IS-Net. */
  modelsDir: string;
  /** Writable cache where the reassembled IS-Net model is kept. */
  cacheDir: string;
  providers?: readonly string[];
  log?: (message: string) => void;
}
