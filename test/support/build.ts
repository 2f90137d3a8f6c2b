// The built server and pipeline worker the integration tests run: the same bundles that
// `npm run build:server` makes (scripts/build-server.mjs), built once per test process so a single
// test file can also be run on its own.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const WORKER = path.join(ROOT, 'dist', 'worker.js');

let built = false;
export function ensureServerBuild(): void {
  if (built) return;
  const r = spawnSync(process.execPath, ['scripts/build-server.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-server failed:\n${r.stdout}\n${r.stderr}`);
  built = true;
}
