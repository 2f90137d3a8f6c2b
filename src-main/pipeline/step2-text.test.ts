import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoppedError } from '../core/errors';
import type { SubStepId } from '../core/jobs';
import { defaultTextBox, runStep2, type Step2Input } from './step2-text';
import type { RgbaImage } from '../imaging/types';
import type { SceneInfo } from '../engines/contracts';
import type { StepContext } from './types';

const fontPath = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');

function context(signal = new AbortController().signal) {
  const events: [SubStepId, number][] = [];
  const ctx: StepContext = { signal, progress: (s, f) => events.push([s, f]), seed: 1, log: () => {} };
  return { ctx, events };
}

const input = (over: Partial<Step2Input> = {}): Step2Input => ({
  text: '여름 한정 특가 세일',
  fontPath,
  stylePrompt: 'gold metallic 3D text with glossy bevel, studio lighting',
  negativePrompt: 'low quality, ugly, distorted, flat, 2d, blurry',
  width: 1024,
  height: 1024,
  scene: null,
  seed: 42,
  ...over,
});

const scene = (lightDir: { x: number; y: number }): SceneInfo => ({
  width: 1024,
  height: 1024,
  look: 'studio',
  lightDir,
  lightColor: [1, 0.96, 0.9],
  groundY: 820,
  palette: [[220, 214, 204]],
  productBox: { x: 380, y: 420, width: 260, height: 400 },
});

/** Alpha-weighted horizontal centre of the soft (shadow) pixels minus that of the solid ones. */
function shadowOffsetX(img: RgbaImage): number {
  let sx = 0,
    sn = 0,
    fx = 0,
    fn = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const a = img.data[(y * img.width + x) * 4 + 3];
      if (a === 255) {
        fx += x;
        fn++;
      } else if (a > 10) {
        sx += x;
        sn++;
      }
    }
  }
  return sx / sn - fx / fn;
}

describe('runStep2', () => {
  it('returns a trimmed lettering layer that fits the default text box', async () => {
    const { ctx, events } = context();
    const r = await runStep2(input(), ctx);
    const box = defaultTextBox(1024, 1024);
    expect(r.material).toBe('gold');
    expect(r.engine).toBe('procedural-lettering');
    expect(r.image.width).toBeLessThanOrEqual(box.width + 40);
    expect(r.image.height).toBeLessThanOrEqual(box.height + 40);
    // The largest size that fits fills the box in at least one direction (one long line, or
    // several lines filling its height).
    expect(Math.max(r.image.width / box.width, r.image.height / box.height)).toBeGreaterThan(0.6);
    // Trimmed: every border row and column has some alpha.
    const { width: w, height: h, data } = r.image;
    const rowHas = (y: number) => {
      for (let x = 0; x < w; x++) if (data[(y * w + x) * 4 + 3] > 0) return true;
      return false;
    };
    const colHas = (x: number) => {
      for (let y = 0; y < h; y++) if (data[(y * w + x) * 4 + 3] > 0) return true;
      return false;
    };
    expect(rowHas(0) && rowHas(h - 1) && colHas(0) && colHas(w - 1)).toBe(true);
    // Layout is reported before rendering, each from 0 to 1.
    const subs = events.map((e) => e[0]);
    expect(subs.indexOf('text_layout')).toBeLessThan(subs.indexOf('text_generation'));
    expect(events).toContainEqual(['text_generation', 1]);
  });

  it('wraps a long headline to several lines and still fits the box', async () => {
    const { ctx } = context();
    const short = await runStep2(input({ text: '세일' }), ctx);
    const long = await runStep2(input({ text: '지금 주문하면 내일 아침 문 앞에 도착하는 신선한 유기농 과일 선물 세트 특별 할인' }), ctx);
    const box = defaultTextBox(1024, 1024);
    expect(long.image.height).toBeLessThanOrEqual(box.height + 40);
    expect(long.image.width).toBeLessThanOrEqual(box.width + 40);
    expect(long.fontSize).toBeLessThan(short.fontSize / 2);
    // Several lines: the layer is much taller than one line of its font size.
    expect(long.image.height).toBeGreaterThan(long.fontSize * 2.2);
  });

  it('follows the scene light: shadow and extrusion fall away from it', async () => {
    const { ctx } = context();
    const fromLeft = await runStep2(input({ scene: scene({ x: 0.6, y: 0.8 }) }), ctx);
    const fromRight = await runStep2(input({ scene: scene({ x: -0.6, y: 0.8 }) }), ctx);
    expect(shadowOffsetX(fromLeft.image)).toBeGreaterThan(1);
    expect(shadowOffsetX(fromRight.image)).toBeLessThan(-1);
  });

  it('picks the material from the prompt and honours the negative prompt', async () => {
    const { ctx } = context();
    expect((await runStep2(input({ stylePrompt: '파란 네온 사인' }), ctx)).material).toBe('neon');
    expect((await runStep2(input({ stylePrompt: 'gold or wood', negativePrompt: 'gold' }), ctx)).material).toBe('wood');
  });

  it('stops when the job is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const { ctx } = context(ac.signal);
    await expect(runStep2(input(), ctx)).rejects.toBeInstanceOf(StoppedError);
  });

  it('scales the default box with the canvas and its aspect', () => {
    expect(defaultTextBox(1024, 1024)).toEqual({ width: 881, height: 266 });
    const wide = defaultTextBox(1920, 1080);
    const tall = defaultTextBox(1080, 1920);
    expect(wide.height / 1080).toBeGreaterThan(tall.height / 1920);
  });
});
