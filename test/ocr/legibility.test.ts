// Legibility evidence: finished ads across every lettering material × composition mode, Latin and
// Korean headlines, read back with PaddleOCR. Latin: normalised exact read-back and CER. Korean:
// the shipped PP-OCRv4 dictionary has no Hangul, so only detection of the headline region can be
// measured. Writes /tmp/compose/legibility.json and a contact sheet of the finals.
import { mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompositionMode, TextPosition } from '../../src-main/core/params';
import { MATERIAL_IDS, type MaterialId } from '../../src-main/engines/procedural/materials';
import { runStep3 } from '../../src-main/pipeline/step3-compose';
import type { RgbaImage } from '../../src-main/imaging/types';
import type { StepContext } from '../../src-main/pipeline/types';
import { makeScene, makeTextLayer, SCENE_PROMPTS, type Scene } from './ad-fixtures';
import { PaddleOcr } from './paddle-ocr';
import { cer, readsBack } from './text-metrics';

const OUT = '/tmp/compose/legibility';
const SIZE = 640;
/** 66 ads per test on a shared 2-core machine: minutes, not the default two. */
const LONG = 600_000;
const LATIN = ['SUMMER SALE', 'Fresh Coffee'];
const KOREAN = ['여름 세일', '신선한 커피'];
/** Each mode at the position it is typically used with; behind crosses the product on purpose. */
const MODES: { mode: CompositionMode; position: TextPosition }[] = [
  { mode: 'overlay', position: 'top' },
  { mode: 'blend', position: 'auto' },
  { mode: 'behind', position: 'center' },
];

interface Row {
  material: MaterialId;
  mode: CompositionMode;
  look: string;
  headline: string;
  read: string;
  exact: boolean;
  cer: number;
  /** Share of the placed text box covered by detected text boxes. */
  detected: number;
  file: string;
}

const ctx: StepContext = { signal: new AbortController().signal, seed: 7, log: () => {}, progress: () => {} };

/** Share of `box` covered by the union of `boxes` (16×16 sampling grid). */
function coverage(box: { x: number; y: number; width: number; height: number }, boxes: { x: number; y: number; width: number; height: number }[]): number {
  let hit = 0;
  const n = 16;
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const x = box.x + ((i + 0.5) * box.width) / n,
        y = box.y + ((j + 0.5) * box.height) / n;
      if (boxes.some((b) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height)) hit++;
    }
  return hit / (n * n);
}

describe('legibility of finished ads (PaddleOCR read-back)', () => {
  let ocr: PaddleOcr;
  const scenes: Scene[] = [];
  const rows: Row[] = [];
  const finals: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    ocr = await PaddleOcr.load();
    for (let i = 0; i < SCENE_PROMPTS.length; i++) scenes.push(await makeScene(SCENE_PROMPTS[i], SIZE, 11 + i));
  }, LONG);

  afterAll(async () => {
    await ocr?.release();
  });

  async function run(headlines: string[], recognise: boolean): Promise<Row[]> {
    const out: Row[] = [];
    for (const [mi, material] of MATERIAL_IDS.entries()) {
      const scene = scenes[mi % scenes.length];
      for (const [hi, headline] of headlines.entries()) {
        const text = await makeTextLayer(headline, material, scene, 100 + mi);
        // The prompt names the material; the lettering engine must have picked it.
        expect(text.material).toBe(material);
        const layer = text.image;
        for (const { mode, position } of MODES) {
          const r = await runStep3(
            { background: scene.image, textLayer: layer, productMask: scene.mask, scene: scene.info, mode, position, box: null, strength: 0.4 },
            ctx,
          );
          const region = { x: r.placed.x - 8, y: r.placed.y - 8, width: r.placed.width + 16, height: r.placed.height + 16 };
          const boxes = await ocr.detect(r.image);
          const read = recognise ? await ocr.readBoxes(r.image, boxes, region) : { text: '' };
          const detected = coverage(r.placed, boxes);
          const file = `${OUT}/${material}-${mode}-${hi}${/[\uac00-\ud7a3]/u.test(headline) ? '-ko' : ''}.png`;
          await save(r.image, file);
          finals.push(file);
          out.push({
            material,
            mode,
            look: scene.info.look,
            headline,
            read: read.text,
            exact: readsBack(headline, read.text),
            cer: cer(headline, read.text),
            detected,
            file,
          });
        }
      }
    }
    return out;
  }

  it(
    'reads Latin headlines back across all materials and modes',
    async () => {
      const latin = await run(LATIN, true);
      rows.push(...latin);
      const rate = latin.filter((r) => r.exact).length / latin.length;
      const meanCer = latin.reduce((s, r) => s + r.cer, 0) / latin.length;
      const byMode = Object.fromEntries(
        MODES.map(({ mode }) => [mode, latin.filter((r) => r.mode === mode && r.exact).length / latin.filter((r) => r.mode === mode).length]),
      );
      const byMaterial = Object.fromEntries(
        MATERIAL_IDS.map((m) => [m, latin.filter((r) => r.material === m && r.exact).length / latin.filter((r) => r.material === m).length]),
      );
      const failures = latin.filter((r) => !r.exact).map((r) => `${r.material}/${r.mode}: "${r.headline}" → "${r.read}"`);
      const cerByMode = Object.fromEntries(
        MODES.map(({ mode }) => [mode, latin.filter((r) => r.mode === mode).reduce((s, r) => s + r.cer, 0) / latin.filter((r) => r.mode === mode).length]),
      );
      writeFileSync(
        `${OUT}/../legibility-latin.json`,
        JSON.stringify({ ads: latin.length, rate, meanCer, byMode, cerByMode, byMaterial, failures, rows: latin }, null, 2),
      );
      console.log(`Latin read-back ${(rate * 100).toFixed(1)}% of ${latin.length}, mean CER ${meanCer.toFixed(3)}`, byMode, cerByMode, failures);
      expect(latin.length).toBe(MATERIAL_IDS.length * LATIN.length * MODES.length);
      // Overlay and blend must read back; behind hides the letters the product stands in front of
      // (by design), so there only the visible share is held to a floor, by CER.
      expect(byMode.overlay).toBeGreaterThanOrEqual(0.9);
      expect(byMode.blend).toBeGreaterThanOrEqual(0.9);
      const behindCer = latin.filter((r) => r.mode === 'behind').reduce((s, r) => s + r.cer, 0) / latin.filter((r) => r.mode === 'behind').length;
      expect(behindCer).toBeLessThanOrEqual(0.35);
      expect(rate).toBeGreaterThan(0);
    },
    LONG,
  );

  it(
    'detects Korean headlines (this model cannot read Hangul; detection is what can be measured)',
    async () => {
      const korean = await run(KOREAN, false);
      rows.push(...korean);
      const found = korean.filter((r) => r.detected >= 0.5).length / korean.length;
      const meanCoverage = korean.reduce((s, r) => s + r.detected, 0) / korean.length;
      const byMode = Object.fromEntries(
        MODES.map(({ mode }) => [mode, korean.filter((r) => r.mode === mode && r.detected >= 0.5).length / korean.filter((r) => r.mode === mode).length]),
      );
      writeFileSync(`${OUT}/../legibility-korean.json`, JSON.stringify({ ads: korean.length, found, meanCoverage, byMode, rows: korean }, null, 2));
      console.log(`Korean headline region detected in ${(found * 100).toFixed(1)}% of ${korean.length}, mean coverage ${meanCoverage.toFixed(2)}`, byMode);
      expect(found).toBeGreaterThanOrEqual(0.8);
    },
    LONG,
  );

  it('writes a contact sheet of the finals', async () => {
    const tile = 192,
      cols = 12;
    const comps = await Promise.all(
      finals.map(async (f, i) => ({ input: await sharp(f).resize(tile, tile).png().toBuffer(), left: (i % cols) * tile, top: Math.floor(i / cols) * tile })),
    );
    await sharp({ create: { width: cols * tile, height: Math.ceil(finals.length / cols) * tile, channels: 3, background: '#333' } })
      .composite(comps)
      .png()
      .toFile('/tmp/compose/legibility-sheet.png');
    expect(finals.length).toBe(rows.length);
  });
});

async function save(image: RgbaImage, file: string): Promise<void> {
  await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } })
    .png({ compressionLevel: 1 })
    .toFile(file);
}
