// BiRefNet (MIT), used instead of IS-Net when the user puts its ONNX export at models/birefnet.onnx.
// Tensor contract of the common export (the BiRefNet repo's conversion notebook): input
// 'input_image' float32 [1,3,1024,1024] with ImageNet mean/std; output 'output_image'
// [1,1,1024,1024] logits, so we apply the sigmoid.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_FILES } from '../model-paths';
import type { Segmenter } from '../contracts';
import type { SegmenterOptions } from './segmenter';
import { createOnnxSegmenter } from './onnx-segmenter';
import { IMAGENET_NORM } from './tensor';

export const BIREFNET_ID = 'birefnet';

export function birefnetPath(modelsDir: string): string {
  return join(modelsDir, MODEL_FILES.birefnet);
}

export function hasBirefnet(modelsDir: string): boolean {
  return existsSync(birefnetPath(modelsDir));
}

export async function createBirefnetSegmenter(opts: Pick<SegmenterOptions, 'providers' | 'log'> & { modelPath: string }): Promise<Segmenter> {
  return createOnnxSegmenter({
    id: BIREFNET_ID,
    modelPath: opts.modelPath,
    size: 1024,
    norm: IMAGENET_NORM,
    inputName: 'input_image',
    outputName: 'output_image',
    sigmoid: true,
    providers: opts.providers,
    log: opts.log,
  });
}
