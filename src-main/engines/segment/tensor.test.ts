import { describe, expect, it } from 'vitest';
import { IMAGENET_NORM, ISNET_NORM, probabilitiesToMask, rgbToNchw } from './tensor';

describe('rgbToNchw', () => {
  it('writes planar R, G, B with IS-Net normalisation (x − 128) / 256', () => {
    const rgb = Buffer.from([0, 128, 255, 64, 192, 32]); // 2 px
    const t = rgbToNchw(rgb, 2, 1, ISNET_NORM);
    expect([...t]).toEqual([-0.5, -0.25, 0, 0.25, 127 / 256, -0.375]);
  });

  it('applies ImageNet mean/std per channel', () => {
    const t = rgbToNchw(Buffer.from([255, 255, 255]), 1, 1, IMAGENET_NORM);
    expect(t[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(t[1]).toBeCloseTo((1 - 0.456) / 0.224, 5);
    expect(t[2]).toBeCloseTo((1 - 0.406) / 0.225, 5);
  });

  it('rejects a buffer of the wrong size', () => {
    expect(() => rgbToNchw(Buffer.alloc(5), 2, 1, ISNET_NORM)).toThrow(/expected 6/);
  });
});

describe('probabilitiesToMask', () => {
  it('scales probabilities to bytes, clamping, and applies the sigmoid to logits when asked', () => {
    expect([...probabilitiesToMask(new Float32Array([0, 0.5, 1, 1.2, -0.1]), false)]).toEqual([0, 128, 255, 255, 0]);
    expect([...probabilitiesToMask(new Float32Array([0, 20, -20]), true)]).toEqual([128, 255, 0]);
  });
});
