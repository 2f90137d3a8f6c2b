// Which request parameters each lettering engine uses and which it ignores: the one table that
// GET /help/parameters serves (server/help.ts, under engines.lettering) and the studio's step-2 note
// reads, so the API and the studio say the same. Pure data, importable by the renderer.

export const LETTERING_PARAMETERS = {
  choose_with:
    'text_engine: auto (default) | procedural | sdxl-controlnet-canny. auto = the ControlNet lettering when it and SDXL-Turbo are installed, else procedural',
  'sdxl-controlnet-canny': {
    what: 'SDXL-Turbo + ControlNet-canny: the headline laid out with the chosen font becomes the edge map the model letters over; the result is matted out and checked per character against the glyphs (legibility guard: ADFORGE_LETTERING_MIN_IOU, ADFORGE_LETTERING_RETRIES); on failure another seed, then the procedural renderer with the nearest material, and the job says so',
    uses: [
      'text_model_prompt (Korean through the glossary)',
      'negative_prompt (only with guidance_scale > 1)',
      'num_inference_steps',
      'guidance_scale',
      'font_name',
      'letter_spacing, line_height, text_align (the layout the edge map is drawn from)',
      'seed',
    ],
    ignores: [],
  },
  'procedural-lettering': {
    what: 'embedded default: 11 material presets (gold, rose gold, silver, chrome, neon, wood, stone, marble, plastic, glass, candy) chosen by keywords of text_model_prompt',
    uses: [
      'text_model_prompt (material and colour keywords)',
      'negative_prompt (excludes materials)',
      'font_name',
      'letter_spacing, line_height, text_align',
      'seed',
    ],
    ignores: ['guidance_scale', 'num_inference_steps'],
  },
} as const;

/** Lettering engine ids as jobs and /health name them (`lettering_engines.auto`). */
export type LetteringEngineId = 'sdxl-controlnet-canny' | 'procedural-lettering';

/** The step-2 request fields the studio's note speaks of, in the order it lists them. */
export const STEP2_FIELDS = ['text_model_prompt', 'negative_prompt', 'num_inference_steps', 'guidance_scale', 'seed'] as const;
export type Step2Field = (typeof STEP2_FIELDS)[number];

/** The field a `uses` / `ignores` line of the table is about (its first word). */
const fieldOf = (line: string): string => /^[a-z_]+/.exec(line)?.[0] ?? '';

/** Which of the step-2 fields `engine` uses and which it ignores, read from the table above. */
export function letteringFieldUse(engine: LetteringEngineId): { uses: Step2Field[]; ignores: Step2Field[] } {
  const e = LETTERING_PARAMETERS[engine];
  const pick = (lines: readonly string[]) => STEP2_FIELDS.filter((f) => lines.some((l) => fieldOf(l) === f));
  return { uses: pick(e.uses), ignores: pick(e.ignores) };
}
