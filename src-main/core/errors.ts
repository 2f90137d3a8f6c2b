// Errors that cross layers carry the HTTP status and a human `detail` naming the field at fault,
// so every adapter (HTTP families, IPC, CLI) can report them the same way.

export class AppError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 415 | 503 | 500 | 507,
    readonly detail: string,
    readonly field?: string,
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

export const badRequest = (detail: string, field?: string) => new AppError(400, detail, field);
export const notFound = (detail = 'Job not found') => new AppError(404, detail);
export const tooLarge = (detail: string, field?: string) => new AppError(413, detail, field);
/** 507 Insufficient Storage: the data folder is full (below its reserve) or cannot be written. */
export const insufficientStorage = (detail: string) => new AppError(507, detail);

/** Thrown when the one job lane is taken and the caller asked not to queue. */
export class BusyError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(503, `Busy. Retry after ${retryAfterSeconds}s`);
    this.name = 'BusyError';
  }
}

/** Raised inside the pipeline when the job's AbortSignal fires. */
export class StoppedError extends Error {
  constructor() {
    super('Stopped by user');
    this.name = 'StoppedError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StoppedError();
}
