// The ComfyUI bridge family driven as its clients do (seeds 001/004): workflow list and declared
// inputs, multipart upload, generate from an alias over a real `ws` socket receiving
// {status, details} messages, paged history with a working result URL, execution info, counts,
// interrupt, and each kind of bad input answered with the bridge's {"detail"} shape.
import sharp from 'sharp';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http, magentaShare, productPng, sleep, startStack, upload, type Stack } from './harness';

let stack: Stack;
const MAX_UPLOAD = 300_000;

beforeAll(async () => {
  stack = await startStack({ bridgeListenMs: 300, maxUploadBytes: MAX_UPLOAD });
});
afterAll(async () => {
  await stack?.close();
});

type Msg = { status: string; details: string };
function bridgeSocket(clientId: string): Promise<{ ws: WebSocket; msgs: Msg[]; closed: Promise<void> }> {
  const ws = new WebSocket(`${stack.main.replace('http', 'ws')}/bridge/ws?clientId=${clientId}`);
  const msgs: Msg[] = [];
  ws.on('message', (d) => msgs.push(JSON.parse(d.toString())));
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  return new Promise((resolve) => ws.once('open', () => resolve({ ws, msgs, closed })));
}

describe('bridge API', () => {
  it('list, declared inputs, upload, generate over WebSocket, history, result, execution info, count', async () => {
    const list = (await http(stack.main, 'GET', '/bridge/workflow-list')).body as unknown as { alias: string }[];
    expect(list.map((w) => w.alias)).toEqual(expect.arrayContaining(['adforge-ad', 'adforge-background']));
    const info = (await http(stack.main, 'GET', '/bridge/workflow-info?workflow=adforge-ad')).body;
    expect(info['6/text']).toEqual({ type: 'str', title: 'Headline', class: 'AdForge3DText', default: '새로운 시작' });
    expect(info['10/image']).toMatchObject({ type: 'str', class: 'AdForgeLoadProductImage' });

    const up = await upload(stack.main, '/bridge/upload?clientId=c1', 'file', await productPng(), 'bottle.png');
    expect(up.status).toBe(200);
    const stored = up.body['bottle.png'] as string;
    expect(stored).toMatch(/^bridge_server_comfyui_[0-9a-f]{16}\.png$/);

    const { ws, msgs, closed } = await bridgeSocket('c1');
    await sleep(700);
    expect(msgs[0]).toEqual({ status: 'connected', details: 'server connected' });
    expect(msgs.some((m) => m.status === 'listening' && m.details === 'server is listening')).toBe(true);

    const gen = await http(stack.main, 'POST', '/bridge/generate-based-workflow?clientId=c1', {
      workflow: 'adforge-ad',
      '10/image': stored,
      '6/text': 'BRIDGE',
      '3/seed': 3,
      '3/aspect_ratio': '4:5',
    });
    expect(gen.status).toBe(200);
    expect(gen.body.detail).toMatch(/^queued \/ \d+$/);
    await closed; // the server closes the socket after "closed"
    expect(ws.readyState).toBe(WebSocket.CLOSED);
    const progress = msgs.filter((m) => m.status === 'progress').map((m) => Number(m.details.replace('%', '')));
    expect(progress.length).toBeGreaterThan(2);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(msgs.filter((m) => m.status === 'progress').every((m) => /^\d+\.\d\d%$/.test(m.details))).toBe(true);
    expect(msgs[msgs.length - 1]).toEqual({ status: 'closed', details: 'Execution is done' });

    expect((await http(stack.main, 'GET', '/bridge/execution-info?clientId=c1')).body).toEqual({ status: 'closed', details: 'Execution is done' });
    const hist = (await http(stack.main, 'GET', '/bridge/history?limit=1&offset=0')).body as {
      history: Record<string, string>[];
      total_count: number;
      page: number;
      page_size: number;
    };
    expect(hist).toMatchObject({ total_count: 1, page: 1, page_size: 1 });
    expect(hist.history[0]).toMatchObject({ workflow: 'adforge-ad', status: 'completed' });
    expect(new Date(hist.history[0].timestamp).getTime()).toBeGreaterThan(0);
    // Absolute, as the seed shows it: the client fetches it as it is.
    expect(hist.history[0].result_url).toBe(`${stack.main}/bridge/result/${hist.history[0].id}`);
    const result = await fetch(hist.history[0].result_url);
    expect(result.status).toBe(200);
    const png = Buffer.from(await result.arrayBuffer());
    const meta = await sharp(png).metadata();
    // The declared aspect ratio reached the pipeline; the uploaded product is in the ad.
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 816, 1024]);
    expect(await magentaShare(png)).toBeGreaterThan(0.02);
    expect((await http(stack.main, 'GET', '/bridge/generation-count')).body).toBe(1);
    expect((await http(stack.main, 'GET', '/bridge/history?limit=5&offset=5')).body).toMatchObject({ history: [], total_count: 1, page: 2, page_size: 5 });
  });

  it('bad input gets {"detail"} and the server keeps serving', async () => {
    const bad = async (method: string, url: string, body?: unknown) => {
      const r = await http(stack.main, method, url, body);
      expect(r.status, url).toBe(400);
      expect(typeof r.body.detail, url).toBe('string');
      return r.body.detail as string;
    };
    expect(await bad('GET', '/bridge/workflow-info?workflow=nope')).toContain('unknown workflow');
    expect(await bad('GET', '/bridge/workflow-info')).toContain('workflow is required');
    expect(await bad('POST', '/bridge/generate-based-workflow', { workflow: 'adforge-ad' })).toContain('clientId');
    expect(await bad('POST', '/bridge/generate-based-workflow?clientId=z', { workflow: 'adforge-ad', '3/seed': 1.5 })).toContain('expected int');
    expect(await bad('POST', '/bridge/generate-based-workflow?clientId=z', { workflow: 'adforge-ad', '3/long_edge': 256 })).toContain('not an input');
    expect(await bad('POST', '/bridge/generate-based-workflow?clientId=z', { workflow: 'adforge-ad', '10/image': '../../etc/passwd' })).toContain(
      'Invalid image file',
    );
    expect(await bad('POST', '/bridge/generate-based-workflow?clientId=z', { workflow: 'adforge-ad', '6/font_name': 'x.ttf' })).toContain('Value not in list');
    expect(await bad('GET', '/bridge/history?limit=0')).toContain('limit');
    expect(await bad('GET', '/bridge/execution-info?clientId=never-seen')).toContain('unknown clientId');

    const evil = await upload(stack.main, '/bridge/upload', 'file', await productPng(40, 40), '../../evil.png');
    expect(evil.status).toBe(400);
    const text = await upload(stack.main, '/bridge/upload', 'file', Buffer.from('import os; os.system("x")'), 'x.png');
    expect(text.status).toBe(400);
    const noise = await sharp(Buffer.from(Array.from({ length: 400 * 400 * 3 }, () => Math.floor(Math.random() * 256))), {
      raw: { width: 400, height: 400, channels: 3 },
    })
      .png()
      .toBuffer();
    const big = await upload(stack.main, '/bridge/upload', 'file', noise, 'big.png');
    expect(big.status).toBe(413);
    expect(typeof big.body.detail).toBe('string');
    expect((await http(stack.main, 'GET', '/bridge/generation-count')).status).toBe(200);
  });

  it("interrupt really stops the client's job and the socket says so", async () => {
    const { msgs, closed } = await bridgeSocket('c2');
    const gen = await http(stack.main, 'POST', '/bridge/generate-based-workflow?clientId=c2', { workflow: 'adforge-ad', '6/text': 'STOP ME' });
    expect(gen.status).toBe(200);
    const jobId = gen.body.prompt_id as string;
    while (!msgs.some((m) => m.status === 'progress')) await sleep(25);
    expect((await http(stack.main, 'POST', '/bridge/interrupt?clientId=c2')).body.detail).toMatch(/interrupted 1 job/);
    await closed;
    expect(msgs[msgs.length - 1]).toEqual({ status: 'error', details: 'Execution was interrupted' });
    expect(stack.service.get(jobId)?.status).toBe('stopped');
    expect(stack.service.artifactPath(jobId, 'final')).toBeUndefined();
    const hist = (await http(stack.main, 'GET', '/bridge/history?clientId=c2')).body as { history: Record<string, string>[] };
    expect(hist.history[0]).toMatchObject({ id: jobId, status: 'interrupted' });
  });
});
