// Where the server's families used to find request validation. Both functions have moved: a
// generation request is parsed (and checked across fields) by the service, zod issues become a
// 400 `detail` in core. Kept as a re-export only for src-main/server/error-handler.ts,
// families/comfy/plan-request.ts and the CLI's generate command until they import the new homes.
export { zodErrorToAppError } from '../core/zod-errors';
export { parseGenerateRequest } from '../service/submit';
