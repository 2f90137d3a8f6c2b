// Where step 3 would put a job's headline for a given position and mode, without rendering it: the
// same placeText call over the same inputs step 3 uses (the stored step-1 scene, the step-2 text
// layer, the product mask when there is one), so what the studio shows for `auto` is what Apply
// would render. Decoding and scoring (Sobel + hundreds of candidate boxes) are pixel work: this
// runs in the pipeline worker (jobs/worker-entry.ts answers a 'preview' message with it), never on
// the server's or the Electron main process's event loop.
import { readFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../core/errors';
import { ARTIFACTS } from '../core/jobs';
import type { CompositionMode, TextPosition } from '../core/params';
import { decodeImage, readGray } from '../imaging/codec';
import { layerLuma } from '../imaging/layer';
import { placeText } from './layout';

export interface PlacementPreviewRequest {
  /** The job's run folder (absolute). */
  runDir: string;
  position: TextPosition;
  mode: CompositionMode;
}

/** The headline's box on the scene (same shape as the studio contract's PlacementPreview). */
export interface PlacementPreviewResult {
  x: number;
  y: number;
  width: number;
  height: number;
  rotation: number;
  canvas: { width: number; height: number };
  layer: { width: number; height: number };
}

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

/**
 * Throws AppError 409 when the job has no scene (step1.png) or text layer (step2.png) yet. A mask
 * whose size differs from the scene (an uploaded step-1 image replaced later) is ignored, as step 3
 * would not use it either.
 */
export async function computePlacementPreview(req: PlacementPreviewRequest): Promise<PlacementPreviewResult> {
  const at = (name: keyof typeof ARTIFACTS) => join(req.runDir, ARTIFACTS[name]);
  const [hasStep1, hasStep2, hasMask] = await Promise.all([exists(at('step1')), exists(at('step2')), exists(at('mask'))]);
  if (!hasStep1 || !hasStep2) throw new AppError(409, 'This job has no scene and text layer yet: run steps 1 and 2 first');
  const [background, layer, mask] = await Promise.all([
    readFile(at('step1')).then((b) => decodeImage(b, 'step1').then((d) => d.image)),
    readFile(at('step2')).then((b) => decodeImage(b, 'step2').then((d) => d.image)),
    hasMask ? readGray(at('mask')) : null,
  ]);
  const usableMask = mask && mask.width === background.width && mask.height === background.height ? mask : null;
  const p = placeText({
    canvas: { width: background.width, height: background.height },
    layer: { width: layer.width, height: layer.height },
    position: req.position,
    box: null,
    productMask: usableMask,
    background,
    layerLuma: layerLuma(layer),
    avoidProduct: req.mode !== 'behind',
  });
  return {
    x: p.x,
    y: p.y,
    width: p.width,
    height: p.height,
    rotation: p.rotation,
    canvas: { width: background.width, height: background.height },
    layer: { width: layer.width, height: layer.height },
  };
}
