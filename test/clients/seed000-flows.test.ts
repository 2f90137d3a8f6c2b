// Issue 10 item 1 and "Done when": seed 000's workflow examples §3.2 (text again, from step 2) and
// §3.3 (composition again, step 3 only), with exactly the seed's request bodies, the images taken
// from an earlier job's GET /status as the seed says. §3.3 sends no text_content: the supplied
// step2_image must still be composited (it used to come back as final == step1, step2 null).
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, productPng, removeTempDirs, startServer, tempDir, waitForJob, type ServerProcess, type StatusBody } from '../server/server-process';

let server: ServerProcess;
let base: string;
let previous: StatusBody;

/** Mean absolute difference of two same-size images over a region (fractions of the frame). */
async function regionDiff(a: Buffer, b: Buffer, region: { top: number; bottom: number }): Promise<number> {
  const ra = await sharp(a).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const rb = await sharp(b).removeAlpha().raw().toBuffer();
  const { width, height } = ra.info;
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(height * region.top); y < Math.floor(height * region.bottom); y++) {
    for (let x = 0; x < width * 3; x++) {
      sum += Math.abs(ra.data[y * width * 3 + x] - rb[y * width * 3 + x]);
      n++;
    }
  }
  return sum / n;
}

async function finished(jobId: string): Promise<StatusBody> {
  expect((await waitForJob(base, jobId, 180_000)).status).toBe('completed');
  return (await api<StatusBody>(base, 'GET', `/status/${jobId}`)).body;
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDir('seed000-flows') });
  base = server.url;
  // §3.1, the job the later flows start from.
  const r = await api(base, 'POST', '/generate', {
    start_step: 1,
    product_image: (await productPng()).toString('base64'),
    bg_prompt: 'modern office with natural lighting',
    text_content: 'New Product',
    font_name: 'NanumSquare/NanumSquareB.ttf',
    long_edge: 512,
  });
  expect(r.status).toBe(200);
  previous = await finished(r.body.job_id as string);
  expect(previous.step1_result).toBeTruthy();
  expect(previous.step2_result).toBeTruthy();
});

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('seed 000 workflow examples', () => {
  it('§3.2 text again from step 2: the step 1 result of GET /status/previous-job-id, a new headline and font', async () => {
    const r = await api(base, 'POST', '/generate', {
      start_step: 2,
      step1_image: previous.step1_result,
      text_content: 'Different Text',
      text_model_prompt: 'gold metallic text with shadow',
      font_name: 'NanumGothic/NanumGothic.ttf',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('started');
    const s = await finished(r.body.job_id as string);
    expect(s.step2_result).toBeTruthy();
    expect(s.final_result).toBeTruthy();
    // The final really carries a headline over the reused scene, and the layer is a new one.
    const step1 = Buffer.from(s.step1_result as string, 'base64');
    const final = Buffer.from(s.final_result as string, 'base64');
    expect(await regionDiff(step1, final, { top: 0, bottom: 1 })).toBeGreaterThan(1);
    const layer = await sharp(Buffer.from(s.step2_result as string, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const before = await sharp(Buffer.from(previous.step2_result as string, 'base64'))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(layer.info.width === before.info.width && layer.info.height === before.info.height && layer.data.equals(before.data)).toBe(false);
    expect(s.parameters).toMatchObject({ text_content: 'Different Text', font_name: 'NanumGothic/NanumGothic.ttf' });
    expect(s.reused_steps).toEqual(['step1_background']);
  });

  it('§3.3 composition only: step1_image + step2_image, blend, center, no text_content: the text layer is composited', async () => {
    const r = await api(base, 'POST', '/generate', {
      start_step: 3,
      step1_image: previous.step1_result,
      step2_image: previous.step2_result,
      composition_mode: 'blend',
      text_position: 'center',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const s = await finished(r.body.job_id as string);
    expect(s.step2_result, 'the supplied text layer is kept as step 2').toBeTruthy();
    expect(s.final_result).toBeTruthy();
    expect(s.final_result).not.toBe(s.step1_result);
    expect(s.parameters).toMatchObject({ composition_mode: 'blend', text_position: 'center', text_content: null });
    const step1 = Buffer.from(s.step1_result as string, 'base64');
    const final = Buffer.from(s.final_result as string, 'base64');
    // The headline sits in the centre band; the top stays the scene.
    expect(await regionDiff(step1, final, { top: 0.3, bottom: 0.7 })).toBeGreaterThan(2);
    expect(await regionDiff(step1, final, { top: 0, bottom: 0.1 })).toBeLessThan(await regionDiff(step1, final, { top: 0.3, bottom: 0.7 }));
  });
});
