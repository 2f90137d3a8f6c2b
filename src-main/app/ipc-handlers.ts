// The IPC handlers as plain functions. One handler per contract method (the object's type is
// derived from core/studio-contract.ts, so a missing or mistyped handler does not compile), each a
// StudioService call or a desktop action; around them, one generic wrapper validates the
// (untrusted) renderer's arguments with the method's schema and returns errors as data
// (IpcResult). No Electron import, so tests call these directly.
import { AppError } from '../core/errors';
import type { JobsExport, StudioService } from '../core/service';
import { STUDIO_METHODS, type StudioMethod, type StudioSettings } from '../core/studio-api';
import { parseStudioArgs, type SettingsUpdate, type StudioHandlers, type StudioParsedArgs, type StudioResult } from '../core/studio-contract';
import type { ExportResult, IpcHandlers, IpcResult } from '../../src-preload/contract';

export interface IpcDeps {
  service: StudioService;
  settings(): Promise<StudioSettings>;
  updateSettings(update: SettingsUpdate): Promise<StudioSettings>;
  /** Asks where to save (main process dialog) and writes the ZIP; progress goes to the caller's window. */
  saveExport(zip: JobsExport, exportId: string): Promise<ExportResult>;
  openExternal(url: string): Promise<void>;
}

/**
 * What each contract method does in the desktop app, over validated arguments. `satisfies` rather
 * than a return type, so the handlers' own signatures stay visible to the type test (a handler
 * that ignores an argument the contract added fails there).
 */
export function studioHandlers(deps: IpcDeps) {
  const { service } = deps;
  return {
    // The studio queues behind a running job rather than failing: the designer sees it pending.
    submit: (request) => service.submit(request, { queue: true, client: 'studio' }),
    getJob: async (jobId) => service.requireJob(jobId),
    listJobs: async (query) => service.jobsPage(query),
    stopJob: (jobId) => service.stop(jobId),
    deleteJob: (jobId) => service.remove(jobId),
    fonts: async () => service.fonts(),
    health: () => service.health(),
    settings: () => deps.settings(),
    updateSettings: (update) => deps.updateSettings(update),
    previewPlacement: (jobId, position, mode) => service.previewPlacement(jobId, position, mode),
    models: () => service.models(),
    installModel: (id) => service.installModel(id),
    cancelModelInstall: (id) => service.cancelModelInstall(id),
    removeModel: (id) => service.removeModel(id),
    freeEngines: () => service.freeEngines(),
    // The jobs are checked (404) before the save dialog opens.
    exportZip: async (jobIds, exportId) => deps.saveExport(await service.exportJobs(jobIds), exportId),
    openExternal: (url) => deps.openExternal(url),
  } satisfies StudioHandlers;
}

/** Thrown AppErrors (and anything else) become a failed IpcResult: Electron would keep only the message. */
async function settle<T>(run: () => Promise<T>): Promise<IpcResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, status: err.status, detail: err.detail, ...(err.field ? { field: err.field } : {}) };
    return { ok: false, status: 500, detail: err instanceof Error ? err.message : String(err) };
  }
}

function ipcHandler<M extends StudioMethod>(handlers: StudioHandlers, method: M): (...raw: unknown[]) => Promise<IpcResult<StudioResult<M>>> {
  const handler: (...args: StudioParsedArgs<M>) => Promise<StudioResult<M>> = handlers[method];
  return (...raw: unknown[]) => settle(() => handler(...parseStudioArgs(method, raw)));
}

export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  const handlers = studioHandlers(deps);
  const out: Record<string, unknown> = {};
  for (const method of STUDIO_METHODS) out[method] = ipcHandler(handlers, method);
  // The loop above is the whole implementation; test/contract checks it covers every method.
  return out as IpcHandlers;
}
