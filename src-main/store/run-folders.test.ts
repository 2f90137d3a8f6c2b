import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { isJobId } from '../core/jobs';
import { RunFolders } from './run-folders';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'adforge-runs-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('RunFolders', () => {
  it('accepts only UUID job ids, so no request value can name a path outside runs/', () => {
    const f = new RunFolders(tmp());
    const id = randomUUID();
    expect(isJobId(id)).toBe(true);
    expect(f.dirOf(id)).toBe(join(f.root, id));
    for (const bad of ['../etc', '..', `${id}/../../x`, '/etc/passwd', id.toUpperCase(), `${id}\0`, '', 'a'.repeat(36)]) {
      expect(isJobId(bad)).toBe(false);
      expect(() => f.dirOf(bad)).toThrow(/not a job id/);
    }
  });

  it('lists artifacts, links them into another job for reuse, and removes a folder completely', async () => {
    const f = new RunFolders(tmp());
    const a = randomUUID();
    const b = randomUUID();
    await f.create(a);
    await f.writeFile(a, 'step1.png', Buffer.from('one'));
    await f.writeFile(a, 'step2.png', Buffer.from('two'));
    await f.writeJson(a, 'params', { seed: 1 });
    writeFileSync(join(f.dirOf(a), 'final.png.abc.tmp'), 'partial'); // a temp file is not an artifact
    expect(f.listArtifactsSync(a)).toEqual(['step1', 'step2', 'params']);
    expect(await f.copyArtifacts(a, b, ['step1', 'mask', 'step2'])).toEqual(['step1', 'step2']);
    expect(readFileSync(f.fileOf(b, 'step2'), 'utf8')).toBe('two');
    // Rewriting the reused file in the new job (temp + rename) leaves the source job's bytes alone.
    await f.writeFile(b, 'step2.png', Buffer.from('changed'));
    expect(readFileSync(f.fileOf(a, 'step2'), 'utf8')).toBe('two');
    await f.remove(a);
    expect(existsSync(f.dirOf(a))).toBe(false);
    expect(readFileSync(f.fileOf(b, 'step1'), 'utf8')).toBe('one'); // hard link survives the source's deletion
    expect(readdirSync(f.root).filter((n) => n.startsWith('.trash'))).toEqual([]);
    await f.remove(a); // twice is fine
  });

  it('writeFileAtomic never shows a partial file under the final name, even when the writer is killed', async () => {
    const root = tmp();
    const target = join(root, 'final.png');
    writeFileSync(target, 'OLD');
    // A child process writes 256 MB atomically and is SIGKILLed mid-write.
    // Node 20 cannot import .ts directly: bundle the real module for the child.
    const bundled = join(root, 'atomic-write.mjs');
    await build({
      entryPoints: [new URL('../imaging/atomic-write.ts', import.meta.url).pathname],
      outfile: bundled,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(bundled)};
      process.send?.('go');
      await writeFileAtomic(${JSON.stringify(target)}, Buffer.alloc(256 * 1024 * 1024, 7));
      process.send?.('done');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    await new Promise<void>((res) => child.on('message', () => res()));
    const tmpName = () => readdirSync(root).find((n) => n.startsWith('final.png.') && n.endsWith('.tmp'));
    // Wait (by the clock, not by loop count: a loaded machine starts the child slowly) until the
    // temp file exists, so the kill lands inside the write.
    const deadline = Date.now() + 20_000;
    while (!tmpName() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    expect(tmpName(), 'the writer never created its temp file').toBeDefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    // The kill landed mid-write (a torn temp file is left behind), yet the final name still
    // holds the complete old bytes.
    const leftovers = readdirSync(root).filter((n) => n.startsWith('final.png.') && n.endsWith('.tmp'));
    expect(leftovers.length).toBe(1);
    expect(readFileSync(target, 'utf8')).toBe('OLD');

    // And a completed write replaces the content whole.
    const { writeFileAtomic } = await import('../imaging/atomic-write');
    await writeFileAtomic(target, Buffer.from('NEW'));
    expect(readFileSync(target, 'utf8')).toBe('NEW');
    expect(readdirSync(root).filter((n) => n.startsWith('final.png'))).toContain('final.png');
  });
});
