// Model-manager failures carry a code (for the Settings page and tests) and an HTTP status (so the
// server can pass them through like any other AppError); the message is written for the person at
// the workstation and says what to do next.
import { AppError } from '../../core/errors';

export type ModelErrorCode =
  | 'OFFLINE' // the hub cannot be reached at all
  | 'INTERRUPTED' // a download broke off; the .part file is kept for the next run
  | 'CHECKSUM' // bytes do not hash to what the manifest or the hub promised
  | 'SIZE' // bytes are not the promised length
  | 'NOT_FOUND' // the hub has no such file at that revision
  | 'AUTH' // gated/private repo without an accepted token
  | 'MISSING_FILE' // import folder lacks a file
  | 'NOT_INSTALLABLE' // npm-shipped or unknown model
  | 'UNPINNED' // manifest has no revision and none was given
  | 'UNSAFE_URL' // a non-https URL off loopback
  | 'NO_SPACE' // not enough free disk for the download
  | 'BUSY' // another install of the same model is running
  | 'NOT_INSTALLED' // verify/remove/use of a model that is not there
  | 'SIGNATURE'; // the ONNX session does not expose the declared tensors

const STATUS: Record<ModelErrorCode, 400 | 404 | 409 | 500 | 503> = {
  OFFLINE: 503,
  INTERRUPTED: 503,
  CHECKSUM: 500,
  SIZE: 500,
  NOT_FOUND: 404,
  AUTH: 503,
  MISSING_FILE: 400,
  NOT_INSTALLABLE: 400,
  UNPINNED: 400,
  UNSAFE_URL: 400,
  NO_SPACE: 503,
  BUSY: 409,
  NOT_INSTALLED: 404,
  SIGNATURE: 500,
};

export class ModelError extends AppError {
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(STATUS[code], message);
    this.name = 'ModelError';
  }
}

export function isModelError(err: unknown, code?: ModelErrorCode): err is ModelError {
  return err instanceof ModelError && (code === undefined || err.code === code);
}
