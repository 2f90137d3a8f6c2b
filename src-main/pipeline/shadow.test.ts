import { describe, expect, it } from 'vitest';
import { createGray, createRgba } from './image-ops';
import { applyShadow, castShadowMap, combineShadows, contactShadowMap, shadowProjection } from './shadow';
import type { GrayImage } from './types';

/** A standing 60×200 product whose base is on row 400 of a 512² canvas. */
function standingMask(): GrayImage {
  const m = createGray(512, 512);
  for (let y = 201; y <= 400; y++) for (let x = 226; x < 286; x++) m.data[y * 512 + x] = 255;
  return m;
}

const sum = (m: GrayImage, x0: number, x1: number, y0: number, y1: number) => {
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += m.data[y * m.width + x];
  return s;
};

describe('shadows', () => {
  const opts = { groundY: 400, lightDir: { x: 0.6, y: 0.8 }, scale: 0.5 };

  it('casts the shadow away from the light, behind the base, fading with distance', () => {
    const cast = castShadowMap(standingMask(), opts);
    const right = sum(cast, 286, 512, 300, 401);
    const left = sum(cast, 0, 226, 300, 401);
    expect(right).toBeGreaterThan(left * 10);
    expect(shadowProjection(opts.lightDir).dx).toBeGreaterThan(0);
    // Mirror the light: the shadow flips side.
    const flipped = castShadowMap(standingMask(), { ...opts, lightDir: { x: -0.6, y: 0.8 } });
    expect(sum(flipped, 0, 226, 300, 401)).toBeGreaterThan(sum(flipped, 286, 512, 300, 401) * 10);
    // Near the base it is darker than far away.
    const near = sum(cast, 290, 330, 380, 401) / (40 * 21);
    const far = sum(cast, 420, 460, 330, 400) / (40 * 70);
    expect(near).toBeGreaterThan(far);
    // Lower light, longer shadow.
    const low = castShadowMap(standingMask(), { ...opts, lightDir: { x: 0.9, y: 0.44 } });
    expect(sum(low, 420, 512, 300, 401)).toBeGreaterThan(sum(cast, 420, 512, 300, 401));
  });

  it('puts a dark contact shadow right under the base, and none far from it', () => {
    const c = contactShadowMap(standingMask(), opts);
    const under = sum(c, 236, 276, 400, 404) / (40 * 4);
    expect(under).toBeGreaterThan(120);
    expect(sum(c, 0, 150, 0, 512)).toBe(0);
    expect(sum(c, 236, 276, 440, 512)).toBe(0);
  });

  it('darkens the backdrop by multiply, never lightens it, and combines maps without exceeding full shadow', () => {
    const a = createGray(2, 1, 200);
    const b = createGray(2, 1, 200);
    const both = combineShadows(a, b);
    expect(both.data[0]).toBeGreaterThan(200);
    expect(both.data[0]).toBeLessThanOrEqual(255);
    const img = createRgba(2, 1, [200, 180, 160, 255]);
    const sh = createGray(2, 1);
    sh.data[0] = 255;
    applyShadow(img, sh, [0.25, 0.25, 0.3]);
    expect([...img.data.subarray(0, 3)]).toEqual([50, 45, 48]);
    expect([...img.data.subarray(4, 7)]).toEqual([200, 180, 160]);
  });
});
