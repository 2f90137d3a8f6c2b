// The desktop IPC handlers validate everything the (untrusted) renderer sends and answer with data,
// never a thrown error, over the same StudioService as HTTP.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIpcHandlers } from '../../src-main/app/ipc-handlers';
import { resolveConfig } from '../../src-main/config';
import type { StudioService } from '../../src-main/core/service';
import { findAppRoot } from '../../src-main/engines/model-paths';
import { createStudioService } from '../../src-main/service/studio-service';
import type { IpcHandlers, SettingsUpdate } from '../../src-preload/contract';

const ROOT = findAppRoot();
const WORKER = join(ROOT, 'dist', 'worker.js');

describe.skipIf(!existsSync(WORKER))('IPC handlers', () => {
  let dir: string;
  let service: StudioService;
  let h: IpcHandlers;
  const opened: string[] = [];
  const updates: SettingsUpdate[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'adf-ipc-'));
    const config = resolveConfig({ flags: { 'data-dir': dir }, env: {}, cwd: dir, appRoot: ROOT, workerScript: WORKER });
    service = await createStudioService(config);
    const settings = {
      shell: 'electron' as const,
      version: 't',
      dataDir: dir,
      modelsDir: config.modelsDir,
      models: [],
      server: { enabled: false, host: '127.0.0.1', port: 0, url: null, apiKeySet: false, error: null },
    };
    h = createIpcHandlers({
      service,
      settings: async () => settings,
      updateSettings: async (u) => {
        updates.push(u);
        return settings;
      },
      saveExport: async (zip) => ({ fileName: zip.fileName, bytes: 1, saved: true }),
      openExternal: async (url) => {
        opened.push(url);
      },
    });
  });

  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects malformed requests with a 400 naming the field', async () => {
    const r = await h.submit({ start_step: 7 });
    expect(r).toMatchObject({ ok: false, status: 400 });
    if (!r.ok) expect(r.field).toBe('start_step');
    expect(await h.submit('not an object')).toMatchObject({ ok: false, status: 400 });
    // A rerun of a job that does not exist is a 404, not a crash.
    expect(await h.submit({ start_step: 2, from_job_id: 'nope', text_content: 'x' })).toMatchObject({ ok: false, status: 404, field: 'from_job_id' });
    expect(await h.submit({ start_step: 2, stop_step: 1 })).toMatchObject({ ok: false, status: 400, detail: 'stop_step: must be >= start_step (2)' });
  });

  it('validates ids, queries and enums before touching the service', async () => {
    const unknown = randomUUID();
    expect(await h.getJob('../../etc/passwd')).toMatchObject({ ok: false, status: 400, field: 'job_id' });
    expect(await h.getJob(42)).toMatchObject({ ok: false, status: 400 });
    expect(await h.getJob('unknown-job')).toMatchObject({ ok: false, status: 400, detail: 'job_id: must be a job id (a UUID)' });
    expect(await h.getJob(unknown)).toMatchObject({ ok: false, status: 404 });
    expect(await h.getJob(unknown, 'extra')).toMatchObject({ ok: false, status: 400, field: 'arguments' });
    expect(await h.listJobs({ status: 'happy' })).toMatchObject({ ok: false, status: 400, field: 'status' });
    expect(await h.listJobs({ limit: 10, extra: 1 })).toMatchObject({ ok: false, status: 400 });
    expect(await h.previewPlacement(unknown, 'sideways', 'overlay')).toMatchObject({ ok: false, status: 400, field: 'position' });
    expect(await h.previewPlacement(unknown, 'auto', 'overlay')).toMatchObject({ ok: false, status: 404 });
    expect(await h.exportZip([], 'e1')).toMatchObject({ ok: false, status: 400, field: 'job_ids' });
    expect(await h.exportZip(['unknown-job'], 'e1')).toMatchObject({ ok: false, status: 400, field: 'job_ids.0' });
    expect(await h.exportZip([unknown], 'e1')).toMatchObject({ ok: false, status: 404 });
    expect(await h.updateSettings({ port: 70000 })).toMatchObject({ ok: false, status: 400 });
    expect(await h.updateSettings({ port: 9000, rogue: true })).toMatchObject({ ok: false, status: 400 });
    expect(updates).toEqual([]);
  });

  it('answers valid calls with data', async () => {
    const list = await h.listJobs({ limit: 5 });
    expect(list).toMatchObject({ ok: true, value: { jobs: [], total: 0 } });
    expect(await h.health()).toMatchObject({ ok: true, value: { status: 'healthy' } });
    const fonts = await h.fonts();
    expect(fonts.ok && fonts.value.length > 0).toBe(true);
    expect(await h.updateSettings({ serverEnabled: false })).toMatchObject({ ok: true });
    expect(updates).toEqual([{ serverEnabled: false }]);
  });

  it('opens only http(s) links in the browser', async () => {
    expect(await h.openExternal('file:///etc/passwd')).toMatchObject({ ok: false, status: 400 });
    expect(await h.openExternal('javascript:alert(1)')).toMatchObject({ ok: false, status: 400 });
    expect(await h.openExternal('https://example.com/docs')).toMatchObject({ ok: true });
    expect(opened).toEqual(['https://example.com/docs']);
  });
});
