// Clients of three families at once on the one job lane: a ComfyUI SDK client on the 8188 port,
// an AdGen client and a bridge client on the main port submit together. Every job is queued (none
// lost, all finish with an image), ComfyUI's queue_remaining counts the other families' jobs, and
// nanoCocoa's /generate keeps its 503 + Retry-After contract while the lane is taken.
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallWrapper, ComfyApi, PromptBuilder, type NodeData } from '@saintno/comfyui-sdk';
import { adGraph, http, productPng, startStack, upload, type Stack } from './harness';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ heartbeatMs: 2000 });
});
afterAll(async () => {
  await stack?.close();
});

describe('one lane, three families', () => {
  it('ComfyUI SDK + AdGen + bridge submitted together all complete; nanoCocoa answers 503 meanwhile', async () => {
    const product = await productPng();
    expect((await upload(stack.comfy, '/upload/image', 'image', product, 'lane.png')).status).toBe(200);
    const api = new ComfyApi(stack.comfy, 'lane-sdk');
    const connected = new Promise<void>((r) => api.on('connected', () => r()));
    api.init(3, 200);
    await api.waitForReady();
    await connected;
    const statusSeen: number[] = [];
    api.on('status', (e) => statusSeen.push((e.detail as { status: { exec_info: { queue_remaining: number } } }).status.exec_info.queue_remaining));

    const bridgeWs = new WebSocket(`${stack.main.replace('http', 'ws')}/bridge/ws?clientId=lane-bridge`);
    const bridgeDone = new Promise<string>((resolve) =>
      bridgeWs.on('message', (d) => {
        const m = JSON.parse(d.toString()) as { status: string };
        if (m.status === 'closed' || m.status === 'error') resolve(m.status);
      }),
    );
    await new Promise((r) => bridgeWs.once('open', r));

    const wf = new PromptBuilder(adGraph('lane.png', 'COMFY', { long_edge: 512 }) as unknown as NodeData, [], ['ad']).setOutputNode('ad', '9');
    const [comfyOut, adgen, bridge] = await Promise.all([
      new CallWrapper(api, wf).run(),
      http(stack.main, 'POST', '/adgen/generate', {
        prompt: 'beach at noon',
        text_content: 'ADGEN',
        product_image: product.toString('base64'),
        long_edge: 512,
      }),
      http(stack.main, 'POST', '/bridge/generate-based-workflow?clientId=lane-bridge', { workflow: 'adforge-background', '3/bg_prompt': 'forest clearing' }),
      // While the lane is busy, nanoCocoa refuses rather than queues.
      (async () => {
        while (stack.service.counts().active_jobs === 0) await new Promise((r) => setTimeout(r, 10));
        const busy = await http(stack.main, 'POST', '/generate', { text_content: 'nano' });
        expect(busy.status).toBe(503);
        expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      })(),
    ]);
    expect(adgen.status).toBe(200);
    expect(bridge.status).toBe(200);
    expect(comfyOut).not.toBe(false);
    const img = (comfyOut as { ad: { images: { filename: string; subfolder: string; type: string }[] } }).ad.images[0];
    expect((await sharp(Buffer.from(await (await api.getImage(img)).arrayBuffer())).metadata()).width).toBe(512);

    const meta = await http(stack.main, 'POST', `/adgen/finalize/${adgen.body.run_id as string}`);
    expect(meta.body.status).toBe('COMPLETED');
    expect(await bridgeDone).toBe('closed');
    const hist = (await http(stack.main, 'GET', '/bridge/history?clientId=lane-bridge')).body as { history: { status: string; result_url: string }[] };
    expect(hist.history[0].status).toBe('completed');
    expect((await fetch(hist.history[0].result_url)).status).toBe(200);

    // The ComfyUI client saw the other families' jobs in queue_remaining, and all three ran.
    expect(Math.max(...statusSeen)).toBeGreaterThanOrEqual(2);
    const clients = stack.service.list({ limit: 10 }).map((j) => [j.client, j.status]);
    expect(clients).toEqual(
      expect.arrayContaining([
        ['comfy', 'completed'],
        ['adgen', 'completed'],
        ['bridge', 'completed'],
      ]),
    );
    api.destroy();
    bridgeWs.close();
  });
});
