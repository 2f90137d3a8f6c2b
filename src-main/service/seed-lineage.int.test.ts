// The studio's flow with the seed field empty, through the real service and pipeline worker:
// a scene (seed null), a headline on it (start_step 2, seed null), then step 1 again from that
// job with the job's recorded seed (what the studio sends when the product is moved, the ad is
// exported at another size or laid out in other formats). The rerun paints the same backdrop:
// before the fix the headline job recorded a fresh random seed, and the marble veins changed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawSampleBottle } from '../../test/helpers/sample-product';
import { ensureServerBuild, ROOT, WORKER } from '../../test/support/build';
import { GenerateRequestSchema } from '../core/params';
import type { JobRecord, StudioService } from '../core/service';
import { encodePng } from '../imaging/codec';
import { createStudioService } from './studio-service';

let dataDir: string;
let service: StudioService;
let product: string;

beforeAll(async () => {
  ensureServerBuild();
  dataDir = mkdtempSync(join(tmpdir(), 'adforge-seed-lineage-'));
  service = await createStudioService({
    dataDir,
    modelsDir: join(ROOT, 'models'),
    fontDirs: { bundled: join(ROOT, 'fonts'), user: null },
    workerScript: WORKER,
    log: () => {},
  });
  // A cut-out with its own transparency: no segmentation model needed.
  product = (await encodePng(drawSampleBottle(400).image)).toString('base64');
}, 120_000);

afterAll(async () => {
  await service?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function run(body: Record<string, unknown>): Promise<JobRecord> {
  const job = await service.submit(GenerateRequestSchema.parse(body), { queue: true, client: 'test' });
  const t0 = Date.now();
  for (;;) {
    const j = service.get(job.job_id)!;
    if (j.status !== 'pending' && j.status !== 'running') {
      expect(j.status, j.error ?? '').toBe('completed');
      return j;
    }
    if (Date.now() - t0 > 90_000) throw new Error(`timeout: ${JSON.stringify(j)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const pixels = async (job: JobRecord) => (await sharp(service.artifactPath(job.job_id, 'step1')!).raw().toBuffer()).toString('base64');

describe('seed lineage', () => {
  it('a headline job records the seed of the scene it reuses, and step 1 rerun with it paints the same scene', async () => {
    const look = { bg_engine: 'procedural', bg_prompt: 'white marble countertop, soft window light from the left', long_edge: 512 };
    const scene = await run({ ...look, start_step: 1, stop_step: 1, product_image: product, text_content: null, seed: null });
    const headline = await run({ ...look, start_step: 2, stop_step: 2, from_job_id: scene.job_id, text_content: 'Fresh', seed: null });
    expect(headline.parameters.seed).toBe(scene.parameters.seed);
    // Step 1 again from the job on screen (its photo and cut-out reused), with that job's seed.
    const rerun = await run({
      ...look,
      start_step: 1,
      stop_step: 1,
      from_job_id: headline.job_id,
      product_image: null,
      text_content: null,
      seed: headline.parameters.seed,
    });
    expect(await pixels(rerun)).toBe(await pixels(scene));
  }, 240_000);
});
