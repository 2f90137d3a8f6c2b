// The studio API's vocabulary that has no schema behind it: the method names of the one contract
// (studio-contract.ts maps each to its argument schema and result type), the settings shapes, the
// same-origin paths the UI loads images and fonts from, and the page's CSP. Free of zod, Node and
// Electron, so the sandboxed preload (which may bundle no npm package) can import it at run time.
import { ARTIFACTS, type ArtifactName } from './jobs';
import type { ModelFileInfo } from './service';

/**
 * The methods of the studio API, in one place: STUDIO_CONTRACT must have exactly these keys (the
 * compiler checks both ways), the preload loops over them, and every client and handler type is
 * derived from the contract. A run-time list because the sandboxed preload needs the names
 * without the zod schemas.
 */
export const STUDIO_METHODS = [
  'submit',
  'getJob',
  'listJobs',
  'stopJob',
  'deleteJob',
  'fonts',
  'health',
  'settings',
  'updateSettings',
  'previewPlacement',
  'models',
  'installModel',
  'cancelModelInstall',
  'removeModel',
  'freeEngines',
  'exportZip',
  'openExternal',
] as const;

export type StudioMethod = (typeof STUDIO_METHODS)[number];

export interface ServerSettings {
  enabled: boolean;
  host: string;
  /** Configured port (0 = any free port). */
  port: number;
  /** Where it listens now, or null when it is off or failed to start. */
  url: string | null;
  apiKeySet: boolean;
  error: string | null;
}

export interface StudioSettings {
  shell: 'electron' | 'browser';
  version: string;
  dataDir: string;
  modelsDir: string;
  models: ModelFileInfo[];
  server: ServerSettings;
}

export interface ExportResult {
  /** File name the ZIP was saved under (browser: the download name). */
  fileName: string;
  bytes: number;
  /** False when the user closed the save dialog. */
  saved: boolean;
}

const FILE_TO_ARTIFACT = new Map<string, ArtifactName>(Object.entries(ARTIFACTS).map(([k, v]) => [v, k as ArtifactName]));

/** Artifact name for a file name such as "final.png", or undefined. */
export function artifactOfFile(fileName: string): ArtifactName | undefined {
  return FILE_TO_ARTIFACT.get(fileName);
}

/** Same-origin path of a job's artifact; `width` asks for a thumbnail that wide. */
export function artifactPath(jobId: string, artifact: ArtifactName, opts: { width?: number; version?: string | number } = {}): string {
  const q = new URLSearchParams();
  if (opts.width) q.set('w', String(Math.round(opts.width)));
  if (opts.version !== undefined) q.set('v', String(opts.version));
  const qs = q.toString();
  return `/api/jobs/${encodeURIComponent(jobId)}/files/${ARTIFACTS[artifact]}${qs ? `?${qs}` : ''}`;
}

/** Same-origin path of a font file for @font-face. */
export function fontPath(name: string): string {
  return `/api/fonts/file?name=${encodeURIComponent(name)}`;
}

/** The strict content security policy of the studio page (meta tag and response header). */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
