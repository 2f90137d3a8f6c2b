import { describe, expect, it } from 'vitest';
import { createGray, createRgba } from '../imaging/raster';
import { applyShadow, castShadowMap, combineShadows, contactShadowMap, shadowProjection } from './shadow';
import { type ShadowStyle } from '../engines/contracts';
import type { GrayImage } from '../imaging/types';

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
    expect(sum(c, 236, 276, 460, 512)).toBe(0);
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

describe('shadows a viewer notices', () => {
  // A 1024² frame: a 120×400 product standing on row 800 of a mid-grey floor.
  const S = 1024;
  const g = 800;
  function product(): GrayImage {
    const m = createGray(S, S);
    for (let y = g - 399; y <= g; y++) for (let x = 452; x < 572; x++) m.data[y * S + x] = 255;
    return m;
  }
  /** Floor luma drop (0..1) over a patch after applying contact + cast shadows. */
  function drops(style: ShadowStyle, lightDir = { x: 0.6, y: 0.8 }) {
    const mask = product();
    const o = { groundY: g, lightDir, scale: 1, style };
    const img = createRgba(S, S, [160, 160, 160, 255]);
    applyShadow(img, combineShadows(castShadowMap(mask, o), contactShadowMap(mask, o)));
    return (x0: number, x1: number, y0: number, y1: number) => {
      let s = 0,
        n = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++)
          if (mask.data[y * S + x] === 0) {
            s += img.data[(y * S + x) * 4];
            n++;
          }
      return 1 - s / n / 160;
    };
  }
  const sun: ShadowStyle = { opacity: 0.85, softness: 0.6, backLit: false };
  const softbox: ShadowStyle = { opacity: 0.5, softness: 1.6, backLit: false };

  it('darkens the floor right under the base by more than half, fading out within about 2 % of the height', () => {
    const d = drops(softbox);
    const atBase = d(470, 554, g + 1, g + 4);
    const at2pc = d(470, 554, g + 20, g + 24);
    const at6pc = d(470, 554, g + 60, g + 64);
    expect(atBase).toBeGreaterThan(0.5);
    expect(at2pc).toBeGreaterThan(0.08); // still visible
    expect(at2pc).toBeLessThan(atBase * 0.6); // darkest right at the base
    expect(at6pc).toBeLessThan(0.03);
    console.log(`contact shadow luma drop: at base ${atBase.toFixed(2)}, 2 % H below ${at2pc.toFixed(2)}, 6 % H below ${at6pc.toFixed(2)}`);
    // It reaches a little past the footprint's sides, as occlusion does.
    expect(d(572, 580, g - 2, g + 6)).toBeGreaterThan(0.1);
  });

  it('casts a clearly visible shadow away from the light, stronger and crisper for hard sun than a softbox', () => {
    // Light from the left: the shadow runs right and a little up the frame (behind the base). The
    // patch sits on its axis halfway up the product's height: where a viewer looks for it.
    const { dx, dyUp } = shadowProjection({ x: 0.6, y: 0.8 });
    const cx = Math.round(512 + dx * 200),
      cy = Math.round(g - dyUp * 200);
    const patch = (d: ReturnType<typeof drops>) => d(cx - 40, cx + 40, cy - 6, cy + 6);
    const hard = patch(drops(sun));
    const soft = patch(drops(softbox));
    const toward = drops(sun)(300, 420, g - 60, g - 10);
    console.log(`cast shadow luma drop: hard sun ${hard.toFixed(2)}, softbox ${soft.toFixed(2)}`);
    expect(hard).toBeGreaterThan(0.3);
    expect(soft).toBeGreaterThan(0.12);
    expect(hard).toBeGreaterThan(soft * 1.3);
    expect(toward).toBeLessThan(0.03);
  });

  it('throws a back light shadow toward the camera (down the frame), not backwards', () => {
    const low = { x: 0.94, y: 0.35 };
    const back = drops({ opacity: 0.78, softness: 0.8, backLit: true }, low);
    expect(shadowProjection(low, true).dyUp).toBeLessThan(0);
    expect(back(480, 640, g + 40, g + 120)).toBeGreaterThan(0.25);
    expect(back(480, 640, g - 120, g - 40)).toBeLessThan(0.02);
    const front = drops({ opacity: 0.78, softness: 0.8, backLit: false }, low);
    expect(front(480, 640, g + 40, g + 120)).toBeLessThan(0.05);
  });
});
