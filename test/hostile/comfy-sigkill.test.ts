// Issue 10 item 15, the ComfyUI part: prompts queued or running when the server is SIGKILLed used to
// vanish (404, no history). Now they come back at the next start as failed, interrupted history
// entries (GET /history, /api/job/{id}/status = failed, /api/jobs/{id} with the error), the
// queue is empty, earlier history and outputs are intact, and new prompts run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { productPng, removeTempDirs, startServer, tempDir, type ServerProcess } from '../server/server-process';
import { json, multipart, request } from './harness';

let current: ServerProcess | undefined;
afterAll(async () => {
  await current?.stop();
  removeTempDirs();
});

function graph(seed: number, prefix: string): Record<string, unknown> {
  return {
    '1': { class_type: 'AdForgeLoadProductImage', inputs: { image: 'k.png' } },
    '2': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'marble',
        bg_negative_prompt: '',
        seed,
        aspect_ratio: '1:1',
        long_edge: 256,
        product_scale: 0.5,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: prefix } },
  };
}

async function history(
  base: string,
  id: string,
): Promise<
  { status: { status_str: string; completed: boolean; messages: [string, Record<string, unknown>][] }; outputs: Record<string, unknown> } | undefined
> {
  return ((await request(base, 'GET', `/comfy/history/${id}`)).body as Record<string, never>)[id];
}

async function waitForHistory(base: string, id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await history(base, id)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`prompt ${id} never reached history`);
}

describe('ComfyUI prompts across a server SIGKILL', () => {
  it('queued and running prompts come back as failed "interrupted"; finished ones and their files are intact', async () => {
    const dataDir = tempDir('comfy-kill');
    // The worker holds its first job until it is killed: one prompt running, two queued at the kill.
    current = await startServer({ dataDir, env: { ADFORGE_TEST_FAULT: 'hang' } });
    let base = current.url;
    expect((await multipart(base, '/comfy/upload/image', [{ field: 'image', name: 'k.png', bytes: await productPng(120, 160) }])).status).toBe(200);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await json(base, 'POST', '/comfy/prompt', { prompt: graph(i, 'killed'), client_id: 'k' });
      expect(r.status).toBe(200);
      ids.push((r.body as { prompt_id: string }).prompt_id);
    }
    const q = (await request(base, 'GET', '/comfy/queue')).body as { queue_running: unknown[]; queue_pending: unknown[] };
    expect(q.queue_running.length + q.queue_pending.length).toBe(3);
    await new Promise((r) => setTimeout(r, 300)); // queue.json is written after each change
    await current.kill();

    // Restart without the fault: a finished prompt first, then the kill is looked at.
    current = await startServer({ dataDir });
    base = current.url;
    for (const id of ids) {
      const h = await history(base, id);
      expect(h, `prompt ${id} must be in history after the restart`).toBeDefined();
      expect(h?.status).toMatchObject({ status_str: 'error', completed: false });
      const [type, data] = h?.status.messages[0] ?? ['', {}];
      expect(type).toBe('execution_error');
      expect(data.exception_message).toMatch(/interrupted/);
      expect((await request(base, 'GET', `/comfy/api/job/${id}/status`)).body).toEqual({ status: 'failed' });
      const job = (await request(base, 'GET', `/comfy/api/jobs/${id}`)).body as Record<string, unknown>;
      expect(job).toMatchObject({ id, status: 'failed', execution_error: { exception_message: expect.stringMatching(/interrupted/) } });
    }
    expect((await request(base, 'GET', '/comfy/queue')).body).toEqual({ queue_running: [], queue_pending: [] });

    // New work runs; its result and the recovered entries survive another kill.
    const ok = await json(base, 'POST', '/comfy/prompt', { prompt: graph(7, 'after') });
    const okId = (ok.body as { prompt_id: string }).prompt_id;
    await waitForHistory(base, okId);
    expect((await history(base, okId))?.status.status_str).toBe('success');
    const out = readFileSync(path.join(dataDir, 'comfy', 'output', 'after_00001_.png'));
    await current.kill();
    current = await startServer({ dataDir });
    base = current.url;
    expect((await history(base, okId))?.status.status_str).toBe('success');
    for (const id of ids) expect((await history(base, id))?.status.status_str).toBe('error');
    expect(readFileSync(path.join(dataDir, 'comfy', 'output', 'after_00001_.png')).equals(out)).toBe(true);
  });
});
