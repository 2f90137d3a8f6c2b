// The generic loops built from the one studio contract cover every method at run time: the preload's
// window.studio (each method on its derived channel), the main IPC handlers (each validating with
// the method's schema before any service call), and the renderer's IPC client. No Electron binary:
// electron is mocked. Types are checked by contract.test-d.ts.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createIpcHandlers } from '../../src-main/app/ipc-handlers';
import type { StudioService } from '../../src-main/core/service';
import { STUDIO_METHODS } from '../../src-main/core/studio-api';
import { STUDIO_CONTRACT, parseStudioArgs } from '../../src-main/core/studio-contract';
import { invokeChannel, IPC_ERROR_PREFIX, type StudioBridge } from '../../src-preload/contract';
import { ApiError } from '../../src-renderer/src/api/errors';
import { createIpcApi } from '../../src-renderer/src/api/ipc';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoked: [] as { channel: string; args: unknown[] }[],
  listeners: new Map<string, unknown>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      electron.invoked.push({ channel, args });
      return channel === invokeChannel('getJob') ? { ok: false, status: 404, detail: 'Job x not found' } : { ok: true, value: channel };
    },
    on: (channel: string, listener: unknown) => electron.listeners.set(channel, listener),
    off: (channel: string) => electron.listeners.delete(channel),
  },
}));

describe('the studio contract at run time', () => {
  it('lists the same methods as the map', () => {
    expect(Object.keys(STUDIO_CONTRACT).sort()).toEqual([...STUDIO_METHODS].sort());
  });

  describe('preload', () => {
    let bridge: StudioBridge;
    beforeAll(async () => {
      await import('../../src-preload/index');
      bridge = electron.exposed.get('studio') as StudioBridge;
    });

    it('exposes one object: every contract method, shell and subscribe, nothing else', () => {
      expect([...electron.exposed.keys()]).toEqual(['studio']);
      expect(Object.keys(bridge).sort()).toEqual([...STUDIO_METHODS, 'shell', 'subscribe'].sort());
      expect(bridge.shell).toBe('electron');
    });

    it('sends each method to its own channel with the arguments as given, and unwraps the result', async () => {
      for (const method of STUDIO_METHODS) {
        const call = bridge[method] as (...args: unknown[]) => Promise<unknown>;
        if (method === 'getJob') continue;
        expect(await call('a', 2)).toBe(invokeChannel(method));
        expect(electron.invoked.at(-1)).toEqual({ channel: `studio:${method}`, args: ['a', 2] });
      }
      // A failed result becomes an error whose message carries status and detail across contextBridge.
      await expect(bridge.getJob('x')).rejects.toThrow(`${IPC_ERROR_PREFIX}{"status":404,"detail":"Job x not found"}`);
    });

    it('subscribes to contract events only, and unsubscribes', () => {
      const off = bridge.subscribe('job', () => undefined);
      expect(electron.listeners.has('studio:event:job')).toBe(true);
      off();
      expect(electron.listeners.has('studio:event:job')).toBe(false);
      expect(() => bridge.subscribe('nope' as 'job', () => undefined)).toThrow(/unknown studio event/);
    });

    it('the renderer IPC client wraps every method and turns errors back into ApiError', async () => {
      const api = createIpcApi(bridge);
      for (const method of STUDIO_METHODS) expect(typeof api[method], method).toBe('function');
      expect(await api.fonts()).toBe('studio:fonts');
      const err = await api.getJob('x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ status: 404, detail: 'Job x not found' });
    });
  });

  describe('main handlers', () => {
    // A service that must never be reached by invalid arguments.
    const untouchable = new Proxy({} as StudioService, {
      get: (_t, key) => () => {
        throw new Error(`service.${String(key)} was called`);
      },
    });
    const handlers = createIpcHandlers({
      service: untouchable,
      settings: () => Promise.reject(new Error('unused')),
      updateSettings: () => Promise.reject(new Error('unused')),
      saveExport: () => Promise.reject(new Error('unused')),
      openExternal: () => Promise.reject(new Error('unused')),
    });

    it('has one handler per method, each refusing arguments its schema does not accept', async () => {
      expect(Object.keys(handlers).sort()).toEqual([...STUDIO_METHODS].sort());
      for (const method of STUDIO_METHODS) {
        const r = await handlers[method](42);
        expect(r, method).toMatchObject({ ok: false, status: 400 });
      }
    });

    it('names the argument or field at fault', () => {
      const fieldOf = (f: () => unknown) => {
        try {
          f();
        } catch (err) {
          return (err as { field?: string }).field;
        }
        return undefined;
      };
      expect(fieldOf(() => parseStudioArgs('getJob', ['../x']))).toBe('job_id');
      expect(fieldOf(() => parseStudioArgs('submit', [{ start_step: 9 }]))).toBe('start_step');
      expect(fieldOf(() => parseStudioArgs('submit', [[]]))).toBe('body');
      expect(fieldOf(() => parseStudioArgs('previewPlacement', [randomUUID(), 'auto', 'multiply']))).toBe('mode');
      expect(fieldOf(() => parseStudioArgs('exportZip', [[randomUUID(), 'x'], 'e']))).toBe('job_ids.1');
      expect(fieldOf(() => parseStudioArgs('fonts', [1]))).toBe('arguments');
      expect(parseStudioArgs('listJobs', [{ limit: 5 }])).toEqual([{ limit: 5 }]);
    });
  });
});
