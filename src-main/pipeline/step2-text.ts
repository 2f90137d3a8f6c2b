// Step 2: the headline as a 3D lettering layer. Lays the text out in the default text box of the
// output canvas, picks the material from the style prompt, renders it lit from the scene's light,
// and returns the layer trimmed to its visible pixels (step 3 decides where it goes).
import { throwIfAborted } from '../core/errors';
import { chooseMaterial, chooseTint, letteringExtent, renderLettering } from '../engines/procedural/lettering';
import { trimToAlpha } from '../imaging/layer';
import { fitText } from '../engines/typography/text-fit';
import { type TextFit } from '../engines/contracts';
import type { RgbaImage } from '../imaging/types';
import type { SceneInfo } from '../engines/contracts';
import type { StepContext } from './types';

export interface Step2Input {
  text: string;
  fontPath: string;
  stylePrompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  scene: SceneInfo | null;
  seed: number;
}

export interface Step2Result {
  image: RgbaImage;
  material: string;
  engine: string;
  fontSize: number;
}

export const TEXT_ENGINE = 'procedural-lettering';

/** Light from the upper left, the studio convention, when there is no scene to follow. */
const DEFAULT_LIGHT = { x: 0.45, y: 0.89 };

/**
 * The box the headline is laid out in: most of the width and about a quarter of the height, so it
 * fits the top or bottom band next to a product. Wide formats (16:9, 1.91:1) get a taller share.
 */
export function defaultTextBox(width: number, height: number): { width: number; height: number } {
  const aspect = width / height;
  const hShare = aspect > 1.4 ? 0.32 : aspect < 0.7 ? 0.2 : 0.26;
  return { width: Math.round(width * 0.86), height: Math.round(height * hShare) };
}

export async function runStep2(input: Step2Input, ctx: StepContext): Promise<Step2Result> {
  const box = defaultTextBox(input.width, input.height);
  const lightDir = input.scene?.lightDir ?? DEFAULT_LIGHT;
  const material = chooseMaterial(input.stylePrompt, input.negativePrompt);
  const tint = chooseTint(input.stylePrompt, material);

  ctx.progress('text_layout', 0);
  let fit: TextFit = fitText(input.text, input.fontPath, box);
  // Extrusion and shadow reach past the glyphs; shrink once so the whole layer fits the box.
  const ext = letteringExtent(fit.fontSize, material, { lightDir });
  const reachX = (ext.depth + 0.1 * fit.fontSize) * Math.abs(ext.dir.x);
  const reachY = (ext.depth + 0.1 * fit.fontSize) * Math.abs(ext.dir.y);
  if (fit.blockWidth + reachX > box.width || fit.blockHeight + reachY > box.height) {
    fit = fitText(input.text, input.fontPath, { width: Math.max(8, box.width - reachX), height: Math.max(8, box.height - reachY) });
  }
  ctx.progress('text_layout', 1);
  throwIfAborted(ctx.signal);

  ctx.progress('text_generation', 0);
  const layer = renderLettering(fit, material, { lightDir, seed: input.seed, tint });
  const image = trimToAlpha(layer);
  ctx.progress('text_generation', 1);
  throwIfAborted(ctx.signal);
  ctx.log(`lettering: ${material}, ${fit.lines.length} line(s) at ${fit.fontSize.toFixed(1)} px`);
  return { image, material, engine: TEXT_ENGINE, fontSize: fit.fontSize };
}
