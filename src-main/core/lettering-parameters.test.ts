// The studio's step-2 note and GET /help/parameters read the same table: what it says each
// lettering engine uses and ignores among the step-2 settings, and that the help serves it as is.
import { describe, expect, it } from 'vitest';
import { parametersGuide } from '../server/help';
import { LETTERING_PARAMETERS, letteringFieldUse } from './lettering-parameters';

describe('which step-2 settings each lettering engine uses', () => {
  it('procedural: style prompt, negative prompt and seed; steps and guidance ignored', () => {
    expect(letteringFieldUse('procedural-lettering')).toEqual({
      uses: ['text_model_prompt', 'negative_prompt', 'seed'],
      ignores: ['num_inference_steps', 'guidance_scale'],
    });
  });

  it('SDXL ControlNet: all five, nothing ignored', () => {
    expect(letteringFieldUse('sdxl-controlnet-canny')).toEqual({
      uses: ['text_model_prompt', 'negative_prompt', 'num_inference_steps', 'guidance_scale', 'seed'],
      ignores: [],
    });
  });

  it('is the table /help/parameters serves', () => {
    expect((parametersGuide() as { engines: { lettering: unknown } }).engines.lettering).toBe(LETTERING_PARAMETERS);
  });
});
