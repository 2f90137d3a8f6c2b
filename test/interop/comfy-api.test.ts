// The ComfyUI family's contract beyond the happy path: bad graphs, unknown classes, missing inputs,
// traversal in /view and upload names, oversized and non-image uploads (each with ComfyUI's error
// shape, the server serving on), the API key, queue delete, interrupt, a reconnect with the same
// clientId, and the keep-alive that stops SDK clients from declaring the socket dead.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComfyServer } from '../../src-main/server/families/comfy';
import { adGraph, http, productPng, sleep, startStack, upload, type Stack } from './harness';

let stack: Stack;
const MAX_UPLOAD = 300_000;

beforeAll(async () => {
  stack = await startStack({ heartbeatMs: 1500, maxUploadBytes: MAX_UPLOAD });
});
afterAll(async () => {
  await stack?.close();
});

type Msg = { type: string; data: Record<string, unknown> };
function socket(clientId: string): Promise<{ ws: WebSocket; msgs: Msg[] }> {
  const ws = new WebSocket(`ws://${stack.comfyHostPort}/ws?clientId=${clientId}`);
  const msgs: Msg[] = [];
  ws.on('message', (d, bin) => {
    if (!bin) msgs.push(JSON.parse(d.toString()));
  });
  return new Promise((resolve) => ws.once('open', () => resolve({ ws, msgs })));
}
async function until(pred: () => boolean, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(25);
  }
}

describe('ComfyUI family: bad input gets ComfyUI error shapes and the server keeps serving', () => {
  it('bad graphs, unknown classes, missing inputs, bad prompt_id', async () => {
    await upload(stack.comfy, '/upload/image', 'image', await productPng(), 'p.png');
    const noPrompt = await http(stack.comfy, 'POST', '/prompt', { client_id: 'x' });
    expect(noPrompt.status).toBe(400);
    expect(noPrompt.body).toEqual({
      error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
      node_errors: {},
    });

    const notJson = await http(stack.comfy, 'POST', '/prompt', '{"prompt": ', { 'content-type': 'text/plain' });
    expect(notJson.status).toBe(400);
    expect((notJson.body.error as { type: string }).type).toBe('invalid_prompt');

    const unknown = await http(stack.comfy, 'POST', '/prompt', { prompt: { ...adGraph('p.png'), '5': { class_type: 'CheckpointLoaderSimple', inputs: {} } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: 'missing_node_type', details: "Node ID '#5'" });

    const g = adGraph('p.png');
    delete (g['3'] as { inputs: Record<string, unknown> }).inputs.text;
    const missing = await http(stack.comfy, 'POST', '/api/prompt', { prompt: g });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: 'prompt_outputs_failed_validation' });
    expect(missing.body.node_errors).toEqual({
      '3': {
        errors: [{ type: 'required_input_missing', message: 'Required input is missing', details: 'text', extra_info: { input_name: 'text' } }],
        dependent_outputs: ['9'],
        class_type: 'AdForge3DText',
      },
    });

    const badId = await http(stack.comfy, 'POST', '/prompt', { prompt: adGraph('p.png'), prompt_id: 'not-a-uuid' });
    expect(badId.status).toBe(400);
    expect((badId.body.error as { type: string }).type).toBe('invalid_prompt_id');

    // Nothing was queued by any of these.
    expect((await http(stack.comfy, 'GET', '/queue')).body).toEqual({ queue_running: [], queue_pending: [] });
    expect((await http(stack.comfy, 'GET', '/object_info/NoSuchNode')).body).toEqual({});
    expect((await http(stack.comfy, 'GET', '/object_info/AdForgeCompose')).body).toHaveProperty('AdForgeCompose.input.required.text_position');
  });

  it('traversal in /view and upload names, non-image and oversized uploads', async () => {
    expect((await http(stack.comfy, 'GET', '/view?filename=../../../../etc/passwd')).status).toBe(400);
    expect((await http(stack.comfy, 'GET', '/view?filename=passwd&subfolder=../../../../../etc&type=input')).status).toBe(403);
    expect((await http(stack.comfy, 'GET', '/view?filename=hosts&type=../../etc')).status).toBe(400);
    expect((await http(stack.comfy, 'GET', '/view?filename=nothing.png')).status).toBe(404);

    const png = await productPng(60, 80);
    const evil = await upload(stack.comfy, '/upload/image', 'image', png, '../../evil.png');
    expect(evil.status).toBe(400);
    expect(evil.body).toMatchObject({ error: { type: 'invalid_upload' }, node_errors: {} });
    const sub = await upload(stack.comfy, '/upload/image', 'image', png, 'ok.png', { subfolder: '../../..' });
    expect(sub.status).toBe(400);
    expect(existsSync(join(stack.dataDir, 'evil.png')) || existsSync(join(stack.dataDir, 'comfy', 'evil.png'))).toBe(false);

    const text = await upload(stack.comfy, '/upload/image', 'image', Buffer.from('<?php system($_GET[1]); ?>'), 'shell.png');
    expect(text.status).toBe(400);
    const noise = await sharp(Buffer.from(Array.from({ length: 400 * 400 * 3 }, () => Math.floor(Math.random() * 256))), {
      raw: { width: 400, height: 400, channels: 3 },
    })
      .png()
      .toBuffer();
    expect(noise.length).toBeGreaterThan(MAX_UPLOAD);
    const big = await upload(stack.comfy, '/upload/image', 'image', noise, 'big.png');
    expect(big.status).toBe(413);
    expect((big.body.error as { type: string }).type).toBe('upload_too_large');
    expect(readdirSync(join(stack.dataDir, 'comfy', 'input'))).not.toContain('big.png');

    // A clash with different bytes is renamed; the listing feeds LoadImage's options.
    const again = await upload(stack.comfy, '/upload/image', 'image', await productPng(62, 80), 'ok.png');
    const again2 = await upload(stack.comfy, '/upload/image', 'image', await productPng(64, 80), 'ok.png');
    expect([again.body.name, again2.body.name]).toEqual(['ok.png', 'ok (1).png']);
    const info = (await http(stack.comfy, 'GET', '/object_info')).body as Record<string, { input: { required: { image?: [string[]] } } }>;
    expect(info.LoadImage.input.required.image?.[0]).toEqual(expect.arrayContaining(['ok.png', 'ok (1).png']));

    // Still serving.
    expect((await http(stack.comfy, 'GET', '/system_stats')).body).toMatchObject({ system: { os: 'posix' } });
    expect((await http(stack.main, 'GET', '/comfy/features')).body).toEqual({ supports_preview_metadata: true, max_upload_size: MAX_UPLOAD });
  });

  it('an API key, when configured, is required on the ComfyUI port (X-API-Key)', async () => {
    const keyed = await startComfyServer(
      stack.service,
      { host: '127.0.0.1', apiKey: 'sekret', dataDir: stack.dataDir, bodyLimit: 1e6, comfyPort: 0 },
      { port: 0 },
    );
    if (!keyed) throw new Error('no server');
    try {
      expect((await http(keyed.url, 'GET', '/api/prompt')).status).toBe(401);
      expect((await http(keyed.url, 'GET', '/api/prompt', undefined, { 'X-API-Key': 'sekret' })).status).toBe(200);
      expect((await http(keyed.url, 'GET', '/prompt', undefined, { 'X-API-Key': 'wrong' })).status).toBe(401);
    } finally {
      await keyed.close();
    }
  });
});

describe('ComfyUI family: queue control and sockets', () => {
  it('reconnect keeps the new socket; delete drops a pending prompt; interrupt stops the running one', async () => {
    const first = await socket('same-client');
    const second = await socket('same-client');
    first.ws.close();
    await sleep(100);
    // Idle sockets get a status keep-alive (SDKs reconnect after 10 s of silence).
    const before = second.msgs.length;
    await sleep(2500);
    expect(second.msgs.slice(before).some((m) => m.type === 'status')).toBe(true);

    await upload(stack.comfy, '/upload/image', 'image', await productPng(), 'q.png', { overwrite: 'true' });
    const a = await http(stack.comfy, 'POST', '/prompt', { prompt: adGraph('q.png', 'A', { long_edge: 1024 }), client_id: 'same-client' });
    const b = await http(stack.comfy, 'POST', '/prompt', { prompt: adGraph('q.png', 'B'), client_id: 'same-client' });
    expect([a.status, b.status]).toEqual([200, 200]);
    const idA = a.body.prompt_id as string;
    const idB = b.body.prompt_id as string;
    const queue = (await http(stack.comfy, 'GET', '/queue')).body as { queue_running: unknown[][]; queue_pending: unknown[][] };
    expect([...queue.queue_running, ...queue.queue_pending].map((i) => i[1])).toEqual([idA, idB]);
    expect((await http(stack.comfy, 'GET', '/prompt')).body).toEqual({ exec_info: { queue_remaining: 2 } });

    expect((await http(stack.comfy, 'POST', '/queue', { delete: [idB] })).status).toBe(200);
    await until(() => second.msgs.some((m) => m.type === 'execution_start' && m.data.prompt_id === idA));
    // POST /interrupt with no body and no Content-Type (the SDK's call) is a global interrupt.
    expect((await fetch(`${stack.comfy}/interrupt`, { method: 'POST' })).status).toBe(200);
    await until(() => second.msgs.some((m) => m.type === 'executing' && m.data.node === null && m.data.prompt_id === idA));

    const types = second.msgs.filter((m) => m.data.prompt_id === idA).map((m) => m.type);
    expect(types).toContain('execution_interrupted');
    expect(types).not.toContain('execution_success');
    const intr = second.msgs.find((m) => m.type === 'execution_interrupted');
    expect(intr?.data).toMatchObject({ prompt_id: idA, node_type: expect.any(String), executed: expect.any(Array) });
    const h = (await http(stack.comfy, 'GET', `/history/${idA}`)).body[idA] as { status: { status_str: string; completed: boolean } };
    expect(h.status).toMatchObject({ status_str: 'error', completed: false });
    expect((await http(stack.comfy, 'GET', `/api/job/${idA}/status`)).body).toEqual({ status: 'cancelled' });
    // The deleted prompt never ran and left no history; the queue is empty.
    expect(second.msgs.some((m) => m.data.prompt_id === idB)).toBe(false);
    expect((await http(stack.comfy, 'GET', `/history/${idB}`)).body).toEqual({});
    expect((await http(stack.comfy, 'GET', `/api/job/${idB}/status`)).status).toBe(404);
    await until(() => (stack.service.counts().active_jobs as number) === 0);
    expect((await http(stack.comfy, 'GET', '/queue')).body).toEqual({ queue_running: [], queue_pending: [] });
    // The lane really stopped: no final image for the interrupted job.
    const jobs = (await http(stack.comfy, 'GET', '/api/jobs?status=cancelled')).body as { jobs: { id: string }[] };
    expect(jobs.jobs.map((j) => j.id)).toContain(idA);
    second.ws.close();
  });
});
