// Picks the transport: the preload's `window.studio` inside Electron, HTTP/WS in a browser. The UI
// only ever sees the StudioApi (derived from the one contract), and errors of both arrive as ApiError.
import type { StudioApi, StudioBridge } from '../../../src-preload/contract';
import { ApiError } from './errors';
import { createHttpApi } from './http';
import { createIpcApi } from './ipc';

declare global {
  interface Window {
    studio?: StudioBridge;
  }
}

const bridge = typeof window === 'undefined' ? undefined : window.studio;
export const api: StudioApi = bridge ? createIpcApi(bridge) : createHttpApi();
export { ApiError };
