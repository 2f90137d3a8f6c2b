// The sandboxed preload: exposes exactly one object, `window.studio`, built by a loop over the
// contract's methods. The renderer never sees ipcRenderer itself, so it can only call the
// contract's channels and listen to its events.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  eventChannel,
  invokeChannel,
  IPC_ERROR_PREFIX,
  STUDIO_EVENT_NAMES,
  STUDIO_METHODS,
  type IpcResult,
  type StudioBridge,
  type StudioCalls,
  type StudioEventName,
  type StudioEvents,
  type StudioMethod,
} from './contract';

async function invoke(method: StudioMethod, args: unknown[]): Promise<unknown> {
  const result = (await ipcRenderer.invoke(invokeChannel(method), ...args)) as IpcResult<unknown>;
  if (result.ok) return result.value;
  // Only the message survives contextBridge: carry status/detail/field in it as JSON.
  throw new Error(IPC_ERROR_PREFIX + JSON.stringify({ status: result.status, detail: result.detail, field: result.field }));
}

function subscribe<E extends StudioEventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
  // The renderer may pass anything: only the contract's events can be listened to.
  if (!STUDIO_EVENT_NAMES.includes(event)) throw new Error(`unknown studio event ${String(event)}`);
  const handler = (_event: IpcRendererEvent, payload: StudioEvents[E]) => listener(payload);
  ipcRenderer.on(eventChannel(event), handler);
  return () => {
    ipcRenderer.off(eventChannel(event), handler);
  };
}

/** One function per contract method, each forwarding its arguments to the method's channel. */
function calls(): StudioCalls {
  const out: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const method of STUDIO_METHODS) out[method] = (...args) => invoke(method, args);
  // The loop above is the whole implementation; test/contract checks it covers every method.
  return out as StudioCalls;
}

export const studio: StudioBridge = { ...calls(), shell: 'electron', subscribe };

contextBridge.exposeInMainWorld('studio', studio);
