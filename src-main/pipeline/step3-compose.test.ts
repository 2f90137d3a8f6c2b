import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bottleMask, gradient, paintMask, renderText, savePng, solid } from '../../test/ocr/render-text';
import { StoppedError } from '../core/errors';
import type { SubStepId } from '../core/jobs';
import { trimToAlpha } from '../imaging/layer';
import { runStep3, type Step3Input } from './step3-compose';
import type { Rect, RgbaImage } from '../imaging/types';
import type { SceneInfo } from '../engines/contracts';
import type { StepContext } from './types';

const OUT = '/tmp/compose/step3';
mkdirSync(OUT, { recursive: true });

const W = 640,
  H = 640;

function ctx(signal = new AbortController().signal): StepContext & { seen: SubStepId[] } {
  const seen: SubStepId[] = [];
  return { signal, seed: 1, log: () => {}, progress: (s) => void seen.push(s), seen };
}

/** Box of pixels that differ from the base, or null. */
function changedBox(a: RgbaImage, b: RgbaImage, tol = 8): Rect | null {
  let x0 = a.width,
    y0 = a.height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++) {
      const p = (y * a.width + x) * 4;
      if (Math.abs(a.data[p] - b.data[p]) + Math.abs(a.data[p + 1] - b.data[p + 1]) + Math.abs(a.data[p + 2] - b.data[p + 2]) > tol) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

const scene = (lightColor: [number, number, number]): SceneInfo => ({
  width: W,
  height: H,
  look: 'test',
  lightDir: { x: 0.6, y: 0.8 },
  lightColor,
  groundY: H - 30,
  palette: [],
  productBox: null,
});

// Outlined, trimmed text layer: both light fill and dark outline, like lettering with an edge.
const text = trimToAlpha(renderText('SUMMER', { fontSize: 96, color: '#f0c040', stroke: 6, strokeColor: '#402000', padding: 8 }));

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

describe('runStep3 overlay', () => {
  it('puts the text pixels where it says it placed them, and reports both sub-steps', async () => {
    const c = ctx();
    const input = base({});
    const { image, placed } = await runStep3(input, c);
    await savePng(`${OUT}/overlay-top.png`, image);
    const box = changedBox(input.background, image)!;
    expect(box).not.toBeNull();
    // The trimmed layer's visible pixels fill its box: the changed area is the placed box.
    expect(Math.abs(box.x - placed.x)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.y - placed.y)).toBeLessThanOrEqual(3);
    expect(Math.abs(box.x + box.width - (placed.x + placed.width))).toBeLessThanOrEqual(3);
    expect(Math.abs(box.y + box.height - (placed.y + placed.height))).toBeLessThanOrEqual(3);
    expect(placed.y + placed.height).toBeLessThanOrEqual(H * 0.3);
    expect(c.seen).toContain('text_placement');
    expect(c.seen).toContain('composition');
  });

  it('explicit box: the text lands in the box; rotated 90° it stands upright in the same centre', async () => {
    const box = { x: 100, y: 200, width: 440, height: 140, rotation: 0 };
    const bg = base({}).background;
    const flat = await runStep3(base({ box }), ctx());
    const fb = changedBox(bg, flat.image)!;
    const aspect = text.width / text.height;
    const fw = Math.min(box.width, box.height * aspect),
      fh = fw / aspect;
    expect(Math.abs(fb.width - fw)).toBeLessThanOrEqual(3);
    expect(Math.abs(fb.height - fh)).toBeLessThanOrEqual(3);
    expect(Math.abs(fb.x + fb.width / 2 - 320)).toBeLessThanOrEqual(2);
    expect(Math.abs(fb.y + fb.height / 2 - 270)).toBeLessThanOrEqual(2);

    const turned = await runStep3(base({ box: { ...box, rotation: 90 } }), ctx());
    await savePng(`${OUT}/box-rot90.png`, turned.image);
    const tb = changedBox(bg, turned.image)!;
    expect(Math.abs(tb.width - fh)).toBeLessThanOrEqual(3);
    expect(Math.abs(tb.height - fw)).toBeLessThanOrEqual(3);
    expect(Math.abs(tb.x + tb.width / 2 - 320)).toBeLessThanOrEqual(2);
    expect(Math.abs(tb.y + tb.height / 2 - 270)).toBeLessThanOrEqual(2);
    // Clockwise: the first letter (left end) ends up at the top.
    const firstLetterRow = (img: RgbaImage) => {
      for (let y = tb.y; y < tb.y + tb.height; y++)
        for (let x = tb.x; x < tb.x + tb.width; x++) if (Math.abs(img.data[(y * W + x) * 4] - bg.data[(y * W + x) * 4]) > 8) return y;
      return -1;
    };
    expect(firstLetterRow(turned.image)).toBeLessThanOrEqual(tb.y + 2);
  });
});

describe('runStep3 behind', () => {
  it('leaves the step-1 image untouched inside the product mask and shows the text outside it', async () => {
    // Product standing in the middle, its neck crossing the centre band where the text goes.
    const mask = bottleMask(W, H, W / 2, 200, H - 30, 100);
    const bg = paintMask(base({}).background, mask, [30, 80, 50]);
    const input = base({ background: bg, productMask: mask, mode: 'behind', position: 'center' });
    const { image, placed } = await runStep3(input, ctx());
    await savePng(`${OUT}/behind-center.png`, image);
    let insideFull = 0,
      insideDiff = 0,
      outsideChanged = 0;
    for (let y = Math.floor(placed.y); y < Math.ceil(placed.y + placed.height); y++)
      for (let x = Math.floor(placed.x); x < Math.ceil(placed.x + placed.width); x++) {
        const i = y * W + x;
        const same = bg.data.compare(image.data, i * 4, i * 4 + 4, i * 4, i * 4 + 4) === 0;
        if (mask.data[i] === 255) {
          insideFull++;
          if (!same) insideDiff++;
        } else if (mask.data[i] === 0 && !same) outsideChanged++;
      }
    expect(insideFull).toBeGreaterThan(2000); // the product really is under the text box
    expect(insideDiff).toBe(0);
    expect(outsideChanged).toBeGreaterThan(2000);
    // Overlay of the same input would have painted over the product.
    const over = await runStep3({ ...input, mode: 'overlay', box: placed }, ctx());
    let overPainted = 0;
    for (let i = 0; i < W * H; i++) if (mask.data[i] === 255 && bg.data.compare(over.image.data, i * 4, i * 4 + 4, i * 4, i * 4 + 4) !== 0) overPainted++;
    expect(overPainted).toBeGreaterThan(1000);
  });

  it('without a mask behaves like overlay', async () => {
    const a = await runStep3(base({ mode: 'behind' }), ctx());
    const b = await runStep3(base({ mode: 'overlay' }), ctx());
    expect(a.image.data.equals(b.image.data)).toBe(true);
  });
});

describe('runStep3 auto', () => {
  it('keeps the headline off a product standing bottom-centre', async () => {
    const mask = bottleMask(W, H, W / 2, 250, H - 30, 120);
    const bg = paintMask(gradient(W, H, [235, 230, 220], [190, 180, 170]), mask, [160, 40, 40]);
    const { image, placed } = await runStep3(base({ background: bg, productMask: mask, position: 'auto' }), ctx());
    await savePng(`${OUT}/auto.png`, image);
    let painted = 0;
    for (let i = 0; i < W * H; i++) if (mask.data[i] && image.data.readUInt32LE(i * 4) !== bg.data.readUInt32LE(i * 4)) painted++;
    expect(painted).toBe(0);
    expect(changedBox(bg, image)).not.toBeNull();
    expect(placed.y + placed.height).toBeLessThanOrEqual(250);
  });
});

describe('runStep3 blend', () => {
  it('tints the text toward the scene light but keeps its contrast with the background', async () => {
    const warm = solid(W, H, [70, 40, 90]); // dusky purple scene
    const input = base({ background: warm, scene: scene([1, 0.75, 0.55]), strength: 0.8 });
    const over = await runStep3(input, ctx());
    const blend = await runStep3({ ...input, mode: 'blend' }, ctx());
    await savePng(`${OUT}/overlay-purple.png`, over.image);
    await savePng(`${OUT}/blend-purple.png`, blend.image);
    expect(blend.placed).toEqual(over.placed);
    let diff = 0,
      n = 0,
      contrastOver = 0,
      contrastBlend = 0;
    const luma = (d: Buffer, p: number) => 0.2126 * d[p] + 0.7152 * d[p + 1] + 0.0722 * d[p + 2];
    const lBg = luma(warm.data, 0);
    for (let p = 0; p < W * H * 4; p += 4) {
      if (over.image.data.readUInt32LE(p) === warm.data.readUInt32LE(p)) continue;
      n++;
      diff +=
        Math.abs(over.image.data[p] - blend.image.data[p]) +
        Math.abs(over.image.data[p + 1] - blend.image.data[p + 1]) +
        Math.abs(over.image.data[p + 2] - blend.image.data[p + 2]);
      contrastOver += Math.abs(luma(over.image.data, p) - lBg);
      contrastBlend += Math.abs(luma(blend.image.data, p) - lBg);
    }
    expect(n).toBeGreaterThan(5000);
    expect(diff / n).toBeGreaterThan(12); // visibly different colour
    expect(contrastBlend / contrastOver).toBeGreaterThan(0.85); // but not washed into the scene
  });

  it('strength 0 is plain overlay', async () => {
    const input = base({ scene: scene([1, 0.7, 0.5]), strength: 0 });
    const a = await runStep3({ ...input, mode: 'blend' }, ctx());
    const b = await runStep3(input, ctx());
    expect(a.image.data.equals(b.image.data)).toBe(true);
  });
});

describe('runStep3 stop', () => {
  it('throws StoppedError when the job is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runStep3(base({}), ctx(ac.signal))).rejects.toBeInstanceOf(StoppedError);
  });
});
