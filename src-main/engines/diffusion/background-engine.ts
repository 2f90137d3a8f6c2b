// A DiffusionEngine as a step-1 BackgroundEngine: generate at the model's native pixel count with
// the ad's aspect ratio (sides on the 16-px grid every engine accepts), resize to the ad size with
// sharp, read the scene's light and palette off the picture, and say honestly which prompt was
// used and which request parameters the engine did not honour.
import { resizeRgba } from '../../imaging/resize';
import type { BackgroundEngine, BackgroundRequest, BackgroundResult, DiffusionEngine } from '../contracts';
import { translatePrompt } from './glossary';
import { sceneFromGenerated } from './scene-from-image';

export interface DiffusionBackgroundOptions {
  /** Steps when the request names none (Turbo/schnell: 4, the seed API's default). */
  defaultSteps?: number;
  log?: (message: string) => void;
}

/** The generation size: about nativeSize² pixels with the target's aspect, sides multiples of 16. */
export function generationSize(nativeSize: number, width: number, height: number): { width: number; height: number } {
  const aspect = width / height;
  const area = nativeSize * nativeSize;
  const snap = (v: number) => Math.max(64, Math.round(v / 16) * 16);
  return { width: snap(Math.sqrt(area * aspect)), height: snap(Math.sqrt(area / aspect)) };
}

/** Request parameters the engine will not honour, named as the API names them. */
export function ignoredParameters(engine: DiffusionEngine, req: Pick<BackgroundRequest, 'guidance' | 'negative'>): string[] {
  const ignored: string[] = [];
  const guidance = req.guidance ?? 0;
  if (!engine.uses.includes('guidance') && req.guidance !== undefined && req.guidance !== 0)
    ignored.push(`guidance_scale (${engine.id} is guidance-distilled: no guidance input)`);
  if (req.negative.trim() !== '') {
    if (!engine.uses.includes('negative')) ignored.push(`negative_prompt (${engine.id} has no negative conditioning)`);
    else if (guidance <= 1) ignored.push('negative_prompt (needs guidance_scale > 1)');
  }
  return ignored;
}

export function createDiffusionBackgroundEngine(engine: DiffusionEngine, opts: DiffusionBackgroundOptions = {}): BackgroundEngine {
  return {
    id: engine.id,
    get provider() {
      return engine.provider;
    },
    async render(req: BackgroundRequest, signal?: AbortSignal): Promise<BackgroundResult> {
      const size = generationSize(engine.nativeSize, req.width, req.height);
      const steps = req.steps ?? opts.defaultSteps ?? 4;
      const guidance = req.guidance ?? 0;
      const words = translatePrompt(req.prompt);
      const result = await engine.generate(
        {
          prompt: req.prompt,
          negative: req.negative,
          seed: req.seed,
          width: size.width,
          height: size.height,
          steps,
          guidance,
          onStep: (step, total) => req.progress?.(step / total, `denoising step ${step}/${total}`),
        },
        signal,
      );
      const image = await resizeRgba(result.image, req.width, req.height);
      const ignored = ignoredParameters(engine, req);
      if (words.untranslated.length > 0) ignored.push(`prompt words not in the glossary: ${words.untranslated.join(', ')}`);
      opts.log?.(`${engine.id}: ${size.width}×${size.height}, ${steps} steps, prompt used: "${result.promptUsed}"`);
      return {
        image,
        scene: sceneFromGenerated(image, engine.id, req.maxGroundY),
        promptUsed: result.promptUsed,
        understood: words.translated.map((t) => t.ko),
        ignored,
      };
    },
  };
}
