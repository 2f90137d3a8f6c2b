// The studio contract as the desktop shell carries it over IPC. The methods, their argument schemas
// and result types are defined once, in src-main/core/studio-contract.ts; this file derives what
// IPC adds: the channel of each method and event, the preload's `window.studio` type, the
// renderer-facing StudioApi both clients implement, and the result envelope of the main handlers.
// Run-time imports come only from zod-free modules: the sandboxed preload bundles this file and
// may require no npm package.
import type { ExportProgress, JobEvent } from '../src-main/core/service';
import type { StudioMethod } from '../src-main/core/studio-api';
import type { StudioArgs, StudioCalls, StudioResult } from '../src-main/core/studio-contract';

export type { ArtifactName, JobStatus } from '../src-main/core/jobs';
export type { CompositionMode, GenerateRequestInput, TextPosition } from '../src-main/core/params';
export type {
  ExportProgress,
  FontEntry,
  HealthInfo,
  JobCounts,
  JobEvent,
  JobRecord,
  JobsPage,
  ListJobsQuery,
  ModelFileInfo,
  PlacementPreview,
} from '../src-main/core/service';
export type { ExportResult, ServerSettings, StudioMethod, StudioSettings } from '../src-main/core/studio-api';
export type { SettingsUpdate, StudioArgs, StudioCalls, StudioHandlers, StudioResult } from '../src-main/core/studio-contract';
export { artifactOfFile, artifactPath, fontPath, STUDIO_CSP, STUDIO_METHODS } from '../src-main/core/studio-api';

/** Menu commands the desktop shell sends to the UI. */
export type MenuCommand = 'new-ad' | 'open-history' | 'open-settings' | 'export-selected';

export interface ExportProgressMessage extends ExportProgress {
  exportId: string;
}

/** Main → renderer events: name → payload. */
export interface StudioEvents {
  job: JobEvent;
  exportProgress: ExportProgressMessage;
  menu: MenuCommand;
}
export type StudioEventName = keyof StudioEvents;

/** The event names at run time (the type test checks they are exactly the keys of StudioEvents). */
export const STUDIO_EVENT_NAMES = ['job', 'exportProgress', 'menu'] as const satisfies readonly StudioEventName[];

/** The IPC channel of a contract method: derived from its name, never written out. */
export function invokeChannel<M extends StudioMethod>(method: M): `studio:${M}` {
  return `studio:${method}`;
}

/** The IPC channel of a main → renderer event. */
export function eventChannel<E extends StudioEventName>(event: E): `studio:event:${E}` {
  return `studio:event:${event}`;
}

/** What every invoke handler returns: errors travel as data because Electron flattens thrown errors to a message. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; status: number; detail: string; field?: string };

/** The main process's ipcMain handlers: raw (untrusted) arguments in, a result envelope out. */
export type IpcHandlers = { [M in StudioMethod]: (...raw: unknown[]) => Promise<IpcResult<StudioResult<M>>> };

/** Prefix of the message of an error rethrown by the preload; the rest is the JSON of the failed IpcResult. */
export const IPC_ERROR_PREFIX = 'AdForgeError:';

/** `window.studio` as the preload exposes it: every contract method, plus event subscription. */
export type StudioBridge = StudioCalls & {
  readonly shell: 'electron';
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  subscribe<E extends StudioEventName>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
};

/**
 * Everything the studio UI can ask for: the contract's methods, with exportZip reporting progress
 * to a callback, plus events and asset URLs. The renderer's IPC client builds it over
 * `window.studio`, its HTTP client over the studio family's /api routes. URLs returned by
 * `assetUrl` are same-origin in both (http://host/ or adforge://app/).
 */
export type StudioApi = Omit<StudioCalls, 'exportZip'> & {
  readonly shell: 'electron' | 'browser';
  exportZip(jobIds: StudioArgs<'exportZip'>[0], onProgress?: (progress: ExportProgress) => void): Promise<StudioResult<'exportZip'>>;
  /** Job events as they happen; returns the unsubscribe function. */
  onEvent(listener: (event: JobEvent) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Makes a same-origin path loadable by <img>/@font-face (adds the API key where one is needed). */
  assetUrl(path: string): string;
};

/** The custom scheme the desktop shell serves the UI, artifacts and fonts from. */
export const APP_SCHEME = 'adforge';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
