// A real stack for the interop tests: the built pipeline worker, a real StudioService, the main
// app (buildServer) with the comfy/bridge/adgen families registered the way the lead registers
// them, and the dedicated ComfyUI port. Clients talk to it over real HTTP and WebSockets.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { StudioService } from '../../src-main/core/service';
import { createStudioService } from '../../src-main/service/studio-service';
import { buildServer } from '../../src-main/server/app';
import { startComfyServer } from '../../src-main/server/families/comfy';
import { closeComfyCore } from '../../src-main/server/families/comfy/core';

import { ensureServerBuild, ROOT, WORKER } from '../support/build';

export { ROOT };

export { ensureServerBuild as buildWorker } from '../support/build';
export { productPng, productColourShare as magentaShare } from '../support/product';

export interface Stack {
  service: StudioService;
  app: FastifyInstance;
  /** Main port, e.g. http://127.0.0.1:PORT */
  main: string;
  /** Dedicated ComfyUI port. */
  comfy: string;
  comfyHostPort: string;
  dataDir: string;
  close: () => Promise<void>;
}

export interface StackOptions {
  apiKey?: string | null;
  maxUploadBytes?: number;
  heartbeatMs?: number;
  bridgeListenMs?: number;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  ensureServerBuild();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'adforge-interop-'));
  const service = await createStudioService({
    dataDir,
    modelsDir: path.join(ROOT, 'models'),
    fontDirs: { bundled: path.join(ROOT, 'fonts'), user: path.join(dataDir, 'fonts') },
    workerScript: WORKER,
    providers: ['cpu'],
    log: () => undefined,
  });
  const bodyLimit = 64 * 1024 * 1024;
  const config = { host: '127.0.0.1', apiKey: opts.apiKey ?? null, bodyLimit, dataDir, comfyPort: 0 };
  // The same buildServer the CLI uses: every family mounted, studio too.
  const app = await buildServer(service, {
    host: config.host,
    apiKey: config.apiKey,
    bodyLimit,
    dataDir,
    interop: { maxUploadBytes: opts.maxUploadBytes, heartbeatMs: opts.heartbeatMs, bridgeListenMs: opts.bridgeListenMs },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const mainPort = typeof addr === 'object' && addr ? addr.port : 0;
  const comfy = await startComfyServer(service, config, { port: 0, heartbeatMs: opts.heartbeatMs, maxUploadBytes: opts.maxUploadBytes });
  if (!comfy) throw new Error('comfy server did not start');
  return {
    service,
    app,
    main: `http://127.0.0.1:${mainPort}`,
    comfy: comfy.url,
    comfyHostPort: `127.0.0.1:${comfy.port}`,
    dataDir,
    close: async () => {
      await comfy.close();
      await app.close();
      closeComfyCore(service);
      await service.close();
    },
  };
}

export interface HttpResult<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

function parseMaybe(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

export async function http<T = Record<string, unknown>>(
  base: string,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpResult<T>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    if (typeof body !== 'string') (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(base + url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parseMaybe(text) as T, text };
}

export async function upload(
  base: string,
  url: string,
  field: string,
  bytes: Buffer,
  filename: string,
  fields: Record<string, string> = {},
): Promise<HttpResult> {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), filename);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(base + url, { method: 'POST', body: form });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: parseMaybe(text) as Record<string, unknown>, text };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A full AdForge graph in ComfyUI API format. */
export function adGraph(image: string, text = '여름 세일', extra: { seed?: number; long_edge?: number; prefix?: string } = {}): Record<string, unknown> {
  return {
    '1': { class_type: 'AdForgeLoadProductImage', inputs: { image }, _meta: { title: 'Product' } },
    '2': {
      class_type: 'AdForgeBackground',
      inputs: {
        product: ['1', 0],
        bg_prompt: 'warm wooden table by a sunny window, soft shadows',
        bg_negative_prompt: 'blurry',
        seed: extra.seed ?? 11,
        aspect_ratio: '1:1',
        long_edge: extra.long_edge ?? 512,
        product_scale: 0.55,
        strength: 0.6,
        guidance_scale: 3.5,
        steps: 4,
      },
    },
    '3': {
      class_type: 'AdForge3DText',
      inputs: { scene: ['2', 0], text, style_prompt: 'gold metallic 3D text', negative_prompt: 'blurry', font_name: 'NanumSquare/NanumSquareB.ttf' },
    },
    '4': {
      class_type: 'AdForgeCompose',
      inputs: { scene: ['2', 0], text_layer: ['3', 0], composition_mode: 'overlay', text_position: 'top', composition_strength: 0.4 },
    },
    '9': { class_type: 'SaveImage', inputs: { images: ['4', 0], filename_prefix: extra.prefix ?? 'AdForge' } },
  };
}
