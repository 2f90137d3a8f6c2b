// The sandboxed preload: exposes exactly one typed object, `window.studio`, built from the contract.
// The renderer never sees ipcRenderer itself, so it can only call the channels listed here.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  IPC_ERROR_PREFIX,
  type IpcResult,
  type ExportProgressMessage,
  type InvokeContract,
  type InvokeMethod,
  type JobEvent,
  type MenuCommand,
  type StudioApi,
} from './contract';

async function invoke<K extends InvokeMethod>(method: K, ...args: Parameters<InvokeContract[K]>): Promise<ReturnType<InvokeContract[K]>> {
  const result = (await ipcRenderer.invoke(INVOKE_CHANNELS[method], ...args)) as IpcResult<ReturnType<InvokeContract[K]>>;
  if (result.ok) return result.value;
  // Only the message survives contextBridge: carry status/detail/field in it as JSON.
  throw new Error(IPC_ERROR_PREFIX + JSON.stringify({ status: result.status, detail: result.detail, field: result.field }));
}

/** Subscribes to a main → renderer channel; returns the unsubscribe function. */
function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.off(channel, handler);
  };
}

let exportCounter = 0;

const studio: StudioApi = {
  shell: 'electron',
  submit: (request) => invoke('submit', request),
  getJob: (jobId) => invoke('getJob', jobId),
  listJobs: (query) => invoke('listJobs', query),
  stopJob: (jobId) => invoke('stopJob', jobId),
  deleteJob: (jobId) => invoke('deleteJob', jobId),
  fonts: () => invoke('fonts'),
  health: () => invoke('health'),
  settings: () => invoke('settings'),
  updateSettings: (update) => invoke('updateSettings', update),
  previewPlacement: (jobId, position, mode) => invoke('previewPlacement', jobId, position, mode),
  async exportZip(jobIds, onProgress) {
    const exportId = `export-${Date.now()}-${++exportCounter}`;
    const off = subscribe<ExportProgressMessage>(EVENT_CHANNELS.exportProgress, (m) => {
      if (m.exportId === exportId) onProgress?.({ bytesDone: m.bytesDone, bytesTotal: m.bytesTotal });
    });
    try {
      return await invoke('exportZip', jobIds, exportId);
    } finally {
      off();
    }
  },
  onEvent: (listener) => subscribe<JobEvent>(EVENT_CHANNELS.job, listener),
  onMenu: (listener) => subscribe<MenuCommand>(EVENT_CHANNELS.menu, listener),
  // Served from the same adforge://app origin as the page; no key needed inside the app.
  assetUrl: (path) => path,
  openExternal: (url) => invoke('openExternal', url),
};

contextBridge.exposeInMainWorld('studio', studio);
