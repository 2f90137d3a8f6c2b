// Step 2: the headline as a lettering layer. The lettering engine lays the text out in the default
// text box of the output canvas (the box step 3 then places), picks its style from the style
// prompt, renders it lit from the scene's light, and returns the layer trimmed to its visible pixels.
import { throwIfAborted } from '../core/errors';
import type { TextAlign } from '../core/params';
import type { LetteringEngine, SceneInfo } from '../engines/contracts';
import { proceduralLettering } from '../engines/procedural/lettering-engine';
import type { RgbaImage } from '../imaging/types';
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
  /** Letter spacing (em), line height (× size) and alignment; absent = the embedded defaults. */
  typography?: { letterSpacing: number; lineHeight: number; align: TextAlign };
}

export interface Step2Result {
  image: RgbaImage;
  material: string;
  engine: string;
  provider: string | null;
  fontSize: number;
  understood: string[];
  ignored: string[];
  note: string | null;
}

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

export async function runStep2(
  input: Step2Input,
  ctx: StepContext,
  engine: LetteringEngine = proceduralLettering,
  sampling: { steps?: number; guidance?: number } = {},
): Promise<Step2Result> {
  const req = {
    text: input.text,
    fontPath: input.fontPath,
    box: defaultTextBox(input.width, input.height),
    stylePrompt: input.stylePrompt,
    negativePrompt: input.negativePrompt,
    lightDir: input.scene?.lightDir ?? DEFAULT_LIGHT,
    seed: input.seed,
    typography: input.typography,
    ...sampling,
    progress: (f: number, m?: string) => ctx.progress('text_generation', f, m),
  };
  ctx.progress('text_layout', 0);
  const laid = engine.layout(req);
  ctx.progress('text_layout', 1);
  throwIfAborted(ctx.signal);

  ctx.progress('text_generation', 0);
  const r = await engine.render(laid, req, ctx.signal);
  ctx.progress('text_generation', 1);
  throwIfAborted(ctx.signal);
  const { fit } = laid;
  ctx.log(`lettering: ${engine.id}, ${r.material}, ${fit.lines.length} line(s) at ${fit.fontSize.toFixed(1)} px`);
  return {
    image: r.image,
    material: r.material,
    engine: engine.id,
    provider: engine.provider,
    fontSize: fit.fontSize,
    understood: r.understood ?? [],
    ignored: r.ignored ?? [],
    note: r.note ?? null,
  };
}
