// Issue 2 "Bad input": each bad request gets a JSON detail naming the field, the server keeps
// serving, and a job stored earlier is untouched (its final.png bytes are unchanged).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, fileBytes, productPng, startServer, removeTempDirs, tempDir, waitForJob, type ServerProcess } from './server-process';

let server: ServerProcess;
let base: string;
let storedJob: string;
let storedFinal: Buffer;

beforeAll(async () => {
  server = await startServer({ dataDir: tempDir('bad') });
  base = server.url;
  const product = await productPng();
  const r = await api(base, 'POST', '/generate', { product_image: product.toString('base64'), text_content: '보존될 작업', seed: 3 });
  expect(r.status).toBe(200);
  storedJob = r.body.job_id as string;
  expect((await waitForJob(base, storedJob)).status).toBe('completed');
  storedFinal = (await fileBytes(base, `/files/${storedJob}/final.png`)).bytes;
  expect(storedFinal.length).toBeGreaterThan(1000);
});

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

async function expectServingAndIntact(): Promise<void> {
  expect((await api(base, 'GET', '/health')).status).toBe(200);
  const s = await api(base, 'GET', `/status/${storedJob}?include_images=false`);
  expect(s.body.status).toBe('completed');
  expect((await fileBytes(base, `/files/${storedJob}/final.png`)).bytes.equals(storedFinal)).toBe(true);
}

/** Raw POST so a body can be sent byte for byte (malformed JSON, huge bodies). */
function rawPost(route: string, body: Buffer | string, contentType = 'application/json'): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const u = new URL(base + route);
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The server answers 413 as soon as it sees the Content-Length and closes the connection; curl
 * (like Python requests) still reads that answer, while Node's http client may report EPIPE first.
 */
async function curlPostFile(route: string, body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const file = path.join(tempDir('bigbody'), 'body.json');
  writeFileSync(file, body);
  const r = spawnSync(
    'curl',
    ['-s', '-o', '-', '-w', '\\n%{http_code}', '-X', 'POST', '-H', 'content-type: application/json', '--data-binary', `@${file}`, base + route],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const lines = r.stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n') || '{}') };
}

interface Case {
  name: string;
  send: () => Promise<{ status: number; body: Record<string, unknown> }>;
  status: number;
  field: string;
  detail?: RegExp;
}

const post = (body: unknown) => () => api(base, 'POST', '/generate', body);

describe('bad input', () => {
  const cases: Case[] = [
    { name: 'invalid base64', send: post({ product_image: '@@@ not base64 ###' }), status: 400, field: 'product_image' },
    {
      name: 'bytes that are not an image',
      send: post({ product_image: Buffer.from('hello, I am a text file, not a photo').toString('base64') }),
      status: 400,
      field: 'product_image',
    },
    {
      name: 'truncated PNG in step1_image',
      send: async () =>
        api(base, 'POST', '/generate', { start_step: 2, text_content: 'x', step1_image: (await productPng()).subarray(0, 60).toString('base64') }),
      status: 400,
      field: 'step1_image',
    },
    {
      name: 'image over 40 megapixels',
      send: async () => {
        const huge = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#336699' } })
          .png({ compressionLevel: 9 })
          .toBuffer();
        expect(huge.length).toBeLessThan(2 * 1024 * 1024); // tiny bytes, huge pixels
        return api(base, 'POST', '/generate', { product_image: huge.toString('base64') });
      },
      status: 413,
      field: 'product_image',
    },
    {
      name: 'body over the 64 MiB limit',
      send: () => curlPostFile('/generate', JSON.stringify({ product_image: 'A'.repeat(65 * 1024 * 1024) })),
      status: 413,
      field: 'body',
    },
    { name: 'unknown font_name', send: post({ text_content: 'x', font_name: 'NoSuchFamily/NoSuchFont.ttf' }), status: 400, field: 'font_name' },
    { name: 'path-traversing font_name', send: post({ text_content: 'x', font_name: '../../../../etc/passwd' }), status: 400, field: 'font_name' },
    {
      name: 'absolute font_name',
      send: post({ text_content: 'x', font_name: '/usr/share/fonts/truetype/nanum/NanumGothic.ttf' }),
      status: 400,
      field: 'font_name',
    },
    { name: 'out-of-range number', send: post({ guidance_scale: 20.5 }), status: 400, field: 'guidance_scale', detail: /^guidance_scale: must be <= 20$/ },
    { name: 'out-of-range integer', send: post({ num_inference_steps: 0 }), status: 400, field: 'num_inference_steps', detail: /must be >= 1/ },
    { name: 'wrong-typed number', send: post({ strength: 'strong' }), status: 400, field: 'strength', detail: /must be number, got string/ },
    { name: 'wrong-typed integer', send: post({ start_step: '2' }), status: 400, field: 'start_step' },
    { name: 'unknown enum value', send: post({ text_position: 'left' }), status: 400, field: 'text_position' },
    { name: 'start_step 2 without step1_image or from_job_id', send: post({ start_step: 2, text_content: 'x' }), status: 400, field: 'step1_image' },
    {
      name: 'start_step 3 without step2_image',
      send: async () => api(base, 'POST', '/generate', { start_step: 3, step1_image: (await productPng(64, 64)).toString('base64') }),
      status: 400,
      field: 'step2_image',
    },
    {
      name: 'unknown from_job_id',
      send: post({ start_step: 2, text_content: 'x', from_job_id: '00000000-0000-4000-8000-000000000000' }),
      status: 404,
      field: 'from_job_id',
    },
    {
      name: 'malformed JSON',
      send: () => rawPost('/generate', '{"start_step": 1, "text_content": "oops"'),
      status: 400,
      field: 'body',
      detail: /^Malformed JSON body: /,
    },
    { name: 'JSON that is not an object', send: () => rawPost('/generate', '[1,2,3]'), status: 400, field: 'body' },
    { name: 'unknown job id (status)', send: () => api(base, 'GET', '/status/00000000-0000-4000-8000-000000000000'), status: 404, field: 'Job not found' },
    { name: 'unknown job id (stop)', send: () => api(base, 'POST', '/stop/not-a-job'), status: 404, field: 'Job not found' },
    { name: 'unknown job id (delete)', send: () => api(base, 'DELETE', '/jobs/not-a-job'), status: 404, field: 'Job not found' },
  ];

  for (const c of cases) {
    it(`${c.name} -> ${c.status} naming ${c.field}`, async () => {
      const r = await c.send();
      expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(c.status);
      expect(typeof r.body.detail).toBe('string');
      expect(r.body.detail as string).toContain(c.field);
      if (c.detail) expect(r.body.detail as string).toMatch(c.detail);
      await expectServingAndIntact();
    });
  }

  it('the lane is still free and a valid job still runs after all of that', async () => {
    const ok = await api(base, 'POST', '/generate', { start_step: 3, from_job_id: storedJob, text_position: 'bottom' });
    expect(ok.status).toBe(200);
    expect((await waitForJob(base, ok.body.job_id as string)).status).toBe('completed');
    await expectServingAndIntact();
  });
});
