// Type-level test of the one studio contract (src-main/core/studio-contract.ts), checked by
// `tsc -p tsconfig.node.json` (npm run typecheck): every side of IPC is derived from the contract
// and must stay exactly so. A handler, the preload object or a client that drifts (a method
// missing or extra, an argument or result of another type) fails here, or in its own file.
// The renderer's clients are checked the same way in src-renderer/src/api/contract.test-d.ts
// (they need the DOM types of tsconfig.web.json).
import { expectTypeOf } from 'vitest';
import type { createIpcHandlers, studioHandlers } from '../../src-main/app/ipc-handlers';
import type { GenerateRequest, GenerateRequestInput, CompositionMode, TextPosition } from '../../src-main/core/params';
import type { JobRecord, JobsPage, ListJobsQuery, PlacementPreview } from '../../src-main/core/service';
import type { StudioMethod, STUDIO_METHODS } from '../../src-main/core/studio-api';
import type { STUDIO_CONTRACT, StudioCalls, StudioHandlers, StudioResult } from '../../src-main/core/studio-contract';
import type { IpcHandlers, IpcResult, StudioApi, StudioBridge, StudioEventName, STUDIO_EVENT_NAMES } from '../../src-preload/contract';
import type { studio } from '../../src-preload/index';

// The map has exactly the listed methods, and the list exactly the map's keys.
expectTypeOf<keyof typeof STUDIO_CONTRACT>().toEqualTypeOf<StudioMethod>();
expectTypeOf<(typeof STUDIO_METHODS)[number]>().toEqualTypeOf<keyof typeof STUDIO_CONTRACT>();
expectTypeOf<(typeof STUDIO_EVENT_NAMES)[number]>().toEqualTypeOf<StudioEventName>();

// Main: each handler, as written, takes exactly the method's parsed arguments (defaults applied)
// and returns its result: a handler that ignores an argument the contract has, or returns
// something else, fails here …
expectTypeOf<ReturnType<typeof studioHandlers>>().toEqualTypeOf<StudioHandlers>();
expectTypeOf<Parameters<StudioHandlers['submit']>>().toEqualTypeOf<[GenerateRequest]>();
expectTypeOf<Parameters<StudioHandlers['listJobs']>[0]>().toExtend<ListJobsQuery>();
// … and what ipcMain gets is the same methods, each answering an IpcResult of the method's result.
expectTypeOf<ReturnType<typeof createIpcHandlers>>().toEqualTypeOf<IpcHandlers>();
expectTypeOf<ReturnType<IpcHandlers['getJob']>>().toEqualTypeOf<Promise<IpcResult<JobRecord>>>();

// Preload: window.studio is the derived bridge, and the bridge is every contract method plus events.
expectTypeOf<typeof studio>().toEqualTypeOf<StudioBridge>();
expectTypeOf<Omit<StudioBridge, 'shell' | 'subscribe'>>().toEqualTypeOf<StudioCalls>();
expectTypeOf<StudioBridge['submit']>().toEqualTypeOf<(request: GenerateRequestInput) => Promise<JobRecord>>();
expectTypeOf<StudioBridge['previewPlacement']>().parameters.toEqualTypeOf<[string, TextPosition, CompositionMode]>();
expectTypeOf<StudioBridge['listJobs']>().returns.toEqualTypeOf<Promise<JobsPage>>();
expectTypeOf<StudioResult<'previewPlacement'>>().toEqualTypeOf<PlacementPreview>();

// The renderer's API is the contract's calls; only exportZip differs (progress callback instead of an export id).
expectTypeOf<Omit<StudioApi, 'shell' | 'exportZip' | 'onEvent' | 'onMenu' | 'assetUrl'>>().toEqualTypeOf<Omit<StudioCalls, 'exportZip'>>();
expectTypeOf<StudioApi['exportZip']>().returns.toEqualTypeOf<ReturnType<StudioCalls['exportZip']>>();
expectTypeOf<Parameters<StudioApi['exportZip']>[0]>().toEqualTypeOf<Parameters<StudioCalls['exportZip']>[0]>();
