// Segmentation quality on an evaluation set with known alpha: product-like objects (bottles,
// boxes, cans, jars with labels and text) composited over real photographs (test/fixtures/photos,
// public domain / CC0). Reports mean IoU and MAE of the model's matte and of the refined matte,
// checks that the trimmed box holds the product and that the cut-out's edge colours carry less of
// the old background than the photo did. Views are written to <tmp>/adforge-segment-eval.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSegmenter } from '../src-main/engines/segment';
import { type Segmenter } from '../src-main/engines/contracts';
import { refineMatte } from '../src-main/engines/segment/refine';
import { cutOutProduct } from '../src-main/pipeline/cutout';
import type { GrayImage, Rect, RgbaImage } from '../src-main/imaging/types';
import { COMPETING_SUBJECT, highResCases, packshotCases, type EvalCase } from './segment-eval/cases';
import { edgeMae, iou, mae } from './segment-eval/metrics';

const OUT = join(tmpdir(), 'adforge-segment-eval');
const CACHE = join(tmpdir(), 'adforge-test-cache');
// Inference is ~1 s per image on 2 idle cores; a shared machine can be several times slower.
const SLOW = 900_000;

/** Mean colour error (0..255) of soft-edge pixels against the product's true colour. */
function edgeColourError(colours: RgbaImage, offsetX: number, offsetY: number, c: EvalCase): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < c.product.height; y++) {
    for (let x = 0; x < c.product.width; x++) {
      const s = (y * c.product.width + x) * 4;
      const a = c.product.data[s + 3];
      if (a < 40 || a > 215) continue;
      const gx = c.left + x - offsetX;
      const gy = c.top + y - offsetY;
      if (gx < 0 || gy < 0 || gx >= colours.width || gy >= colours.height) continue;
      const d = (gy * colours.width + gx) * 4;
      for (let ch = 0; ch < 3; ch++) sum += Math.abs(colours.data[d + ch] - c.product.data[s + ch]);
      n += 3;
    }
  }
  return n === 0 ? 0 : sum / n;
}

/** Share of the true alpha mass inside the box. */
function coverage(alpha: GrayImage, box: Rect): number {
  let inside = 0;
  let total = 0;
  for (let y = 0; y < alpha.height; y++) {
    for (let x = 0; x < alpha.width; x++) {
      const a = alpha.data[y * alpha.width + x];
      total += a;
      if (x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height) inside += a;
    }
  }
  return total === 0 ? 1 : inside / total;
}

async function saveView(c: EvalCase, raw: GrayImage, refined: GrayImage) {
  const { width: w, height: h } = c.image;
  const gray = (g: GrayImage) =>
    sharp(g.data, { raw: { width: w, height: h, channels: 1 } })
      .toColourspace('srgb')
      .png()
      .toBuffer();
  const tiles = [
    await sharp(c.image.data, { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toBuffer(),
    await gray(c.alpha),
    await gray(raw),
    await gray(refined),
  ];
  const strip = await sharp({ create: { width: w * 4, height: h, channels: 3, background: '#000' } })
    .composite(tiles.map((input, i) => ({ input, left: i * w, top: 0 })))
    .png()
    .toBuffer();
  await sharp(strip)
    .resize({ width: 1600 })
    .png()
    .toFile(join(OUT, `${c.name}.png`));
}

interface Row {
  name: string;
  photo: string;
  iouModel: number;
  iou: number;
  maeModel: number;
  mae: number;
  edgeModel: number;
  edge: number;
  colourPhoto: number;
  colourCutout: number;
  inBox: number;
}

async function evaluate(segmenter: Segmenter, c: EvalCase): Promise<Row> {
  const raw = await segmenter.segment(c.image);
  const refined = await refineMatte(c.image, raw);
  // The cut-out itself, reusing this matte instead of running the model a second time.
  const cut = await cutOutProduct(c.image, false, { ...segmenter, segment: async () => raw });
  await saveView(c, raw, refined);
  return {
    name: c.name,
    photo: c.photo,
    iouModel: iou(raw, c.alpha),
    iou: iou(refined, c.alpha),
    maeModel: mae(raw, c.alpha),
    mae: mae(refined, c.alpha),
    edgeModel: edgeMae(raw, c.alpha, 4),
    edge: edgeMae(refined, c.alpha, 4),
    colourPhoto: edgeColourError(c.image, 0, 0, c),
    colourCutout: cut.engine === segmenter.id ? edgeColourError(cut.image, cut.box.x, cut.box.y, c) : NaN,
    inBox: coverage(c.alpha, cut.box),
  };
}

const mean = (rows: Row[], key: keyof Row) => rows.reduce((s, r) => s + (r[key] as number), 0) / rows.length;

function summarise(label: string, rows: Row[]) {
  return {
    set: label,
    cases: rows.length,
    meanIoU: { model: +mean(rows, 'iouModel').toFixed(4), refined: +mean(rows, 'iou').toFixed(4) },
    meanMAE: { model: +mean(rows, 'maeModel').toFixed(4), refined: +mean(rows, 'mae').toFixed(4) },
    edgeBandMAE: { model: +mean(rows, 'edgeModel').toFixed(4), refined: +mean(rows, 'edge').toFixed(4) },
    edgeColourError: { photo: +mean(rows, 'colourPhoto').toFixed(1), cutout: +mean(rows, 'colourCutout').toFixed(1) },
    productInsideBox: +mean(rows, 'inBox').toFixed(4),
  };
}

const fmt = (r: Row) =>
  `${r.name.padEnd(22)} IoU ${r.iouModel.toFixed(3)} → ${r.iou.toFixed(3)}  MAE ${r.maeModel.toFixed(4)} → ${r.mae.toFixed(4)}  edge ${r.edgeModel.toFixed(3)} → ${r.edge.toFixed(3)}  colour ${r.colourPhoto.toFixed(1)} → ${r.colourCutout.toFixed(1)}  inBox ${(r.inBox * 100).toFixed(1)}%`;

describe('segmentation quality on composites over real photographs', () => {
  let segmenter: Segmenter;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // An empty models dir: this measures the shipped IS-Net, whatever the developer has in models/.
    segmenter = await createSegmenter({ modelsDir: join(tmpdir(), 'adforge-no-models'), cacheDir: CACHE });
  }, SLOW);

  it(
    'packshots (product 60–75% of a 640×480 frame): IoU ≥ 0.95 where the photo has no subject of its own',
    async () => {
      const rows: Row[] = [];
      for (const c of await packshotCases()) rows.push(await evaluate(segmenter, c));
      const plain = rows.filter((r) => !COMPETING_SUBJECT.has(r.photo));
      const competing = rows.filter((r) => COMPETING_SUBJECT.has(r.photo));
      const report = [summarise('background photos', plain), summarise('photos with their own subject', competing), summarise('all', rows)];
      console.log(
        `segmentation eval (${segmenter.id} on ${segmenter.provider}); views in ${OUT}\n${rows.map(fmt).join('\n')}\n${JSON.stringify(report, null, 1)}`,
      );
      expect(report[0].meanIoU.refined).toBeGreaterThan(0.95);
      expect(report[0].meanMAE.refined).toBeLessThan(0.02);
      expect(report[0].productInsideBox).toBeGreaterThan(0.99);
      // A salient-object model also keeps the photo's own subject (an astronaut, a coffee cup):
      // a known limit, reported; the floor only guards against the model collapsing entirely.
      expect(report[2].meanIoU.refined).toBeGreaterThan(0.7);
      // Decontamination: edge pixels are closer to the product's colour than the photo's mix was.
      expect(report[0].edgeColourError.cutout).toBeLessThan(report[0].edgeColourError.photo);
    },
    SLOW,
  );

  it(
    'large photos (1800×1350): full-resolution refinement brings the edges closer to the true alpha',
    async () => {
      const rows: Row[] = [];
      for (const c of await highResCases()) rows.push(await evaluate(segmenter, c));
      const report = summarise('high-res', rows);
      console.log(`${rows.map(fmt).join('\n')}\n${JSON.stringify(report, null, 1)}`);
      expect(report.meanIoU.refined).toBeGreaterThan(0.98);
      expect(report.meanIoU.refined).toBeGreaterThanOrEqual(report.meanIoU.model);
      // Edge band MAE (±4 px around the true edge) improves by at least a quarter.
      expect(report.edgeBandMAE.refined).toBeLessThan(report.edgeBandMAE.model * 0.75);
      expect(report.edgeColourError.cutout).toBeLessThan(report.edgeColourError.photo);
    },
    SLOW,
  );
});
