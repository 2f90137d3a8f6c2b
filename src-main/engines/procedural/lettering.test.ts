import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitText } from '../typography/text-fit';
import { type TextFit } from '../contracts';
import type { RgbaImage } from '../../imaging/types';
import { chooseMaterial, chooseTint, extrusionDir, letteringExtent, MATERIAL_IDS, renderLettering, type MaterialId } from './lettering';

const font = path.resolve('fonts/NanumSquare/NanumSquareB.ttf');
const LIGHT = { x: 0.45, y: 0.89 };
const latin = fitText('SALE 50%', font, { width: 520, height: 150 });
const korean = fitText('여름 세일', font, { width: 520, height: 150 });

const alphaAt = (img: RgbaImage, x: number, y: number) => img.data[(y * img.width + x) * 4 + 3];

/** Glyph coverage of the same fit drawn flat (the area the face must occupy). */
function glyphArea(fit: TextFit, material: MaterialId, img: RgbaImage): Uint8Array {
  const { pad } = letteringExtent(fit.fontSize, material, { lightDir: LIGHT });
  const area = new Uint8Array(img.width * img.height);
  // The face is where the layer is opaque and was not opaque in a pure-shadow render: use the
  // neutral test of a thin-shadowless material instead: plastic with depth 0 gives exact glyphs.
  const flat = renderLettering(fit, 'plastic', { lightDir: LIGHT, seed: 1, depthPx: 0 });
  const { pad: flatPad } = letteringExtent(fit.fontSize, 'plastic', { lightDir: LIGHT, depthPx: 0 });
  const dx = pad - flatPad;
  for (let y = 0; y < flat.height; y++) {
    for (let x = 0; x < flat.width; x++) {
      const X = x + dx,
        Y = y + dx;
      if (X < 0 || Y < 0 || X >= img.width || Y >= img.height) continue;
      if (alphaAt(flat, x, y) === 255) area[Y * img.width + X] = 1;
    }
  }
  return area;
}

function meanColour(img: RgbaImage): [number, number, number] {
  let r = 0,
    g = 0,
    b = 0,
    wsum = 0;
  for (let p = 0; p < img.data.length; p += 4) {
    const a = img.data[p + 3];
    if (a < 64) continue; // the face and walls, not the soft shadow
    r += img.data[p] * a;
    g += img.data[p + 1] * a;
    b += img.data[p + 2] * a;
    wsum += a;
  }
  return [r / wsum, g / wsum, b / wsum];
}

describe('renderLettering', () => {
  const renders = new Map<MaterialId, RgbaImage>();
  for (const m of MATERIAL_IDS) renders.set(m, renderLettering(latin, m, { lightDir: LIGHT, seed: 5 }));

  it.each(MATERIAL_IDS.map((m) => [m]))('%s: non-empty layer, transparent corners, nothing opaque far from the glyphs', (m) => {
    const img = renders.get(m as MaterialId)!;
    const { width: w, height: h } = img;
    for (const [x, y] of [
      [0, 0],
      [w - 1, 0],
      [0, h - 1],
      [w - 1, h - 1],
    ])
      expect(alphaAt(img, x, y)).toBe(0);
    let solid = 0;
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i] >= 64) solid++;
    expect(solid).toBeGreaterThan(w * h * 0.08);
    // Outside the glyphs only soft alpha (extrusion walls, shadow, glow): it falls off to zero,
    // and no band of the layer's border carries anything.
    const area = glyphArea(latin, m as MaterialId, img);
    let glyphOpaque = 0,
      glyphPx = 0;
    for (let i = 0; i < area.length; i++)
      if (area[i]) {
        glyphPx++;
        if (img.data[i * 4 + 3] >= 250 || m === 'glass') glyphOpaque++;
      }
    expect(glyphOpaque / glyphPx).toBeGreaterThan(0.97);
    // Glyphs swept along the extrusion (plus 2 px): beyond it only shadow/glow, never solid.
    const { depth, dir } = letteringExtent(latin.fontSize, m as MaterialId, { lightDir: LIGHT });
    const solidZone = new Uint8Array(w * h);
    for (let i = 0; i < area.length; i++) {
      if (!area[i]) continue;
      const x0 = i % w,
        y0 = Math.floor(i / w);
      for (let k = 0; k <= depth + 1; k++) {
        for (let oy = -2; oy <= 2; oy++)
          for (let ox = -2; ox <= 2; ox++) {
            const X = Math.round(x0 + dir.x * k) + ox,
              Y = Math.round(y0 + dir.y * k) + oy;
            if (X >= 0 && Y >= 0 && X < w && Y < h) solidZone[Y * w + X] = 1;
          }
      }
    }
    let maxOutside = 0;
    for (let i = 0; i < solidZone.length; i++) if (!solidZone[i]) maxOutside = Math.max(maxOutside, img.data[i * 4 + 3]);
    expect(maxOutside).toBeLessThan(m === 'neon' ? 235 : 160);
    for (let x = 0; x < w; x++) for (const y of [0, 1, h - 2, h - 1]) expect(alphaAt(img, x, y)).toBe(0);
    for (let y = 0; y < h; y++) for (const x of [0, 1, w - 2, w - 1]) expect(alphaAt(img, x, y)).toBe(0);
  });

  it('extrusion and shadow fall on the side away from the light', () => {
    const fromLeft = renders.get('gold')!;
    const fromRight = renderLettering(latin, 'gold', { lightDir: { x: -0.45, y: 0.89 }, seed: 5 });
    // Centre of mass of the partly transparent (shadow) pixels relative to the layer centre.
    const shadowX = (img: RgbaImage) => {
      let sx = 0,
        n = 0;
      for (let y = 0; y < img.height; y++)
        for (let x = 0; x < img.width; x++) {
          const a = alphaAt(img, x, y);
          if (a > 0 && a < 200) {
            sx += x;
            n++;
          }
        }
      return sx / n - img.width / 2;
    };
    expect(shadowX(fromLeft)).toBeGreaterThan(2);
    expect(shadowX(fromRight)).toBeLessThan(-2);
    expect(extrusionDir({ x: 0, y: -1 }).y).toBeGreaterThan(0); // never extruded upwards
  });

  it('materials look different from each other (mean face colour)', () => {
    const means = MATERIAL_IDS.map((m) => meanColour(renders.get(m)!));
    for (let a = 0; a < means.length; a++) {
      for (let b = a + 1; b < means.length; b++) {
        const d = Math.hypot(means[a][0] - means[b][0], means[a][1] - means[b][1], means[a][2] - means[b][2]);
        expect(d, `${MATERIAL_IDS[a]} vs ${MATERIAL_IDS[b]}`).toBeGreaterThan(8);
      }
    }
  });

  it('light-side edges have no dark fringe: edge pixels keep the face colour', () => {
    const img = renders.get('gold')!;
    const lum = (p: number) => 0.2126 * img.data[p] + 0.7152 * img.data[p + 1] + 0.0722 * img.data[p + 2];
    let edge = 0,
      edgeN = 0,
      face = 0,
      faceN = 0;
    const w = img.width;
    for (let y = 3; y < img.height - 3; y++) {
      for (let x = 3; x < w - 3; x++) {
        const p = (y * w + x) * 4;
        const a = img.data[p + 3];
        if (a === 255) {
          face += lum(p);
          faceN++;
        }
        // Top-left edges: transparent up-left, opaque down-right; no shadow or wall lies there.
        if (a > 30 && a < 225 && alphaAt(img, x - 2, y - 2) < 12 && alphaAt(img, x + 2, y + 2) === 255) {
          edge += lum(p);
          edgeN++;
        }
      }
    }
    expect(edgeN).toBeGreaterThan(20);
    expect(edge / edgeN).toBeGreaterThan((face / faceN) * 0.5);
  });

  it('renders Hangul glyphs, not tofu boxes', () => {
    // Every missing glyph draws the same box; real syllables draw different shapes.
    const draw = (s: string) =>
      renderLettering(fitText(s, font, { width: 200, height: 160 }, { maxFontSize: 80 }), 'plastic', { lightDir: LIGHT, seed: 1, depthPx: 0 });
    const ink = (img: RgbaImage) => {
      const out: number[] = [];
      for (let i = 3; i < img.data.length; i += 4) out.push(img.data[i] > 128 ? 1 : 0);
      return out;
    };
    const diff = (a: RgbaImage, b: RgbaImage) => {
      if (a.width !== b.width || a.height !== b.height) return 1;
      const x = ink(a),
        y = ink(b);
      let d = 0;
      for (let i = 0; i < x.length; i++) d += x[i] !== y[i] ? 1 : 0;
      return d / x.length;
    };
    const tofuA = draw('\u{10FFFD}'),
      tofuB = draw('\u{10FFFC}');
    const han = draw('한'),
      geul = draw('글');
    expect(diff(tofuA, tofuB)).toBeLessThan(0.01);
    expect(diff(han, geul)).toBeGreaterThan(0.02);
    expect(diff(han, tofuA)).toBeGreaterThan(0.02);
    expect(diff(geul, tofuA)).toBeGreaterThan(0.02);
  });

  it('Korean headlines render as opaque lettering too', () => {
    const img = renderLettering(korean, 'gold', { lightDir: LIGHT, seed: 5 });
    let opaque = 0;
    for (let i = 3; i < img.data.length; i += 4) if (img.data[i] === 255) opaque++;
    expect(opaque).toBeGreaterThan(img.width * img.height * 0.08);
  });

  it('is deterministic for a seed', () => {
    const a = renderLettering(latin, 'wood', { lightDir: LIGHT, seed: 9 });
    const b = renderLettering(latin, 'wood', { lightDir: LIGHT, seed: 9 });
    const c = renderLettering(latin, 'wood', { lightDir: LIGHT, seed: 10 });
    expect(a.data.equals(b.data)).toBe(true);
    expect(a.data.equals(c.data)).toBe(false);
  });
});

describe('chooseMaterial', () => {
  it.each([
    ['gold metallic 3D text with glossy bevel, studio lighting', 'gold'],
    ['metallic gold', 'gold'],
    ['금색 입체 글자', 'gold'],
    ['황금빛 타이포', 'gold'],
    ['rose gold luxury', 'rose-gold'],
    ['로즈골드 글씨', 'rose-gold'],
    ['silver letters', 'silver'],
    ['은색 금속 글자', 'silver'],
    ['은은한 느낌의 크롬 글자', 'chrome'],
    ['retro chrome', 'chrome'],
    ['shiny metallic', 'chrome'],
    ['pink neon sign', 'neon'],
    ['네온 사인 느낌', 'neon'],
    ['wooden sign', 'wood'],
    ['나무 질감', 'wood'],
    ['carved stone', 'stone'],
    ['돌로 만든 글자', 'stone'],
    ['대리석 질감', 'marble'],
    ['glossy plastic toy', 'plastic'],
    ['플라스틱 장난감', 'plastic'],
    ['crystal glass', 'glass'],
    ['투명한 유리', 'glass'],
    ['candy cane stripes', 'candy'],
    ['달콤한 캔디', 'candy'],
    ['wood and gold', 'wood'],
    ['금속 질감', 'chrome'], // 금속 is "metal", not 금 "gold"
    ['돌에 새긴 글자', 'stone'],
    ['gold로 만든 글자', 'gold'],
    ['bold headline, dramatic', 'gold'],
    ['', 'gold'],
  ])('%j -> %s', (prompt, want) => {
    expect(chooseMaterial(prompt, '')).toBe(want);
  });

  it('the negative prompt excludes materials, in English and Korean', () => {
    expect(chooseMaterial('gold or silver letters', 'gold')).toBe('silver');
    expect(chooseMaterial('금 또는 나무', '금색')).toBe('wood');
    expect(chooseMaterial('bold headline', 'gold, metallic')).not.toMatch(/gold|silver|chrome/);
    expect(chooseMaterial('neon', 'neon')).toBe('gold');
    // The default negative prompt excludes nothing.
    expect(chooseMaterial('gold text', 'low quality, ugly, distorted, flat, 2d, blurry, pixelated, deformed text, unreadable')).toBe('gold');
  });

  it('colour words tint the materials whose colour is free', () => {
    expect(chooseTint('blue neon', 'neon')).toEqual([40, 96, 240]);
    expect(chooseTint('파란색 플라스틱', 'plastic')).toEqual([40, 96, 240]);
    expect(chooseTint('red gold', 'gold')).toBeNull();
    expect(chooseTint('neon sign', 'neon')).toBeNull();
    expect(chooseTint('black neon', 'neon')).toBeNull();
    expect(chooseTint('핑크골드 느낌의 네온', 'neon')).toBeNull(); // a metal's name, not a colour
    const blue = renderLettering(latin, 'neon', { lightDir: LIGHT, seed: 1, tint: chooseTint('blue neon', 'neon') });
    const [r, , b] = meanColour(blue);
    expect(b).toBeGreaterThan(r + 30);
  });
});
