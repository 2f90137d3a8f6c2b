// Issue 10 "Done when", first bullet: a hostile-input suite, table-driven per API family, over the
// real server process. Every case of items 1-12 a client can send, plus the ones handled before
// (traversal in every name, pixel bombs, XXE SVG, deep JSON, __proto__, huge bodies). Each case
// asserts a 4xx with a JSON detail in the family's own error shape (ComfyUI's where ComfyUI has
// them), no server path in the body, /health answering within 100 ms during and after, and every
// stored job's files unchanged (hashes of runs/, comfy/{input,output,temp}, bridge/, adgen/).
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeTempDirs, startServer, tempDir, waitForJob, type ServerProcess } from '../server/server-process';
import {
  curlPost,
  deepJson,
  json,
  multipart,
  pixelBomb,
  productPng,
  PROTO_JSON,
  request,
  runHostileCase,
  truncatedPng,
  XXE_SVG,
  watchHealth,
  type HostileCase,
  type SuiteContext,
} from './harness';

let server: ServerProcess;
let ctx: SuiteContext;
let base: string;
let storedJob: string;
let bomb: Buffer;
let truncated: Buffer;
let product: Buffer;
const HUGE = 65 * 1024 * 1024;

function adGraph(image: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '1': { class_type: 'AdForgeLoadProductImage', inputs: { image } },
    '2': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'marble',
        bg_negative_prompt: '',
        seed: 5,
        aspect_ratio: '1:1',
        long_edge: 384,
        product_scale: 0.5,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    '3': { class_type: 'AdForge3DText', inputs: { scene: ['2', 0], text: 'SALE', style_prompt: 'gold', negative_prompt: '', font_name: '(default)' } },
    '4': {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.4 },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: 'stored' } },
    ...over,
  };
}

beforeAll(async () => {
  const dataDir = tempDir('hostile');
  // Room for a 3,000-node chain so that it reaches the depth bound (the node bound stays at its default elsewhere).
  server = await startServer({ dataDir, env: { ADFORGE_GRAPH_MAX_NODES: '5000' } });
  base = server.url;
  ctx = { base, dataDir, stored: ['runs', 'comfy/input', 'comfy/output', 'comfy/temp', 'bridge', 'adgen'] };
  [bomb, truncated, product] = await Promise.all([pixelBomb(), truncatedPng(), productPng(240, 320)]);

  // Stored work the hostile requests must never touch: a nanoCocoa job and a ComfyUI prompt.
  const r = await json(base, 'POST', '/generate', { product_image: product.toString('base64'), text_content: '보존', long_edge: 384, seed: 1 });
  expect(r.status).toBe(200);
  storedJob = (r.body as { job_id: string }).job_id;
  expect((await waitForJob(base, storedJob)).status).toBe('completed');
  expect((await multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'stored.png', bytes: product }])).status).toBe(200);
  const p = await json(base, 'POST', '/comfy/prompt', { prompt: adGraph('stored.png') });
  expect(p.status, p.text).toBe(200);
  const id = (p.body as { prompt_id: string }).prompt_id;
  for (let i = 0; i < 600; i++) {
    const h = await request(base, 'GET', `/comfy/history/${id}`);
    if ((h.body as Record<string, unknown>)[id]) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  expect(readdirSync(path.join(dataDir, 'comfy', 'output'))).toContain('stored_00001_.png');
});

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

const fileCount = (dir: string) => (existsSync(dir) ? readdirSync(dir).length : 0);

// ------------------------------------------------------------------ the tables

function nanoCocoaCases(): HostileCase[] {
  const gen = (body: unknown) => () => json(base, 'POST', '/generate', body);
  return [
    { name: 'font_name traversal', send: gen({ text_content: 'x', font_name: '../../../../etc/passwd' }), status: 400, shape: 'detail', match: /font_name/ },
    { name: 'from_job_id traversal', send: gen({ start_step: 3, from_job_id: '../../etc/passwd' }), status: 404, shape: 'detail', match: /from_job_id/ },
    { name: '/files name traversal', send: () => request(base, 'GET', `/files/${storedJob}/..%2F..%2F..%2Fetc%2Fpasswd`), status: 404, shape: 'detail' },
    { name: '/status job id traversal', send: () => request(base, 'GET', '/status/..%2F..%2Fadforge.db'), status: 404, shape: 'detail' },
    {
      name: 'pixel bomb (10000x10000 PNG)',
      send: () => gen({ product_image: bomb.toString('base64') })(),
      status: 413,
      shape: 'detail',
      match: /product_image.*MP/,
    },
    {
      name: 'truncated PNG (header intact)',
      send: () => gen({ product_image: truncated.toString('base64') })(),
      status: 400,
      shape: 'detail',
      match: /product_image.*truncated/,
    },
    { name: 'XXE SVG as the product', send: gen({ product_image: XXE_SVG.toString('base64') }), status: 400, shape: 'detail', match: /product_image/ },
    {
      name: 'JSON nested 10,000 deep',
      send: () => request(base, 'POST', '/generate', deepJson('text_box', 10_000), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
      match: /nested deeper/,
    },
    {
      name: '__proto__ key',
      send: () => request(base, 'POST', '/generate', PROTO_JSON('"text_content":"x"'), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
      match: /__proto__/,
    },
    {
      name: 'body over 64 MiB',
      send: () => curlPost(base, '/generate', JSON.stringify({ product_image: 'A'.repeat(HUGE) })),
      status: 413,
      shape: 'detail',
      match: /too large/,
    },
  ];
}

function studioCases(): HostileCase[] {
  const submit = (body: unknown) => () => json(base, 'POST', '/api/jobs', body);
  return [
    {
      name: 'artifact file traversal',
      send: () => request(base, 'GET', `/api/jobs/${storedJob}/files/..%2F..%2Fadforge.db`),
      status: [400, 404],
      shape: 'detail',
    },
    { name: 'font file traversal', send: () => request(base, 'GET', '/api/fonts/file?name=../../../../etc/passwd'), status: 400, shape: 'detail' },
    { name: 'job id traversal', send: () => request(base, 'GET', '/api/jobs/..%2F..%2Fetc'), status: [400, 404], shape: 'detail' },
    { name: 'pixel bomb upload', send: () => submit({ product_image: bomb.toString('base64') })(), status: 413, shape: 'detail', match: /MP/ },
    { name: 'truncated upload', send: () => submit({ product_image: truncated.toString('base64') })(), status: 400, shape: 'detail', match: /truncated/ },
    { name: 'XXE SVG upload', send: submit({ product_image: XXE_SVG.toString('base64') }), status: 400, shape: 'detail' },
    {
      name: 'JSON nested 10,000 deep',
      send: () => request(base, 'POST', '/api/jobs', deepJson('text_box', 10_000), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
      match: /nested deeper/,
    },
    {
      name: '__proto__ key',
      send: () => request(base, 'POST', '/api/jobs', PROTO_JSON('"text_content":"x"'), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
    },
    { name: 'body over 64 MiB', send: () => curlPost(base, '/api/jobs', JSON.stringify({ product_image: 'A'.repeat(HUGE) })), status: 413, shape: 'detail' },
    // The text controls: colours are #rrggbb only (never CSS or script), text bounded, one line.
    { name: 'text effect colour as script', send: submit({ text_effects: { fill: 'javascript:alert(1)' } }), status: 400, shape: 'detail', match: /fill/ },
    { name: 'second line of 100k characters', send: submit({ sub_text: { text: 'x'.repeat(100_000) } }), status: 400, shape: 'detail', match: /sub_text/ },
    { name: 'second line with a newline', send: submit({ sub_text: { text: 'a\nb' } }), status: 400, shape: 'detail', match: /one line/ },
    { name: 'letter spacing of 1e308', send: submit({ letter_spacing: 1e308 }), status: 400, shape: 'detail', match: /letter_spacing/ },
    { name: 'unknown text effect key', send: submit({ text_effects: { glow: 1 } }), status: 400, shape: 'detail' },
    { name: 'second line without a headline', send: submit({ sub_text: { text: 'Buy now' } }), status: 400, shape: 'detail', match: /needs a headline/ },
  ];
}

function comfyCases(): HostileCase[] {
  const prompt =
    (graph: unknown, extra: Record<string, unknown> = {}) =>
    () =>
      json(base, 'POST', '/comfy/prompt', { prompt: graph, ...extra });
  const inputDir = () => path.join(ctx.dataDir, 'comfy', 'input');
  return [
    {
      name: 'a 1 MB, 10,000-node graph (item 6)',
      send: () => {
        const g: Record<string, unknown> = {};
        for (let i = 0; i < 10_000; i++)
          g[String(i)] = { class_type: 'PreviewImage', inputs: { images: [String(i + 1), 0] }, _meta: { title: `node ${i} padding padding padding padding` } };
        return prompt(g)();
      },
      status: 400,
      shape: 'comfy',
      match: /number of nodes: 10000 exceeds the limit of 5000/,
    },
    {
      name: 'a 3,000-node chain (item 6: no stack overflow)',
      send: () => {
        const g: Record<string, unknown> = { '0': { class_type: 'AdForgeLoadProductImage', inputs: { image: 'stored.png' } } };
        const bg = (adGraph('stored.png')['2'] as { inputs: Record<string, unknown> }).inputs;
        for (let i = 1; i <= 3000; i++) g[String(i)] = { class_type: 'AdForgeBackground', inputs: { ...bg, product: [String(i - 1), 0] } };
        g.out = { class_type: 'SaveImage', inputs: { images: ['3000', 0], filename_prefix: 'x' } };
        return prompt(g)();
      },
      status: 400,
      shape: 'comfy',
      match: /longest chain of linked nodes: \d{4} exceeds the limit of 64/,
    },
    {
      name: 'extra_data nested 6,000 deep (item 7), and history still saves and serves',
      send: () =>
        request(base, 'POST', '/comfy/prompt', `{"prompt":${JSON.stringify(adGraph('stored.png'))},"extra_data":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}`, {
          'content-type': 'application/json',
        }),
      status: 400,
      shape: 'comfy',
      match: /nested deeper than 64 levels/,
      after: async () => {
        const h = await request(base, 'GET', '/comfy/history');
        expect(h.status).toBe(200);
        expect(Object.keys(h.body as object).length).toBeGreaterThanOrEqual(1);
      },
    },
    {
      name: '50 SaveImage nodes (item 8)',
      send: () => {
        const g = adGraph('stored.png');
        for (let i = 0; i < 50; i++) g[`s${i}`] = { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: `fan${i}` } };
        return prompt(g)();
      },
      status: 400,
      shape: 'comfy',
      match: /number of output nodes: 51 exceeds the limit of 8/,
    },
    {
      name: 'a 1 MB input value',
      send: () => prompt(adGraph('stored.png', { '5': { class_type: 'PreviewImage', inputs: { images: ['2', 0], junk: 'x'.repeat(1 << 20) } } }))(),
      status: 400,
      shape: 'comfy',
      match: /exceeds the limit of 65536/,
    },
    {
      name: 'SaveImage prefix traversal',
      send: prompt(adGraph('stored.png', { '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: '../../../../var/evil' } } })),
      status: 400,
      shape: 'comfy',
      match: /filename_prefix/,
    },
    { name: 'LoadImage name traversal', send: prompt(adGraph('../../../../etc/passwd')), status: 400, shape: 'comfy', match: /Invalid image file/ },
    {
      name: '__proto__ in a prompt',
      send: () =>
        request(base, 'POST', '/comfy/prompt', PROTO_JSON(`"prompt":${JSON.stringify(adGraph('stored.png'))}`), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'comfy',
      match: /__proto__/,
    },
    { name: 'body over 64 MiB', send: () => curlPost(base, '/comfy/prompt', JSON.stringify({ prompt: 'A'.repeat(HUGE) })), status: 413, shape: 'comfy' },
    {
      name: 'pixel bomb upload (item 10)',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'bomb.png', bytes: bomb }]),
      status: 413,
      shape: 'comfy',
      match: /MP/,
      after: () => expect(readdirSync(inputDir())).not.toContain('bomb.png'),
    },
    {
      name: 'truncated upload (item 10)',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'cut.png', bytes: truncated }]),
      status: 400,
      shape: 'comfy',
      match: /truncated/,
      after: () => expect(readdirSync(inputDir())).not.toContain('cut.png'),
    },
    {
      name: 'over-long subfolder (item 10: no ENAMETOOLONG 500, no path)',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'ok.png', bytes: product }], { subfolder: 'a'.repeat(300) }),
      status: 400,
      shape: 'comfy',
      match: /subfolder/,
    },
    {
      name: 'over-long file name',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: `${'가'.repeat(100)}.png`, bytes: product }]),
      status: 400,
      shape: 'comfy',
    },
    {
      name: 'upload name traversal',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: '../../../evil.png', bytes: product }]),
      status: 400,
      shape: 'comfy',
    },
    {
      name: 'upload subfolder traversal',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'e.png', bytes: product }], { subfolder: '../../..' }),
      status: 400,
      shape: 'comfy',
    },
    {
      name: 'XXE SVG upload',
      send: () => multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'x.svg', bytes: XXE_SVG }]),
      status: 400,
      shape: 'comfy',
    },
    {
      name: 'mask original_ref traversal',
      send: () =>
        multipart(base, '/comfy/upload/mask', [{ field: 'image', name: 'm.png', bytes: product }], {
          original_ref: JSON.stringify({ filename: '../../adforge.db', type: 'input' }),
        }),
      status: 400,
      shape: 'comfy',
    },
    { name: '/view filename traversal', send: () => request(base, 'GET', '/comfy/view?filename=../../../../etc/passwd'), status: 400, shape: 'comfy-text' },
    {
      name: '/view subfolder traversal',
      send: () => request(base, 'GET', '/comfy/view?filename=passwd&subfolder=../../../../../etc&type=input'),
      status: 403,
      shape: 'comfy-text',
    },
    {
      name: '/view over-long subfolder',
      send: () => request(base, 'GET', `/comfy/view?filename=a.png&subfolder=${'b'.repeat(400)}`),
      status: 400,
      shape: 'comfy-text',
    },
    { name: '/view type traversal', send: () => request(base, 'GET', '/comfy/view?filename=hosts&type=../../etc'), status: 400, shape: 'comfy-text' },
  ];
}

function bridgeCases(): HostileCase[] {
  const inputDir = () => path.join(ctx.dataDir, 'comfy', 'input');
  return [
    {
      name: '11 file parts (item 10: all or nothing)',
      send: async () => {
        const files = Array.from({ length: 11 }, (_, i) => ({ field: `f${i}`, name: `p${i}.png`, bytes: product }));
        const before = fileCount(inputDir());
        const r = await multipart(base, '/bridge/upload', files);
        expect(fileCount(inputDir())).toBe(before);
        return r;
      },
      status: 400,
      shape: 'detail',
      match: /nothing was stored/,
    },
    {
      name: 'one bad part among good ones stores none',
      send: async () => {
        const before = fileCount(inputDir());
        const r = await multipart(base, '/bridge/upload', [
          { field: 'a', name: 'a.png', bytes: product },
          { field: 'b', name: 'b.png', bytes: truncated },
        ]);
        expect(fileCount(inputDir())).toBe(before);
        return r;
      },
      status: 400,
      shape: 'detail',
      match: /truncated/,
    },
    { name: 'pixel bomb upload', send: () => multipart(base, '/bridge/upload', [{ field: 'a', name: 'bomb.png', bytes: bomb }]), status: 413, shape: 'detail' },
    {
      name: 'upload name traversal',
      send: () => multipart(base, '/bridge/upload', [{ field: 'a', name: '../../evil.png', bytes: product }]),
      status: 400,
      shape: 'detail',
    },
    {
      name: 'over-long upload name',
      send: () => multipart(base, '/bridge/upload', [{ field: 'a', name: `${'x'.repeat(300)}.png`, bytes: product }]),
      status: 400,
      shape: 'detail',
    },
    { name: 'XXE SVG upload', send: () => multipart(base, '/bridge/upload', [{ field: 'a', name: 'x.svg', bytes: XXE_SVG }]), status: 400, shape: 'detail' },
    {
      name: 'workflow alias traversal',
      send: () => json(base, 'POST', '/bridge/generate-based-workflow?clientId=h', { workflow: '../../../etc/passwd' }),
      status: 400,
      shape: 'detail',
      match: /unknown workflow/,
    },
    { name: 'result id traversal', send: () => request(base, 'GET', '/bridge/result/..%2F..%2Fadforge.db'), status: 404, shape: 'detail' },
    {
      name: 'JSON nested 10,000 deep',
      send: () => request(base, 'POST', '/bridge/generate-based-workflow?clientId=h', deepJson('workflow', 10_000), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
      match: /nested deeper/,
    },
    {
      name: '__proto__ key',
      send: () =>
        request(base, 'POST', '/bridge/generate-based-workflow?clientId=h', PROTO_JSON('"workflow":"adforge-ad"'), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'detail',
    },
    {
      name: 'body over 64 MiB',
      send: () => curlPost(base, '/bridge/generate-based-workflow?clientId=h', JSON.stringify({ workflow: 'A'.repeat(HUGE) })),
      status: 413,
      shape: 'detail',
    },
    {
      name: 'WebSocket without clientId is an HTTP 400 (item 4)',
      send: () =>
        request(base, 'GET', '/bridge/ws', undefined, {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        }),
      status: 400,
      shape: 'detail',
      match: /clientId/,
    },
  ];
}

function adgenCases(): HostileCase[] {
  return [
    { name: 'run id traversal', send: () => request(base, 'GET', '/adgen/runs/..%2F..%2Fadforge.db'), status: 404, shape: 'fastapi' },
    { name: 'artifact name traversal', send: () => request(base, 'GET', `/adgen/runs/${storedJob}/files/..%2Fparams.json`), status: 404, shape: 'fastapi' },
    { name: 'delete with a traversing id', send: () => request(base, 'DELETE', '/adgen/runs/..%2F..%2Fetc'), status: 400, shape: 'fastapi' },
    {
      name: 'pixel bomb as logo_image',
      send: () => json(base, 'POST', '/adgen/generate', { prompt: 'x', logo_image: bomb.toString('base64') }),
      status: 413,
      shape: 'fastapi',
    },
    {
      name: 'truncated logo_image',
      send: () => json(base, 'POST', '/adgen/generate', { prompt: 'x', logo_image: truncated.toString('base64') }),
      status: 400,
      shape: 'fastapi',
      match: /truncated/,
    },
    {
      name: 'XXE SVG as logo_image',
      send: () => json(base, 'POST', '/adgen/generate', { prompt: 'x', logo_image: XXE_SVG.toString('base64') }),
      status: 400,
      shape: 'fastapi',
    },
    {
      name: 'font_name traversal',
      send: () => json(base, 'POST', '/adgen/generate', { prompt: 'x', text_content: 'x', font_name: '../../etc/passwd' }),
      status: [400, 422],
      shape: 'fastapi',
    },
    {
      name: 'JSON nested 10,000 deep',
      send: () => request(base, 'POST', '/adgen/generate', deepJson('prompt', 10_000), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'fastapi',
      match: /nested deeper/,
    },
    {
      name: '__proto__ key',
      send: () => request(base, 'POST', '/adgen/generate', PROTO_JSON('"prompt":"x"'), { 'content-type': 'application/json' }),
      status: 400,
      shape: 'fastapi',
    },
    { name: 'body over 64 MiB', send: () => curlPost(base, '/adgen/generate', JSON.stringify({ prompt: 'A'.repeat(HUGE) })), status: 413, shape: 'fastapi' },
  ];
}

// ------------------------------------------------------------------ running them

const families: [string, () => HostileCase[]][] = [
  ['nanoCocoa (/)', nanoCocoaCases],
  ['studio (/api)', studioCases],
  ['ComfyUI (/comfy)', comfyCases],
  ['bridge (/bridge)', bridgeCases],
  ['AdGen (/adgen)', adgenCases],
];

for (const [family, cases] of families) {
  describe(`hostile input: ${family}`, () => {
    // Built lazily: the cases read values set in beforeAll.
    for (const name of casesNames(cases)) {
      it(name, async () => {
        const c = cases().find((x) => x.name === name) as HostileCase;
        await runHostileCase(ctx, c);
      });
    }
  });
}

/** Case names without building the cases' bodies (their inputs exist only after beforeAll). */
function casesNames(cases: () => HostileCase[]): string[] {
  return cases().map((c) => c.name);
}

describe('WebSocket frames are bounded on every socket (item 11)', () => {
  const sockets: [string, string][] = [
    ['ComfyUI /comfy/ws', '/comfy/ws?clientId=big'],
    ['bridge /bridge/ws', '/bridge/ws?clientId=big'],
    ['studio /api/events', '/api/events'],
  ];
  /** Opens the socket, sends one frame, resolves with the close code the client saw. */
  async function sendFrame(route: string, size: number): Promise<number> {
    const ws = new WebSocket(base.replace('http', 'ws') + route);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send(Buffer.alloc(size, 0x61));
    return closed;
  }
  for (const [name, route] of sockets) {
    it(`${name}: a frame just over 64 KiB is refused with close code 1009`, async () => {
      expect(await sendFrame(route, 64 * 1024 + 1)).toBe(1009);
      const t0 = performance.now();
      expect((await request(base, 'GET', '/health')).status).toBe(200);
      expect(performance.now() - t0).toBeLessThan(100);
    });
  }
  it('a 90 MiB frame is cut off at its header: the socket closes, the server stays fast', async () => {
    const watch = await watchHealth(base);
    // 1009 when the close frame is read, 1006 when the server's close lands while the client is still writing.
    expect([1006, 1009]).toContain(await sendFrame('/comfy/ws?clientId=huge', 90 * 1024 * 1024));
    const h = await watch.stop();
    expect(h.failures).toBe(0);
    expect(h.max).toBeLessThan(100);
  });
});
