// The 400 details a client reads: each names the field and the rule, for every kind of bad value.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors';
import { DEFAULT_BG_PROMPT } from '../../src-main/core/params';
import { parseGenerateRequest } from '../../src-main/service/submit';

function detailOf(body: unknown): { detail: string; field?: string } {
  try {
    parseGenerateRequest(body);
  } catch (err) {
    if (err instanceof AppError) {
      expect(err.status).toBe(400);
      return { detail: err.detail, field: err.field };
    }
    throw err;
  }
  throw new Error('expected a 400');
}

describe('parseGenerateRequest', () => {
  it('fills the seed defaults for an empty body', () => {
    const r = parseGenerateRequest({});
    expect(r).toMatchObject({
      start_step: 1,
      text_content: null,
      bg_prompt: DEFAULT_BG_PROMPT,
      composition_mode: 'overlay',
      text_position: 'top',
      composition_strength: 0.4,
      strength: 0.6,
      guidance_scale: 3.5,
      num_inference_steps: 4,
    });
  });

  it('names field and range for out-of-range numbers', () => {
    expect(detailOf({ guidance_scale: 25 })).toEqual({ detail: 'guidance_scale: must be <= 20', field: 'guidance_scale' });
    expect(detailOf({ strength: -0.1 }).detail).toBe('strength: must be >= 0');
    expect(detailOf({ num_inference_steps: 51 }).detail).toBe('num_inference_steps: must be <= 50');
    expect(detailOf({ start_step: 4 }).detail).toBe('start_step: must be <= 3');
  });

  it('names field and expected type for wrong-typed values', () => {
    expect(detailOf({ guidance_scale: 'high' }).detail).toBe('guidance_scale: must be number, got string');
    expect(detailOf({ num_inference_steps: 2.5 }).detail).toBe('num_inference_steps: must be an integer, got a fractional number');
    expect(detailOf({ text_content: 42 }).detail).toBe('text_content: must be string, got number');
    expect(detailOf({ composition_mode: 'multiply' }).detail).toBe('composition_mode: must be one of "overlay", "blend", "behind"');
  });

  it('reports every bad field at once, nested paths dotted', () => {
    const d = detailOf({ strength: true, text_box: { x: 1, y: 2, width: -5, height: 3 } });
    expect(d.detail).toContain('strength: must be number, got boolean');
    expect(d.detail).toContain('text_box.width: must be > 0');
    expect(d.field).toBe('strength');
  });

  it('rejects bodies that are not objects and stop_step before start_step', () => {
    expect(detailOf([1, 2]).detail).toBe('body: must be object, got array');
    expect(detailOf(null).detail).toBe('body: must be object, got null');
    expect(detailOf({ start_step: 2, stop_step: 1 })).toEqual({ detail: 'stop_step: must be >= start_step (2)', field: 'stop_step' });
  });
});
