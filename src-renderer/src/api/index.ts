// Picks the transport: the preload's `window.studio` inside Electron, HTTP/WS in a browser. The UI
// only ever sees the StudioApi contract, and errors of both arrive as ApiError.
import { IPC_ERROR_PREFIX, type StudioApi } from '../../../src-preload/contract';
import { ApiError, createHttpApi } from './http';

declare global {
  interface Window {
    studio?: StudioApi;
  }
}

/** Turns the preload's JSON-in-message errors back into ApiError. */
export function fromIpcError(err: unknown): unknown {
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

function wrapIpc(api: StudioApi): StudioApi {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (err) {
        throw fromIpcError(err);
      }
    };
  return {
    ...api,
    shell: 'electron',
    submit: wrap(api.submit),
    getJob: wrap(api.getJob),
    listJobs: wrap(api.listJobs),
    stopJob: wrap(api.stopJob),
    deleteJob: wrap(api.deleteJob),
    fonts: wrap(api.fonts),
    health: wrap(api.health),
    settings: wrap(api.settings),
    updateSettings: wrap(api.updateSettings),
    previewPlacement: wrap(api.previewPlacement),
    exportZip: wrap(api.exportZip),
    openExternal: wrap(api.openExternal),
  };
}

const bridge = typeof window === 'undefined' ? undefined : window.studio;
export const api: StudioApi = bridge ? wrapIpc(bridge) : createHttpApi();
export { ApiError };
