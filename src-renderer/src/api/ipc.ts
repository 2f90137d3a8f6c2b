// The StudioApi over the preload's `window.studio`: every contract method passed through (errors
// turned back into ApiError), exportZip with its progress events, and the desktop's events.
import { STUDIO_METHODS, IPC_ERROR_PREFIX, type StudioApi, type StudioBridge, type StudioCalls } from '../../../src-preload/contract';
import { ApiError } from './errors';

/** Turns the preload's JSON-in-message errors back into ApiError. */
function fromIpcError(err: unknown): unknown {
  if (err instanceof Error) {
    const i = err.message.indexOf(IPC_ERROR_PREFIX);
    if (i >= 0) {
      try {
        const e = JSON.parse(err.message.slice(i + IPC_ERROR_PREFIX.length)) as { status: number; detail: string; field?: string };
        return new ApiError(e.status, e.detail, e.field);
      } catch {
        return err;
      }
    }
  }
  return err;
}

/** Each contract method of the bridge, its errors rethrown as ApiError. */
function calls(bridge: StudioBridge): StudioCalls {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of STUDIO_METHODS) {
    const call = bridge[method] as (...args: unknown[]) => Promise<unknown>;
    out[method] = async (...args) => {
      try {
        return await call(...args);
      } catch (err) {
        throw fromIpcError(err);
      }
    };
  }
  // The loop above is the whole implementation; test/contract checks it covers every method.
  return out as StudioCalls;
}

let exportCounter = 0;

export function createIpcApi(bridge: StudioBridge): StudioApi {
  const call = calls(bridge);
  return {
    ...call,
    shell: 'electron',
    async exportZip(jobIds, onProgress) {
      const exportId = `export-${Date.now()}-${++exportCounter}`;
      const off = bridge.subscribe('exportProgress', (m) => {
        if (m.exportId === exportId) onProgress?.({ bytesDone: m.bytesDone, bytesTotal: m.bytesTotal });
      });
      try {
        return await call.exportZip(jobIds, exportId);
      } finally {
        off();
      }
    },
    onEvent: (listener) => bridge.subscribe('job', listener),
    onMenu: (listener) => bridge.subscribe('menu', listener),
    // Served from the same adforge://app origin as the page; no key needed inside the app.
    assetUrl: (path) => path,
  };
}
