// The server embedded in the desktop app: starts with the app on the configured port, can be
// turned off and on at run time, and a taken port is reported instead of crashing the app.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedServer, type EmbeddedServer } from '../../src-main/app/embedded-server';
import { resolveConfig } from '../../src-main/config';
import type { StudioService } from '../../src-main/core/service';
import { findAppRoot } from '../../src-main/engines/model-paths';
import { createStudioService } from '../../src-main/service/studio-service';

const ROOT = findAppRoot();
const WORKER = join(ROOT, 'dist', 'worker.js');

describe.skipIf(!existsSync(WORKER))('embedded server', () => {
  let dir: string;
  let service: StudioService;
  let server: EmbeddedServer;
  let blocker: Server | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-embedded-'));
    const config = resolveConfig({ flags: { 'data-dir': dir }, env: {}, cwd: dir, appRoot: ROOT, workerScript: WORKER });
    service = await createStudioService(config);
    server = createEmbeddedServer(service, config);
  });

  afterAll(async () => {
    await server?.stop();
    blocker?.close();
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the studio API and nanoCocoa from the running app', async () => {
    const state = await server.apply({ serverEnabled: true, port: 0 });
    expect(state.error).toBeNull();
    expect(state.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${state.url}/api/jobs`)).status).toBe(200);
    expect((await fetch(`${state.url}/health`)).status).toBe(200);
  });

  it('turns off and frees the port', async () => {
    const url = server.status().url as string;
    const state = await server.apply({ serverEnabled: false, port: 0 });
    expect(state).toMatchObject({ enabled: false, url: null });
    await expect(fetch(`${url}/api/jobs`)).rejects.toThrow();
  });

  it('reports a taken port instead of failing the app', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    const state = await server.apply({ serverEnabled: true, port });
    expect(state.url).toBeNull();
    expect(state.error).toContain(`port ${port}`);
  });
});
