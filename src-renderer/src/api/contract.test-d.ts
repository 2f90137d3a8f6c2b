// Type-level test (tsc -p tsconfig.web.json): both clients of the studio UI implement exactly the
// StudioApi derived from the one contract (src-main/core/studio-contract.ts), so a client method
// that drifts from the contract, or a client typed by hand, fails here. The main side and the
// preload are checked in test/studio/contract.test-d.ts.
import { expectTypeOf } from 'vitest';
import type { StudioApi, StudioBridge, StudioCalls, StudioMethod } from '../../../src-preload/contract';
import type { api } from './index';
import type { createHttpApi } from './http';
import type { createIpcApi } from './ipc';

// The HTTP client is written out method by method: each, as written, takes exactly the contract's
// arguments and returns its result (one that drops an argument the contract has fails here).
type HttpApi = ReturnType<typeof createHttpApi>;
expectTypeOf<Pick<HttpApi, Exclude<StudioMethod, 'exportZip'>>>().toEqualTypeOf<Omit<StudioCalls, 'exportZip'>>();
expectTypeOf<Parameters<HttpApi['exportZip']>>().toEqualTypeOf<Parameters<StudioApi['exportZip']>>();
expectTypeOf<HttpApi['exportZip']>().returns.toEqualTypeOf<ReturnType<StudioApi['exportZip']>>();
expectTypeOf<HttpApi>().toExtend<StudioApi>();
// The IPC client is a loop over the contract's methods (its coverage is tested at run time).
expectTypeOf<ReturnType<typeof createIpcApi>>().toEqualTypeOf<StudioApi>();
expectTypeOf<Parameters<typeof createIpcApi>>().toEqualTypeOf<[StudioBridge]>();
expectTypeOf<typeof api>().toEqualTypeOf<StudioApi>();
// Every contract method is on the API with the contract's arguments and result.
expectTypeOf<Pick<StudioApi, Exclude<keyof StudioCalls, 'exportZip'>>>().toEqualTypeOf<Omit<StudioCalls, 'exportZip'>>();
