// The procedural lettering as a LetteringEngine: material and tint from the style prompt's words,
// the headline fitted so that extrusion and shadow stay inside the box, then rendered lit from the
// scene's light. The embedded default, and the fallback of the generative lettering engines.
import { throwIfAborted } from '../../core/errors';
import { trimToAlpha } from '../../imaging/layer';
import type { LetteringEngine, LetteringLayout, LetteringRequest, LetteringResult, TextFit } from '../contracts';
import { fitText } from '../typography/text-fit';
import { letteringExtent, renderLettering } from './lettering';
import { chooseMaterial, chooseTint, materialWords } from './lettering-materials';
import type { MaterialId } from './materials';

export const PROCEDURAL_LETTERING_ID = 'procedural-lettering';

function layout(req: LetteringRequest): LetteringLayout {
  const material = chooseMaterial(req.stylePrompt, req.negativePrompt);
  const { box } = req;
  const t = req.typography;
  const opts = t ? { letterSpacing: t.letterSpacing, lineSpacing: t.lineHeight, align: t.align } : {};
  let fit: TextFit = fitText(req.text, req.fontPath, box, opts);
  // Extrusion and shadow reach past the glyphs; shrink once so the whole layer fits the box.
  const ext = letteringExtent(fit.fontSize, material, { lightDir: req.lightDir });
  const reachX = (ext.depth + 0.1 * fit.fontSize) * Math.abs(ext.dir.x);
  const reachY = (ext.depth + 0.1 * fit.fontSize) * Math.abs(ext.dir.y);
  if (fit.blockWidth + reachX > box.width || fit.blockHeight + reachY > box.height) {
    fit = fitText(req.text, req.fontPath, { width: Math.max(8, box.width - reachX), height: Math.max(8, box.height - reachY) }, opts);
  }
  return { fit, style: material };
}

async function render(laid: LetteringLayout, req: LetteringRequest, signal?: AbortSignal): Promise<LetteringResult> {
  throwIfAborted(signal);
  const material = laid.style as MaterialId;
  const tint = chooseTint(req.stylePrompt, material);
  const layer = renderLettering(laid.fit, material, { lightDir: req.lightDir, seed: req.seed, tint });
  req.progress?.(1);
  return {
    image: trimToAlpha(layer),
    material,
    understood: materialWords(req.stylePrompt, req.negativePrompt),
    // The presets are drawn, not sampled: nothing of a diffusion request applies.
    ignored: ['steps', 'guidance'],
  };
}

export const proceduralLettering: LetteringEngine = { id: PROCEDURAL_LETTERING_ID, provider: null, layout, render };
