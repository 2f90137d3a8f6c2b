// ComfyUI clients from npm, unchanged, against our 8188 port: @saintno/comfyui-sdk's normal
// init → upload → CallWrapper (queue → progress → preview → images) flow, and the script-example
// style flow (connect, POST /prompt with our own prompt_id, wait for executing(null), read
// history, GET /view) with a raw `ws` socket checking ComfyUI's exact message order.
import sharp from 'sharp';
import WebSocket from 'ws';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallWrapper, ComfyApi, PromptBuilder, type NodeData } from '@saintno/comfyui-sdk';
import { decodeFrame } from '../../src-main/server/families/comfy/binary';
import { adGraph, http, magentaShare, productPng, sleep, startStack, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ heartbeatMs: 2000 });
});
afterAll(async () => {
  await stack?.close();
});

describe('ComfyUI SDK (@saintno/comfyui-sdk) against the 8188 port', () => {
  it('init, upload, then queue -> progress -> preview -> images of a finished ad', async () => {
    const api = new ComfyApi(stack.comfy, 'sdk-client-1', { wsTimeout: 10_000 });
    const connected = new Promise<void>((resolve) => api.on('connected', () => resolve()));
    api.init(3, 200);
    await api.waitForReady();
    await connected;
    // The SDK reads os from /system_stats to encode model paths; it does not await that request
    // before 'ready', so on a loaded machine the value can land a moment later.
    await vi.waitFor(() => expect(api.osType).toBe('posix'), { timeout: 10_000 });

    const up = await api.uploadImage(new Uint8Array(await productPng()), 'bottle.png');
    expect(up).not.toBe(false);
    if (up === false) return;
    expect(up.info.filename).toBe('bottle.png');

    const wf = new PromptBuilder(adGraph('placeholder.png') as unknown as NodeData, ['image', 'text', 'seed'], ['ad'])
      .setInputNode('image', '1.inputs.image')
      .setInputNode('text', '3.inputs.text')
      .setInputNode('seed', '2.inputs.seed')
      .setOutputNode('ad', '9')
      .input('image', up.info.filename)
      .input('text', '여름 세일 50%')
      .input('seed', 5);

    const progress: { value: number; max: number; node: string }[] = [];
    const previews: Blob[] = [];
    let failure: unknown = null;
    const output = await new CallWrapper(api, wf)
      .onProgress((p) => progress.push(p))
      .onPreview((b) => previews.push(b))
      .onFailed((err) => {
        failure = err;
      })
      .run();
    expect(failure).toBeNull();
    expect(output).not.toBe(false);
    if (!output) return;
    const images = (output.ad as { images: { filename: string; subfolder: string; type: string }[] }).images;
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ type: 'output', subfolder: '' });
    expect(images[0].filename).toMatch(/^AdForge_\d{5}_\.png$/);

    // Progress came per node with value/max from the pipeline's sub-steps, never past max.
    expect(progress.length).toBeGreaterThan(3);
    const nodes = new Set(progress.map((p) => p.node));
    for (const n of ['2', '3', '4']) expect(nodes.has(n)).toBe(true);
    for (const p of progress) expect(p.value).toBeLessThanOrEqual(p.max);
    // The scene arrived as a JPEG preview while the job was still running.
    expect(previews.length).toBeGreaterThanOrEqual(1);
    const preview = Buffer.from(await previews[0].arrayBuffer());
    expect((await sharp(preview).metadata()).format).toBe('jpeg');

    // The image the SDK points at is the finished 512 px ad with the product in it.
    const png = Buffer.from(await (await api.getImage(images[0])).arrayBuffer());
    const meta = await sharp(png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 512]);
    expect(await magentaShare(png)).toBeGreaterThan(0.02);
    api.destroy();
  });

  it('the script-example flow: own prompt_id, exact message order, history, /view', async () => {
    // The first test's prompt may still be writing its history: start from an empty queue.
    while (((await http(stack.comfy, 'GET', '/prompt')).body.exec_info as { queue_remaining: number }).queue_remaining > 0) await sleep(50);
    const clientId = randomUUID().replace(/-/g, '');
    const ws = new WebSocket(`ws://${stack.comfyHostPort}/ws?clientId=${clientId}`);
    const texts: { type: string; data: Record<string, unknown> }[] = [];
    const frames: Buffer[] = [];
    ws.on('message', (data, isBinary) => {
      if (isBinary) frames.push(data as Buffer);
      else texts.push(JSON.parse(data.toString()));
    });
    await new Promise((r) => ws.once('open', r));
    const promptId = randomUUID();
    const done = new Promise<void>((resolve) =>
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const m = JSON.parse(data.toString());
        if (m.type === 'executing' && m.data.node === null && m.data.prompt_id === promptId) resolve();
      }),
    );
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await productPng())]), 'flow.png');
    form.append('overwrite', 'true');
    expect((await fetch(`${stack.comfy}/upload/image`, { method: 'POST', body: form })).status).toBe(200);

    // No Content-Type at all, like urllib in the official example: still parsed as JSON.
    const res = await fetch(`${stack.comfy}/prompt`, {
      method: 'POST',
      body: JSON.stringify({ prompt: adGraph('flow.png', 'NEW', { prefix: 'flows/ad' }), client_id: clientId, prompt_id: promptId }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ prompt_id: promptId, node_errors: {} });
    expect(typeof body.number).toBe('number');
    await done;

    const mine = texts.filter((m) => m.type !== 'status' || m.data.sid !== undefined).map((m) => m.type);
    expect(mine[0]).toBe('status'); // on connect, with sid
    expect(texts[0].data).toMatchObject({ sid: clientId, status: { exec_info: { queue_remaining: 0 } } });
    const order = texts.map((m) => m.type).filter((t) => t !== 'status' && t !== 'progress' && t !== 'progress_state');
    expect(order.slice(0, 2)).toEqual(['execution_start', 'execution_cached']);
    const executing = texts.filter((m) => m.type === 'executing').map((m) => m.data.node);
    expect(executing).toEqual(['1', '2', '3', '4', '9', null]);
    const iSuccess = texts.findIndex((m) => m.type === 'execution_success');
    const iExecuted = texts.findIndex((m) => m.type === 'executed');
    const iNull = texts.findIndex((m) => m.type === 'executing' && m.data.node === null);
    const iLastStatus = texts.map((m) => m.type).lastIndexOf('status');
    expect(iExecuted).toBeLessThan(iSuccess);
    expect(iSuccess).toBeLessThan(iLastStatus);
    expect(iLastStatus).toBeLessThan(iNull);
    expect(texts[iLastStatus].data).toEqual({ status: { exec_info: { queue_remaining: 0 } } });

    // Binary previews in ComfyUI's frame format: [u32 1][u32 1=JPEG][bytes].
    expect(frames.length).toBeGreaterThanOrEqual(1);
    const f = decodeFrame(frames[0]);
    expect(f.event).toBe(1);
    expect((await sharp(frames[0].subarray(8)).metadata()).format).toBe('jpeg');

    const hist = await http(stack.comfy, 'GET', `/history/${promptId}`);
    const entry = hist.body[promptId] as {
      outputs: Record<string, { images: { filename: string; subfolder: string; type: string }[] }>;
      status: { status_str: string; completed: boolean; messages: [string, unknown][] };
      prompt: unknown[];
    };
    expect(entry.status).toMatchObject({ status_str: 'success', completed: true });
    expect(entry.status.messages.map((m) => m[0])).toEqual(['execution_start', 'execution_cached', 'execution_success']);
    expect(entry.prompt[1]).toBe(promptId);
    const img = entry.outputs['9'].images[0];
    expect(img.subfolder).toBe('flows');
    expect(img.filename).toMatch(/^ad_00001_\.png$/);
    const view = await fetch(`${stack.comfy}/view?filename=${img.filename}&subfolder=${img.subfolder}&type=${img.type}&unknown_param=1`);
    expect(view.status).toBe(200);
    expect(view.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await view.arrayBuffer());
    expect((await sharp(bytes).metadata()).width).toBe(512);
    // Same file through /api/view and /comfy/view on the main port.
    const viaApi = Buffer.from(await (await fetch(`${stack.comfy}/api/view?filename=${img.filename}&subfolder=${img.subfolder}&type=output`)).arrayBuffer());
    const viaMain = Buffer.from(await (await fetch(`${stack.main}/comfy/view?filename=${img.filename}&subfolder=${img.subfolder}&type=output`)).arrayBuffer());
    expect(viaApi.equals(bytes) && viaMain.equals(bytes)).toBe(true);
    // Comfy Cloud's polling endpoints agree.
    expect((await http(stack.comfy, 'GET', `/api/job/${promptId}/status`)).body).toEqual({ status: 'completed' });
    const job = (await http(stack.comfy, 'GET', `/api/jobs/${promptId}`)).body;
    expect(job).toMatchObject({ id: promptId, status: 'completed', outputs_count: 1 });
    ws.close();
  });
});
