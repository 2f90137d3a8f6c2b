// Issue 10 item 3 and "Done when": seed 002's own examples (Comfy Cloud API overview), Python and
// TypeScript, run unchanged but for the base URL against our ComfyUI API (/comfy on the main port,
// an API key set, as Comfy Cloud always has): the user check, the full example (submit, poll
// /api/job/{id}/status, /api/jobs/{id} outputs, /api/view 302 → signed URL), the parallel example
// and the WebSocket monitoring flow (submit without client_id, then /ws?clientId=<new uuid>&token=KEY
// must see executing/executed/execution_success for that prompt). The snippets are verbatim copies in
// test/clients/seed002/ (TypeScript as .ts.txt; the WebSocket flow is the seed's steps 1, option B and 3 one after another);
// Python runs them through run.py (top-level await allowed, as the seed's async snippet needs), Node
// after esbuild strips the TypeScript types, with a `Deno.readTextFile` shim for the snippets that
// use it and `writeFile` for step 3, which the seed leaves to the reader's imports.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productColourShare, productPng, removeTempDirs, ROOT, startServer, tempDir, type ServerProcess } from '../server/server-process';

const KEY = 'seed002-local-key';
const DIR = path.join(ROOT, 'test', 'clients', 'seed002');
let server: ServerProcess;
let base: string;
const auth = { 'X-API-Key': KEY };

/** The seed's workflow_api.json shape: node "3" has the seed, node "6" the text (both examples set them). */
const WORKFLOW = {
  '1': { class_type: 'LoadImage', inputs: { image: 'product.png' } },
  '3': {
    class_type: 'AdForgeBackground',
    inputs: {
      product: ['1', 0],
      bg_prompt: 'warm sunset over a marble counter',
      bg_negative_prompt: 'blurry',
      seed: 1,
      aspect_ratio: '1:1',
      long_edge: 384,
      product_scale: 0.55,
      strength: 0.6,
      guidance_scale: 3.5,
      steps: 4,
    },
  },
  '6': {
    class_type: 'AdForge3DText',
    inputs: { scene: ['3', 0], text: 'SALE', style_prompt: 'gold metallic 3D text', negative_prompt: 'blurry', font_name: '(default)' },
  },
  '7': {
    class_type: 'AdForgeCompose',
    inputs: { scene: ['3', 0], text_layer: ['6', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.4 },
  },
  '9': { class_type: 'SaveImage', inputs: { images: ['7', 0], filename_prefix: 'ComfyUI' } },
};

/** Debian's python3 (python3-requests, python3-aiohttp from .ci/run) or the first one on PATH that has both. */
function python(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(candidate, ['-c', 'import requests, aiohttp'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  throw new Error('the seed 002 Python examples need requests and aiohttp: apt-get install python3-requests python3-aiohttp (as .ci/run does)');
}

function workDir(): string {
  const cwd = tempDir('seed002');
  writeFileSync(path.join(cwd, 'workflow_api.json'), JSON.stringify(WORKFLOW, null, 2));
  mkdirSync(path.join(cwd, 'my_outputs'));
  return cwd;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, COMFY_CLOUD_API_KEY: KEY, NO_PROXY: '*', no_proxy: '*' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const runPython = (example: string, cwd: string) => run(python(), [path.join(DIR, 'run.py'), path.join(DIR, example), `${base}/comfy`], cwd);

/**
 * The TypeScript example as Node runs it: types stripped, the base URL swapped, nothing else changed.
 * The snippets are kept as <name>.ts.txt: they are the seed's text, not this project's code, so the
 * type check and lint (which they would fail: loose `any`s, `Deno`) leave them alone.
 */
function runTs(example: string, cwd: string) {
  const source = readFileSync(path.join(DIR, `${example}.txt`), 'utf8')
    .replaceAll('wss://cloud.comfy.org', `${base.replace('http://', 'ws://')}/comfy`)
    .replaceAll('https://cloud.comfy.org', `${base}/comfy`);
  const js = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' }).code;
  const prelude = [
    "import { readFile as __seedReadFile, writeFile as __seedWriteFile } from 'node:fs/promises';",
    "globalThis.Deno = { readTextFile: (p) => __seedReadFile(p, 'utf8') };",
    'globalThis.writeFile = __seedWriteFile;',
    '',
  ].join('\n');
  const file = path.join(cwd, example.replace(/\.ts$/, '.mjs'));
  writeFileSync(file, prelude + js);
  return run(process.execPath, ['--experimental-websocket', file], cwd);
}

async function expectAdPng(file: string): Promise<void> {
  const png = readFileSync(file);
  expect((await sharp(png).metadata()).format).toBe('png');
  expect(await productColourShare(png)).toBeGreaterThan(0.01);
}

async function jobStatus(id: string): Promise<string> {
  const r = await fetch(`${base}/comfy/api/job/${id}/status`, { headers: auth });
  return ((await r.json()) as { status: string }).status;
}

async function waitForStatus(id: string, wanted: string[], timeoutMs = 120_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const s = await jobStatus(id);
    if (wanted.includes(s)) return s;
    if (Date.now() > end) throw new Error(`job ${id} is ${s} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDir('seed002-server'), args: ['--api-key', KEY] });
  base = server.url;
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(await productPng(360, 480))]), 'product.png');
  form.append('overwrite', 'true');
  const up = await fetch(`${base}/comfy/api/upload/image`, { method: 'POST', body: form, headers: auth });
  expect(up.status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

describe('seed 002 examples, unchanged but the base URL', () => {
  it('GET /api/user (Python and TypeScript): the key is a known, active user', async () => {
    const py = await runPython('user.py', workDir());
    expect(py.code, py.output).toBe(0);
    expect(py.output).toContain('user: 200 {"status":"active"}');
    const ts = await runTs('user.ts', workDir());
    expect(ts.code, ts.output).toBe(0);
    expect(await (await fetch(`${base}/comfy/api/user`, { headers: auth })).json()).toEqual({ status: 'active' });
  });

  for (const lang of ['py', 'ts'] as const) {
    it(`full example (${lang === 'py' ? 'Python' : 'TypeScript'}): submit, poll, job outputs, download through the 302`, async () => {
      const cwd = workDir();
      const r = lang === 'py' ? await runPython('full.py', cwd) : await runTs('full.ts', cwd);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/작업 제출됨: [0-9a-f-]{36}/);
      expect(r.output).toMatch(/다운로드 완료: ComfyUI_\d{5}_\.png/);
      const files = readdirSync(cwd).filter((f) => /^ComfyUI_\d{5}_\.png$/.test(f));
      expect(files).toHaveLength(1);
      await expectAdPng(path.join(cwd, files[0]));
    });

    it(`parallel example (${lang === 'py' ? 'Python' : 'TypeScript'}): three seeds submitted at once, all complete`, async () => {
      const r = lang === 'py' ? await runPython('parallel.py', workDir()) : await runTs('parallel.ts', workDir());
      expect(r.code, r.output).toBe(0);
      const ids = [...r.output.matchAll(/작업 제출됨: ([0-9a-f-]{36})/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(3);
      for (const id of ids) expect(await waitForStatus(id, ['completed', 'failed', 'cancelled'])).toBe('completed');
    });

    it(`WebSocket monitoring (${lang === 'py' ? 'Python' : 'TypeScript'}): no client_id, a new clientId + token sees executing/executed/execution_success`, async () => {
      const cwd = workDir();
      const r = lang === 'py' ? await runPython('ws_monitor.py', cwd) : await runTs('ws_monitor.ts', cwd);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/실행 중인 노드: \d/);
      expect(r.output).toContain('작업이 성공적으로 완료되었습니다!');
      expect(r.output).toMatch(/저장됨: \.\/my_outputs\/ComfyUI_\d{5}_\.png/);
      const saved = readdirSync(path.join(cwd, 'my_outputs'));
      expect(saved).toHaveLength(1);
      await expectAdPng(path.join(cwd, 'my_outputs', saved[0]));
    });
  }
});

describe('Comfy Cloud behaviours the examples rely on', () => {
  it('GET /api/view: 302 to a signed, expiring absolute URL that works without the key; tampering is refused', async () => {
    const cwd = workDir();
    const out = await runPython('full.py', cwd);
    expect(out.code, out.output).toBe(0);
    const name = readdirSync(cwd).find((f) => /^ComfyUI_\d{5}_\.png$/.test(f)) as string;
    const view = await fetch(`${base}/comfy/api/view?filename=${name}&subfolder=&type=output`, { headers: auth, redirect: 'manual' });
    expect(view.status).toBe(302);
    const location = view.headers.get('location') as string;
    expect(location).toMatch(new RegExp(`^${base}/comfy/api/view\\?.*expires=\\d+.*signature=`));
    expect(location).not.toContain(KEY);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(readFileSync(path.join(cwd, name)))).toBe(true);
    expect((await fetch(location.replace(name, 'other.png'))).status).toBe(401);
    expect((await fetch(`${base}/comfy/api/view?filename=${name}&type=output`)).status).toBe(401);
    // Local ComfyUI clients keep /view's direct answer.
    expect((await fetch(`${base}/comfy/view?filename=${name}&type=output`, { headers: auth })).status).toBe(200);
  });

  it('a pending job cancelled through /api/jobs/{id}/cancel reads cancelled, not 404, before and after its job ends', async () => {
    const submit = async (seed: number) => {
      const r = await fetch(`${base}/comfy/api/prompt`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: { ...WORKFLOW, '3': { ...WORKFLOW['3'], inputs: { ...WORKFLOW['3'].inputs, seed, long_edge: 1024 } } } }),
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { prompt_id: string }).prompt_id;
    };
    const running = await submit(101);
    const pending = await submit(102);
    expect(await jobStatus(pending)).toBe('pending');
    const c = await fetch(`${base}/comfy/api/jobs/${pending}/cancel`, { method: 'POST', headers: auth });
    expect(await c.json()).toEqual({ cancelled: true });
    expect(await jobStatus(pending)).toBe('cancelled');
    expect(await waitForStatus(running, ['completed', 'failed'])).toBe('completed');
    expect(await jobStatus(pending)).toBe('cancelled');
    const detail = (await (await fetch(`${base}/comfy/api/jobs/${pending}`, { headers: auth })).json()) as { status: string };
    expect(detail.status).toBe('cancelled');
  });
});

describe('.ci/run installs what these examples need', () => {
  it('lists python3-requests and python3-aiohttp', () => {
    const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/pkgs=\([^)]*python3-requests[^)]*\)/);
    expect(ci).toMatch(/pkgs=\([^)]*python3-aiohttp[^)]*\)/);
    expect(existsSync(path.join(DIR, 'run.py'))).toBe(true);
  });
});
