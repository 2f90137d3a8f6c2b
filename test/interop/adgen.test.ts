// The AdGen runs family driven as its clients do (seed 003): generate, list, run detail with
// artifact URLs that serve real images, finalize (repeated calls share one ZIP build), download of
// that ZIP, cancel that really stops the job, delete, and FastAPI-style errors for bad input.
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, magentaShare, productPng, sleep, startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** Entry names and (stored) bytes of a ZIP, read from its central directory. */
function readZip(zip: Buffer): Map<string, Buffer | null> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer | null>();
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(p + 10);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    out.set(name, method === 0 ? zip.subarray(dataAt, dataAt + size) : null);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

type Meta = {
  run_id: string;
  status: string;
  artifacts: { filename: string; type: string; url: string }[];
  inputs: Record<string, unknown>;
  created_at: string;
  finished_at: string | null;
};

describe('AdGen runs API', () => {
  it('health and detailed health report storage, database, engines and GPU', async () => {
    expect((await http(stack.main, 'GET', '/adgen/health')).body).toEqual({ ok: true });
    const d = await http(stack.main, 'GET', '/adgen/health/detailed');
    expect(d.status).toBe(200);
    expect(d.body).toMatchObject({ api: 'ok', storage: 'ok', database: 'ok', ok: true, gpu: 'none (CPU)' });
    expect(d.body).toHaveProperty('engines');
    expect(typeof d.body.timestamp).toBe('number');
  });

  it('generate -> runs -> finalize (twice at once) -> artifact URLs -> ZIP download -> delete', async () => {
    const gen = await http(stack.main, 'POST', '/adgen/generate', {
      prompt: 'sunlit marble counter with soft shadows',
      negative_prompt: 'blurry',
      seed: 12345,
      logo_image: (await productPng()).toString('base64'),
      text_content: 'AdGen',
      long_edge: 512,
    });
    expect(gen.status).toBe(200);
    const runId = gen.body.run_id as string;
    expect(['RUNNING', 'PENDING']).toContain(gen.body.status);
    expect(gen.body.prompt_id).toBe(runId);

    const runs = (await http(stack.main, 'GET', '/adgen/runs')).body as unknown as Record<string, unknown>[];
    expect(runs[0]).toMatchObject({ run_id: runId, prompt: 'sunlit marble counter with soft shadows' });
    expect(String(runs[0].created_at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);

    const [a, b] = await Promise.all([http<Meta>(stack.main, 'POST', `/adgen/finalize/${runId}`), http<Meta>(stack.main, 'POST', `/adgen/finalize/${runId}`)]);
    expect(a.body).toEqual(b.body);
    expect(a.body).toMatchObject({
      run_id: runId,
      status: 'COMPLETED',
      inputs: { prompt: 'sunlit marble counter with soft shadows', negative_prompt: 'blurry', seed: 12345 },
    });
    expect(a.body.finished_at).toMatch(/\+0000$/);
    const names = a.body.artifacts.map((x) => x.filename);
    expect(names).toEqual(expect.arrayContaining(['final.png', 'step1.png', 'step2.png']));
    for (const art of a.body.artifacts) {
      const r = await fetch(stack.main + art.url);
      expect(r.status, art.url).toBe(200);
      expect(r.headers.get('content-type')).toBe('image/png');
    }
    const finalPng = Buffer.from(await (await fetch(stack.main + `/adgen/runs/${runId}/files/final.png`)).arrayBuffer());
    expect((await sharp(finalPng).metadata()).width).toBe(512);
    expect(await magentaShare(finalPng)).toBeGreaterThan(0.02);

    const dl = await fetch(`${stack.main}/adgen/download/${runId}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-type')).toBe('application/zip');
    const zip = readZip(Buffer.from(await dl.arrayBuffer()));
    expect([...zip.keys()]).toEqual(expect.arrayContaining(['meta.json', 'final.png', 'step1.png', 'params.json']));
    expect(zip.get('final.png')?.equals(finalPng)).toBe(true);

    const del = await fetch(`${stack.main}/adgen/runs/${runId}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await http(stack.main, 'GET', `/adgen/runs/${runId}`)).status).toBe(404);
    expect((await http(stack.main, 'GET', `/adgen/download/${runId}`)).status).toBe(404);
    expect(stack.service.get(runId)).toBeUndefined();
  });

  it('cancel really stops the work', async () => {
    const gen = await http(stack.main, 'POST', '/adgen/generate', {
      prompt: 'neon street at night',
      text_content: 'STOP',
      product_image: (await productPng()).toString('base64'),
    });
    const runId = gen.body.run_id as string;
    while ((await http<Meta>(stack.main, 'GET', `/adgen/runs/${runId}`)).body.status !== 'RUNNING') await sleep(25);
    const cancelled = await http<Meta>(stack.main, 'POST', `/adgen/runs/${runId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    // The lane is free again and nothing more is produced for the cancelled run.
    expect(stack.service.counts().active_jobs).toBe(0);
    await sleep(500);
    const after = await http<Meta>(stack.main, 'GET', `/adgen/runs/${runId}`);
    expect(after.body.status).toBe('CANCELLED');
    expect(after.body.artifacts.map((x) => x.filename)).not.toContain('final.png');
    expect(stack.service.artifactPath(runId, 'final')).toBeUndefined();
  });

  it("bad input: FastAPI-style 422s, 400 for a bad image or run id, 404 for other families' jobs", async () => {
    const missing = await http(stack.main, 'POST', '/adgen/generate', {});
    expect(missing.status).toBe(422);
    expect(missing.body.detail).toEqual([{ type: 'missing', loc: ['body', 'prompt'], msg: 'Field required' }]);
    const seed = await http(stack.main, 'POST', '/adgen/generate', { prompt: 'x', seed: -1 });
    expect(seed.status).toBe(422);
    expect((seed.body.detail as { loc: string[] }[])[0].loc).toEqual(['body', 'seed']);
    const font = await http(stack.main, 'POST', '/adgen/generate', { prompt: 'x', text_position: 'middle' });
    expect(font.status).toBe(422);
    const img = await http(stack.main, 'POST', '/adgen/generate', { prompt: 'x', logo_image: Buffer.from('not an image at all').toString('base64') });
    expect(img.status).toBe(400);
    expect(typeof img.body.detail).toBe('string');
    expect((await http(stack.main, 'DELETE', '/adgen/runs/bad$id')).status).toBe(400);
    expect((await http(stack.main, 'POST', '/adgen/finalize/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await http(stack.main, 'GET', '/adgen/health')).status).toBe(200);
  });
});
