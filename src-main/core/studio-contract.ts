// The one studio API contract: method → argument schema (a zod tuple: the arguments in order) and
// result type. Everything else is derived from this map: the IPC channels and the preload's
// `window.studio` (src-preload), the main-process handlers (app/ipc-handlers.ts), the renderer's
// IPC and HTTP clients (src-renderer/src/api), and the argument checks of the HTTP studio family,
// which parses its route parameters with the same schemas. test/contract/studio-contract.test-d.ts
// fails when any of them drifts from it.
import { z } from 'zod';
import { isJobId, JOB_STATUSES } from './jobs';
import { COMPOSITION_MODES, GenerateRequestSchema, TEXT_POSITIONS } from './params';
import type { FontEntry, HealthInfo, JobRecord, JobsPage, ModelInfo, PlacementPreview } from './service';
import type { ExportResult, StudioMethod, StudioSettings } from './studio-api';
import { zodErrorToAppError } from './zod-errors';

/** A job id argument: the one rule (isJobId), as a schema. */
export const JobIdSchema = z.string().refine(isJobId, 'must be a job id (a UUID)').describe('job_id');

export const JobIdsSchema = z.array(JobIdSchema).min(1).max(1000).describe('job_ids');

const ListJobsQuerySchema = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(500).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

/** What the desktop shell lets the user change (applied at once: the server restarts). */
const SettingsUpdateSchema = z
  .object({
    serverEnabled: z.boolean().optional(),
    port: z.number().int().min(0).max(65535).optional(),
  })
  .strict();
export type SettingsUpdate = z.output<typeof SettingsUpdateSchema>;

/** Only web links open in the system browser (never file:, javascript:, custom schemes). */
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
  }, 'only http(s) links open in the browser')
  .describe('url');

/** A model id as the manifests name them (lower-case words and digits joined by - . _). */
const ModelIdSchema = z
  .string()
  .max(80)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a model id such as sdxl-turbo')
  .describe('model_id');

/** Names the progress events of one export (desktop: the save dialog's write runs in main). */
const ExportIdSchema = z.string().min(1).max(80).describe('export_id');

/** A result type carried by the contract; results come from main and are never parsed, so it has no run-time value. */
export interface Returns<T> {
  readonly __result?: T;
}
const returns = <T>(): Returns<T> => ({});

interface MethodSpec {
  args: z.ZodTuple;
  result: Returns<unknown>;
}

export const STUDIO_CONTRACT = {
  submit: { args: z.tuple([GenerateRequestSchema]), result: returns<JobRecord>() },
  getJob: { args: z.tuple([JobIdSchema]), result: returns<JobRecord>() },
  listJobs: { args: z.tuple([ListJobsQuerySchema]), result: returns<JobsPage>() },
  stopJob: { args: z.tuple([JobIdSchema]), result: returns<JobRecord>() },
  deleteJob: { args: z.tuple([JobIdSchema]), result: returns<void>() },
  fonts: { args: z.tuple([]), result: returns<FontEntry[]>() },
  health: { args: z.tuple([]), result: returns<HealthInfo>() },
  settings: { args: z.tuple([]), result: returns<StudioSettings>() },
  updateSettings: { args: z.tuple([SettingsUpdateSchema]), result: returns<StudioSettings>() },
  previewPlacement: {
    args: z.tuple([JobIdSchema, z.enum(TEXT_POSITIONS).describe('position'), z.enum(COMPOSITION_MODES).describe('mode')]),
    result: returns<PlacementPreview>(),
  },
  models: { args: z.tuple([]), result: returns<ModelInfo[]>() },
  installModel: { args: z.tuple([ModelIdSchema]), result: returns<ModelInfo>() },
  cancelModelInstall: { args: z.tuple([ModelIdSchema]), result: returns<ModelInfo>() },
  removeModel: { args: z.tuple([ModelIdSchema]), result: returns<ModelInfo>() },
  freeEngines: { args: z.tuple([]), result: returns<{ released: string[] }>() },
  /** The wire form: the renderer-facing exportZip(jobIds, onProgress) names its progress events by export id. */
  exportZip: { args: z.tuple([JobIdsSchema, ExportIdSchema]), result: returns<ExportResult>() },
  openExternal: { args: z.tuple([ExternalUrlSchema]), result: returns<void>() },
} as const satisfies { readonly [M in StudioMethod]: MethodSpec };

type Spec<M extends StudioMethod> = (typeof STUDIO_CONTRACT)[M];

/** What a caller passes to method M, in order. */
export type StudioArgs<M extends StudioMethod> = z.input<Spec<M>['args']>;
/** What a handler of M receives: the arguments validated, defaults applied. */
export type StudioParsedArgs<M extends StudioMethod> = z.output<Spec<M>['args']>;
export type StudioResult<M extends StudioMethod> = Spec<M>['result'] extends Returns<infer T> ? T : never;

/** The caller's side (the preload's window.studio, the renderer's clients): one async function per method. */
export type StudioCalls = { [M in StudioMethod]: (...args: StudioArgs<M>) => Promise<StudioResult<M>> };

/** The main process's side: one handler per method, over validated arguments. */
export type StudioHandlers = { [M in StudioMethod]: (...args: StudioParsedArgs<M>) => Promise<StudioResult<M>> };

/**
 * Validates the raw arguments of a call (IPC arguments, or route parameters gathered by the HTTP
 * family) against the contract; AppError 400 naming the argument or field at fault.
 */
export function parseStudioArgs<M extends StudioMethod>(method: M, raw: readonly unknown[]): StudioParsedArgs<M> {
  const schema: z.ZodTuple = STUDIO_CONTRACT[method].args;
  const r = schema.safeParse(raw);
  if (r.success) return r.data as StudioParsedArgs<M>;
  const items = schema.def.items as readonly z.ZodType[];
  throw zodErrorToAppError(r.error, raw, (path) => {
    if (path.length === 0) return 'arguments';
    const [index, ...rest] = path;
    const name = typeof index === 'number' ? items[index]?.description : undefined;
    // Named arguments (job_id, position…) are named; an object argument (a request, a query)
    // names its fields as an HTTP body would ("start_step", "body" for the value itself).
    if (name) return [name, ...rest.map(String)].join('.');
    return rest.length ? rest.map(String).join('.') : 'body';
  });
}
