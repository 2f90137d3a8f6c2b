// The IPC handlers as plain functions: every argument from the renderer is validated here with
// zod (the renderer is untrusted), then the same StudioService / studio-ops calls as the HTTP
// family run. Errors come back as data (IpcResult). No Electron import, so tests call these directly.
import { z } from 'zod';
import { AppError } from '../core/errors';
import { COMPOSITION_MODES, GenerateRequestSchema, TEXT_POSITIONS } from '../core/params';
import type { StudioService } from '../core/service';
import { ExportRequestSchema, JobIdSchema, JobsQuerySchema, jobsPage, placementPreview, requireJob } from '../server/families/studio-ops';
import { zodErrorToAppError } from '../server/validation';
import { SettingsUpdateSchema } from './desktop-settings';
import type { ExportResult, InvokeContract, InvokeMethod, IpcResult, SettingsUpdate, StudioSettings } from '../../src-preload/contract';

export interface IpcDeps {
  service: StudioService;
  settings(): Promise<StudioSettings>;
  updateSettings(update: SettingsUpdate): Promise<StudioSettings>;
  /** Asks where to save (main process dialog) and writes the ZIP; progress goes to the caller's window. */
  exportZip(jobIds: string[], exportId: string): Promise<ExportResult>;
  openExternal(url: string): Promise<void>;
}

export type IpcHandler<K extends InvokeMethod> = (...args: unknown[]) => Promise<IpcResult<ReturnType<InvokeContract[K]>>>;
export type IpcHandlers = { [K in InvokeMethod]: IpcHandler<K> };

const ExportIdSchema = z.string().min(1).max(80);
const ExternalUrlSchema = z
  .string()
  .max(2000)
  .refine((u) => {
    try {
      const p = new URL(u).protocol;
      return p === 'https:' || p === 'http:';
    } catch {
      return false;
    }
  }, 'only http(s) links open in the browser');

function parseArg<T extends z.ZodType>(schema: T, value: unknown, field: string): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const e = zodErrorToAppError(r.error, value);
    throw new AppError(400, e.detail, e.field ?? field);
  }
  return r.data;
}

/** Wraps a handler so thrown AppErrors (and anything else) become an IpcResult. */
function guard<T>(fn: (...args: unknown[]) => Promise<T> | T): (...args: unknown[]) => Promise<IpcResult<T>> {
  return async (...args) => {
    try {
      return { ok: true, value: await fn(...args) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false, status: err.status, detail: err.detail, ...(err.field ? { field: err.field } : {}) };
      return { ok: false, status: 500, detail: err instanceof Error ? err.message : String(err) };
    }
  };
}

export function createIpcHandlers(deps: IpcDeps): IpcHandlers {
  const { service } = deps;
  return {
    submit: guard((request) => service.submit(parseArg(GenerateRequestSchema, request, 'request'), { queue: true, client: 'studio' })),
    getJob: guard((id) => requireJob(service, parseArg(JobIdSchema, id, 'job_id'))),
    listJobs: guard((query) => jobsPage(service, parseArg(JobsQuerySchema, query ?? {}, 'query'))),
    stopJob: guard(async (id) => {
      const jobId = parseArg(JobIdSchema, id, 'job_id');
      requireJob(service, jobId);
      return service.stop(jobId);
    }),
    deleteJob: guard((id) => service.remove(parseArg(JobIdSchema, id, 'job_id'))),
    fonts: guard(() => service.fonts()),
    health: guard(() => service.health()),
    settings: guard(() => deps.settings()),
    updateSettings: guard((update) => deps.updateSettings(parseArg(SettingsUpdateSchema, update, 'settings'))),
    previewPlacement: guard((id, position, mode) =>
      placementPreview(
        service,
        parseArg(JobIdSchema, id, 'job_id'),
        parseArg(z.enum(TEXT_POSITIONS), position, 'position'),
        parseArg(z.enum(COMPOSITION_MODES), mode, 'mode'),
      ),
    ),
    exportZip: guard((ids, exportId) => {
      const { job_ids } = parseArg(ExportRequestSchema, { job_ids: ids }, 'job_ids');
      for (const id of job_ids) requireJob(service, id);
      return deps.exportZip(job_ids, parseArg(ExportIdSchema, exportId, 'export_id'));
    }),
    openExternal: guard((url) => deps.openExternal(parseArg(ExternalUrlSchema, url, 'url'))),
  };
}
