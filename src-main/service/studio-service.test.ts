// Durability of the spine: a process killed with SIGKILL mid-job loses nothing. A child process
// runs the real StudioService + pipeline worker, completes one job, starts a second that hangs,
// and is killed; the next service on the same data dir keeps every job and file, marks the
// killed job failed "interrupted" with its files, and runs new jobs. Also the watchdog.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ensureServerBuild, ROOT, WORKER } from '../../test/support/build';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerateRequestSchema } from '../core/params';
import type { JobRecord, StudioService } from '../core/service';
import type { WorkerFaults } from '../jobs/job-runner';
import { UPLOADS } from '../pipeline/job';
import { createStudioService } from './studio-service';

const OUT = join(ROOT, 'node_modules/.cache/adforge-spine-test');
const CHILD = join(OUT, 'service-child.mjs');
const dirs: string[] = [];

const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node20',
  packages: 'external' as const,
  logLevel: 'silent' as const,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

// The child: one completed job, then one that hangs (the 'hang' test fault), then it waits to be killed.
const CHILD_SOURCE = `
import { readFileSync } from 'node:fs';
import { createStudioService } from ${JSON.stringify(join(ROOT, 'src-main/service/studio-service.ts'))};
import { GenerateRequestSchema } from ${JSON.stringify(join(ROOT, 'src-main/core/params.ts'))};
const [dataDir, worker, s1, s2, root] = process.argv.slice(2);
const faults = {};
const service = await createStudioService({ dataDir, modelsDir: root + '/models', fontDirs: { bundled: root + '/fonts', user: null }, workerScript: worker, faults, log: () => {} });
const body = GenerateRequestSchema.parse({ start_step: 3, step1_image: readFileSync(s1, 'base64'), step2_image: readFileSync(s2, 'base64'), text_content: 'KEEP' });
const first = await service.submit(body, { queue: false, client: 'child' });
await new Promise((res) => service.onEvent((e) => { if (e.type === 'finished' && e.job.job_id === first.job_id) res(); }));
faults.testFault = 'hang';
const second = await service.submit(body, { queue: false, client: 'child' });
const poll = setInterval(() => {
  const j = service.get(second.job_id);
  if (j && j.status === 'running' && j.message !== 'Starting') { clearInterval(poll); process.stdout.write(JSON.stringify({ first: service.get(first.job_id), second: j }) + '\\n'); }
}, 10);
setInterval(() => {}, 1000);
`;

let step1Path: string;
let step2Path: string;

beforeAll(async () => {
  ensureServerBuild();
  mkdirSync(OUT, { recursive: true });
  const src = join(OUT, 'service-child.ts');
  writeFileSync(src, CHILD_SOURCE);
  await build({ ...common, entryPoints: [src], outfile: CHILD });
  const d = mkdtempSync(join(tmpdir(), 'adforge-svc-imgs-'));
  dirs.push(d);
  step1Path = join(d, 's1.png');
  step2Path = join(d, 's2.png');
  await sharp({ create: { width: 320, height: 320, channels: 3, background: '#3a6ea5' } })
    .png()
    .toFile(step1Path);
  const txt = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="80"><text x="10" y="60" font-size="56" font-family="sans-serif" fill="#fff">KEEP</text></svg>`,
  );
  await sharp(txt).png().toFile(step2Path);
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const open = (dataDir: string, extra: { watchdogMs?: number; faults?: WorkerFaults } = {}) =>
  createStudioService({
    dataDir,
    modelsDir: join(ROOT, 'models'),
    fontDirs: { bundled: join(ROOT, 'fonts'), user: null },
    workerScript: WORKER,
    log: () => {},
    ...extra,
  });

function until(service: StudioService, id: string, pred: (j: JobRecord) => boolean, ms = 60_000): Promise<JobRecord> {
  const t0 = Date.now();
  return new Promise((res, rej) => {
    const tick = () => {
      const j = service.get(id);
      if (j && pred(j)) return res(j);
      if (Date.now() - t0 > ms) return rej(new Error(`timeout: ${JSON.stringify(j)}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe('StudioService durability', () => {
  it('after SIGKILL mid-job: earlier jobs and files intact, killed job failed "interrupted" with its files, new jobs run', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adforge-kill-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, [CHILD, dataDir, WORKER, step1Path, step2Path, ROOT], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((res, rej) => {
      let buf = '';
      child.stdout.on('data', (c: Buffer) => {
        buf += c.toString();
        if (buf.includes('\n')) res(buf.split('\n')[0]);
      });
      child.on('exit', (code) => rej(new Error(`child exited early (${code})`)));
      setTimeout(() => rej(new Error('child timed out')), 90_000);
    });
    const { first, second } = JSON.parse(line) as { first: JobRecord; second: JobRecord };
    expect(first.status).toBe('completed');
    expect(second.status).toBe('running');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const finalBefore = readFileSync(join(dataDir, 'runs', first.job_id, 'final.png'));

    const service = await open(dataDir);
    try {
      const f = service.get(first.job_id);
      expect(f?.status).toBe('completed');
      expect(readFileSync(service.artifactPath(first.job_id, 'final') as string).equals(finalBefore)).toBe(true);
      const s = service.get(second.job_id);
      expect(s).toMatchObject({ status: 'failed', message: 'interrupted', error: 'interrupted' });
      expect(s?.artifacts).toContain('params');
      expect(existsSync(join(dataDir, 'runs', second.job_id, UPLOADS.step1))).toBe(true);
      expect(service.counts()).toMatchObject({ total_jobs: 2, active_jobs: 0, completed_jobs: 1, failed_jobs: 1 });
      // The lane is free and works.
      const body = GenerateRequestSchema.parse({ start_step: 3, from_job_id: first.job_id, text_content: 'KEEP' });
      const next = await service.submit(body, { queue: false, client: 'test' });
      expect((await until(service, next.job_id, (j) => j.status !== 'pending' && j.status !== 'running')).status).toBe('completed');
    } finally {
      await service.close();
    }
  });

  it('stopping a job while the worker loads its engines, and closing during a load, neither crash the process', async () => {
    // Terminating a thread inside onnxruntime-node's model load aborts the whole process, so
    // these paths must wait for the load instead; this test process surviving is the check.
    const dataDir = mkdtempSync(join(tmpdir(), 'adforge-load-'));
    dirs.push(dataDir);
    const service = await open(dataDir);
    const body = GenerateRequestSchema.parse({
      start_step: 3,
      step1_image: readFileSync(step1Path, 'base64'),
      step2_image: readFileSync(step2Path, 'base64'),
      text_content: 'KEEP',
    });
    try {
      const job = await service.submit(body, { queue: false, client: 'test' });
      const t0 = performance.now();
      const stopped = await service.stop(job.job_id);
      expect(stopped.status).toBe('stopped');
      expect(performance.now() - t0).toBeLessThan(2000);
      const next = await service.submit(body, { queue: false, client: 'test' });
      expect((await until(service, next.job_id, (j) => j.status !== 'pending' && j.status !== 'running')).status).toBe('completed');
    } finally {
      await service.close();
    }
    const again = await open(dataDir);
    await new Promise((r) => setTimeout(r, 300)); // mid-load
    await again.close();
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('the watchdog fails a job whose worker has gone silent, and frees the lane', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'adforge-dog-'));
    dirs.push(dataDir);
    const faults: WorkerFaults = {};
    const service = await open(dataDir, { watchdogMs: 1500, faults });
    try {
      const body = GenerateRequestSchema.parse({
        start_step: 3,
        step1_image: readFileSync(step1Path, 'base64'),
        step2_image: readFileSync(step2Path, 'base64'),
        text_content: 'KEEP',
      });
      // First a normal job, so the engines are warm and the watchdog only sees the hang.
      const warm = await service.submit(body, { queue: false, client: 'test' });
      await until(service, warm.job_id, (j) => j.status === 'completed');
      faults.testFault = 'hang';
      const job = await service.submit(body, { queue: false, client: 'test' });
      const failed = await until(service, job.job_id, (j) => j.status === 'failed', 15_000);
      faults.testFault = null; // only after the hung worker is gone: the fault is read per job
      expect(failed.error).toMatch(/No progress from the pipeline/);
      const next = await service.submit(body, { queue: false, client: 'test' });
      expect((await until(service, next.job_id, (j) => j.status !== 'pending' && j.status !== 'running')).status).toBe('completed');
    } finally {
      await service.close();
    }
  });
});
