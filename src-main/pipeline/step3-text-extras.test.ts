// Step 3 with the designer's text effects and a second text layer (call to action): pixels of the
// final, where the ad shows them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradient, renderText } from '../../test/ocr/render-text';
import { SubTextSchema } from '../core/sub-text';
import { TextEffectsSchema } from '../core/text-effects';
import { trimToAlpha } from '../imaging/layer';
import type { RgbaImage } from '../imaging/types';
import { runStep3, type Step3Input } from './step3-compose';
import type { StepContext } from './types';

const W = 640;
const H = 640;
const font = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const ctx = (): StepContext => ({ signal: new AbortController().signal, seed: 1, log: () => {}, progress: () => {} });
const text = trimToAlpha(renderText('SUMMER', { fontSize: 96, color: '#f0c040', padding: 8 }));
const base = (over: Partial<Step3Input>): Step3Input => ({
  background: gradient(W, H, [120, 170, 220], [240, 220, 190]),
  textLayer: text,
  productMask: null,
  scene: null,
  mode: 'overlay',
  position: 'top',
  box: null,
  strength: 0.4,
  ...over,
});

/** Pixels in rect r close to colour c. */
function count(img: RgbaImage, r: { x: number; y: number; width: number; height: number }, c: [number, number, number], tol = 40): number {
  let n = 0;
  for (let y = Math.max(0, r.y); y < Math.min(img.height, r.y + r.height); y++)
    for (let x = Math.max(0, r.x); x < Math.min(img.width, r.x + r.width); x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.data[i] - c[0]) + Math.abs(img.data[i + 1] - c[1]) + Math.abs(img.data[i + 2] - c[2]) < tol) n++;
    }
  return n;
}

describe('step 3 text effects', () => {
  it('a green outline and a red fill appear in the placed box of the final', async () => {
    const plain = await runStep3(base({}), ctx());
    const fx = TextEffectsSchema.parse({ fill: '#ff0000', outline: '#00ff00', outline_width: 0.04 });
    const styled = await runStep3(base({ effects: fx }), ctx());
    // Same placement: the styled layer has the plain layer's size.
    expect(styled.placed).toEqual(plain.placed);
    const box = {
      x: Math.round(styled.placed.x),
      y: Math.round(styled.placed.y),
      width: Math.round(styled.placed.width),
      height: Math.round(styled.placed.height),
    };
    expect(count(plain.image, box, [0, 255, 0])).toBe(0);
    expect(count(styled.image, box, [0, 255, 0])).toBeGreaterThan(500);
    const reds = count(styled.image, box, [255, 0, 0], 200);
    expect(reds).toBeGreaterThan(500);
  });
});

describe('step 3 text effects keep the text its size', () => {
  it('an outline and a shadow reach past the box; the lettering inside is as large as without them', async () => {
    const plain = await runStep3(base({}), ctx());
    const fx = TextEffectsSchema.parse({ outline: '#00ff00', outline_width: 0.05, shadow: 1 });
    const styled = await runStep3(base({ effects: fx }), ctx());
    const gold: [number, number, number] = [0xf0, 0xc0, 0x40];
    const all = { x: 0, y: 0, width: W, height: H };
    const a = count(plain.image, all, gold, 60);
    const b = count(styled.image, all, gold, 60);
    expect(b).toBeGreaterThan(a * 0.85);
    // Green outside the placed box: the outline reaches past it.
    const p = styled.placed;
    let outside = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const inBox = x >= p.x && x < p.x + p.width && y >= p.y && y < p.y + p.height;
        const i = (y * W + x) * 4;
        if (!inBox && styled.image.data[i + 1] > 200 && styled.image.data[i] < 60) outside++;
      }
    expect(outside).toBeGreaterThan(50);
  });
});

describe('step 3 second text layer', () => {
  it('puts a call-to-action button under the headline, in its colours', async () => {
    const spec = SubTextSchema.parse({ text: 'Shop now', color: '#ffffff', background: '#d0103a', size: 0.05 });
    const r = await runStep3(base({ subText: { spec, fontPath: font } }), ctx());
    const sub = r.subPlaced;
    expect(sub).not.toBeNull();
    if (!sub) return;
    // Below the headline, centred under it, inside the picture.
    expect(sub.y).toBeGreaterThan(r.placed.y + r.placed.height);
    expect(Math.abs(sub.x + sub.width / 2 - (r.placed.x + r.placed.width / 2))).toBeLessThan(2);
    expect(sub.height).toBeGreaterThan(0.05 * H);
    const button = count(r.image, sub, [0xd0, 0x10, 0x3a]);
    const white = count(r.image, sub, [255, 255, 255]);
    expect(button).toBeGreaterThan(sub.width * sub.height * 0.3);
    expect(white).toBeGreaterThan(100);
    // Nothing of it outside its rectangle: the rest of the final equals the headline-only final.
    const only = await runStep3(base({}), ctx());
    let diffOutside = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        if (x >= sub.x && x < sub.x + sub.width && y >= sub.y && y < sub.y + sub.height) continue;
        const i = (y * W + x) * 4;
        if (r.image.data[i] !== only.image.data[i]) diffOutside++;
      }
    expect(diffOutside).toBe(0);
  });

  it('top and bottom positions and an explicit centre, held inside the picture', async () => {
    const spec = (o: object) => SubTextSchema.parse({ text: '지금 구매하기', background: '#111111', ...o });
    const top = await runStep3(base({ position: 'bottom', subText: { spec: spec({ position: 'top' }), fontPath: font } }), ctx());
    expect(top.subPlaced?.y).toBeLessThan(H * 0.1);
    const bottom = await runStep3(base({ subText: { spec: spec({ position: 'bottom' }), fontPath: font } }), ctx());
    expect((bottom.subPlaced?.y ?? 0) + (bottom.subPlaced?.height ?? 0)).toBeGreaterThan(H * 0.9);
    const corner = await runStep3(base({ subText: { spec: spec({ center: { x: -500, y: 9000 } }), fontPath: font } }), ctx());
    expect(corner.subPlaced?.x).toBe(0);
    expect((corner.subPlaced?.y ?? 0) + (corner.subPlaced?.height ?? 0)).toBe(H);
  });

  it('the schema refuses empty, multi-line and over-long text', () => {
    expect(SubTextSchema.safeParse({ text: '   ' }).success).toBe(false);
    expect(SubTextSchema.safeParse({ text: 'a\nb' }).success).toBe(false);
    expect(SubTextSchema.safeParse({ text: 'x'.repeat(121) }).success).toBe(false);
    expect(SubTextSchema.safeParse({ text: 'ok', size: 1 }).success).toBe(false);
  });
});
