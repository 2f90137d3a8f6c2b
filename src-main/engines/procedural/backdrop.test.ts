import { describe, expect, it } from 'vitest';
import { luminance } from '../../imaging/raster';
import type { RgbaImage } from '../../imaging/types';
import { chooseLook, LOOK_IDS, proceduralBackgroundEngine, renderBackdrop } from './backdrop';
import { lightSideFromPrompt } from './backdrop-looks';

const S = 256;
const render = (prompt: string, seed = 1, negative = '', productColors: [number, number, number][] = []) =>
  renderBackdrop({ width: S, height: S, prompt, negative, seed, productColors });

/** Mean colour and mean absolute horizontal gradient (texture) of an image. */
function stats(img: RgbaImage): number[] {
  let r = 0,
    g = 0,
    b = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    r += img.data[i * 4];
    g += img.data[i * 4 + 1];
    b += img.data[i * 4 + 2];
  }
  const l = luminance(img);
  let grad = 0;
  for (let y = 0; y < img.height; y++) for (let x = 1; x < img.width; x++) grad += Math.abs(l.data[y * img.width + x] - l.data[y * img.width + x - 1]);
  return [r / n, g / n, b / n, (grad / n) * 10];
}

describe('procedural backdrop', () => {
  it('is deterministic per seed and changes with the seed', async () => {
    const a = await render('marble table', 42);
    const b = await render('marble table', 42);
    const c = await render('marble table', 43);
    expect(a.image.data.equals(b.image.data)).toBe(true);
    expect(a.image.data.equals(c.image.data)).toBe(false);
    let diff = 0;
    for (let i = 0; i < a.image.data.length; i += 4) diff += Math.abs(a.image.data[i] - c.image.data[i]);
    expect(diff / (S * S)).toBeGreaterThan(1); // visibly different texture, not just grain
  });

  it('renders at least 12 looks that differ pairwise in colour or texture', async () => {
    expect(LOOK_IDS.length).toBeGreaterThanOrEqual(12);
    const all: { look: string; s: number[] }[] = [];
    for (const look of LOOK_IDS) {
      const prompt = look === 'nightcity' ? 'night city' : look;
      expect(chooseLook(prompt, '', 0)).toBe(look);
      const r = await render(prompt, 3);
      expect(r.scene.look).toBe(look);
      all.push({ look, s: stats(r.image) });
    }
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const d = Math.max(...all[i].s.map((v, k) => Math.abs(v - all[j].s[k])));
        expect(d, `${all[i].look} vs ${all[j].look}`).toBeGreaterThan(4);
      }
    }
  });

  it('the negative prompt excludes a look', async () => {
    expect(chooseLook('rustic wooden table', '', 5)).toBe('wood');
    expect(chooseLook('rustic wooden table', 'wood, blurry', 5)).not.toBe('wood');
    const r = await render('rustic wooden table with marble tray', 5, 'wood');
    expect(r.scene.look).toBe('marble');
    // Everything excluded but one look: that look, whatever the seed.
    const neg = LOOK_IDS.filter((l) => l !== 'snow')
      .map((l) => (l === 'nightcity' ? 'night city' : l))
      .join(', ');
    for (const seed of [0, 1, 2, 3]) expect(chooseLook('', neg, seed)).toBe('snow');
  });

  it('picks looks from Korean prompts, with particles attached, and without false hits', () => {
    expect(chooseLook('대리석 위에 놓인 향수병', '', 0)).toBe('marble');
    expect(chooseLook('따뜻한 원목 테이블', '', 0)).toBe('wood');
    expect(chooseLook('해변에서 찍은 여름 느낌', '', 0)).toBe('beach');
    expect(chooseLook('노을 지는 바다', '', 0)).toBe('sunset');
    expect(chooseLook('도시 야경', '', 0)).toBe('nightcity');
    expect(chooseLook('식물이 있는 정원', '', 0)).toBe('garden'); // 식물 contains 물 but is not water
    expect(chooseLook('파스텔 톤 배경', '', 0)).toBe('pastel');
    expect(chooseLook('네온 사인', '', 0)).toBe('neon');
    expect(chooseLook('주방 조리대', '', 0)).toBe('kitchen');
    expect(chooseLook('사무실 책상 위', '', 0)).toBe('office');
    expect(chooseLook('콘크리트 벽', '', 0)).toBe('concrete');
    expect(chooseLook('눈 덮인 겨울 풍경', '', 0)).toBe('snow');
    expect(chooseLook('깔끔한 배경', '', 0)).toBe('studio');
    expect(chooseLook('seamless sweep, season sale', '', 0)).toBe('studio'); // "season" is not "sea"
    expect(chooseLook('천으로 덮인 배경', '', 0)).toBe('linen'); // one-syllable word with a particle
    expect(chooseLook('천천히', '', 0)).toBe('studio');
    expect(chooseLook('한여름 바닷가', '', 0)).toBe('beach');
    expect(chooseLook('neon사인', '', 0)).toBe('neon');
  });

  it('reads the light side from the prompt and reports it in the scene', async () => {
    expect(lightSideFromPrompt('soft daylight from the left').side).toBe(-1);
    expect(lightSideFromPrompt('오른쪽에서 들어오는 빛')).toEqual({ side: 1, matched: ['오른쪽'] });
    expect(lightSideFromPrompt('left-side lighting, then on the right').side).toBe(0);
    const left = await render('studio, light from the left');
    const right = await render('studio, light from the right');
    expect(left.scene.lightDir.x).toBeGreaterThan(0); // from the light into the scene
    expect(right.scene.lightDir.x).toBeLessThan(0);
    expect(Math.hypot(left.scene.lightDir.x, left.scene.lightDir.y)).toBeCloseTo(1, 5);
    // The lit side of the frame is brighter.
    const l = luminance(left.image);
    let a = 0,
      b = 0;
    for (let y = 0; y < S; y++)
      for (let x = 0; x < 40; x++) {
        a += l.data[y * S + x + 20];
        b += l.data[y * S + S - 60 + x];
      }
    expect(a).toBeGreaterThan(b);
  });

  it('complements the product colours: a red product gets a cool studio, a blue one a warm studio', async () => {
    const red = await render('studio', 9, '', [[200, 30, 40]]);
    const blue = await render('studio', 9, '', [[30, 60, 200]]);
    const mean = (img: RgbaImage) => stats(img).slice(0, 3);
    const [rr, , rb] = mean(red.image);
    const [br, , bb] = mean(blue.image);
    expect(rb).toBeGreaterThan(rr);
    expect(br).toBeGreaterThan(bb);
    expect(red.scene.palette.length).toBeGreaterThan(0);
  });

  it('is an opaque image with a floor: ground line below the horizon, far floor softer than the floor at the product', async () => {
    const r = await proceduralBackgroundEngine.render({ width: 512, height: 512, prompt: 'oak parquet', negative: '', seed: 4, productColors: [] });
    expect(proceduralBackgroundEngine.id).toBe('procedural');
    for (let i = 3; i < r.image.data.length; i += 4) if (r.image.data[i] !== 255) throw new Error('not opaque');
    expect(r.scene.groundY).toBeGreaterThan(256);
    expect(r.scene.groundY).toBeLessThan(512);
    // Depth of field: plank seams and grain crowd together toward the horizon (more edges per row
    // without blur), yet the far floor must show fewer edges than the floor at the ground line.
    const l = luminance(r.image);
    const rowGrad = (y: number) => {
      let g = 0;
      for (let yy = y; yy < y + 8; yy++)
        for (let x = 1; x < 512; x++)
          g += Math.abs(l.data[yy * 512 + x] - l.data[yy * 512 + x - 1]) + Math.abs(l.data[(yy + 1) * 512 + x] - l.data[yy * 512 + x]);
      return g;
    };
    expect(rowGrad(r.scene.groundY - 4)).toBeGreaterThan(rowGrad(Math.round(0.58 * 512) + 4) * 1.5);
  });

  it('says which words of the prompt it understood and which request fields it ignored', async () => {
    const r = await renderBackdrop({
      width: 64,
      height: 64,
      prompt: 'Perfume on 대리석, soft light from the left, 4k',
      negative: '',
      seed: 1,
      productColors: [],
      steps: 4,
    });
    expect(r.scene.look).toBe('marble');
    expect(r.understood).toEqual(['대리석', 'from the left']);
    expect(r.ignored).toEqual(['steps', 'guidance']);
    expect((await render('a product photo')).understood).toEqual([]);
  });

  it('stops when the signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(renderBackdrop({ width: 64, height: 64, prompt: '', negative: '', seed: 1, productColors: [] }, ac.signal)).rejects.toThrow('Stopped');
  });
});
