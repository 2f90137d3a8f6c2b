// Issue 10 "Done when", the fault suite: the real server (`node dist/cli.js serve`) under
//   - a worker SIGKILL mid-job,
//   - a server SIGKILL with jobs queued in every family,
//   - a data dir on a size-limited file system (a tmpfs where this runs as root; otherwise the
//     reserve setting simulates a full disk),
//   - a read-only data dir (a read-only bind mount as root, since root ignores permission bits;
//     chmod as any other user),
//   - an engine set that fails to load.
// Each asserts what users see (status codes, details, /health, each family's job view) and that
// nothing stored is lost: every earlier job's files keep their SHA-256, and a job's artifact list is
// exactly the files in its folder.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ARTIFACTS, type ArtifactName } from '../../src-main/core/jobs';
import type { HealthInfo, JobRecord, JobsPage } from '../../src-main/core/service';
import { fillDisk, makeReadOnly, mountTmpfs } from '../helpers/limited-fs';
import { adGraph } from '../interop/harness';
import { api, productPng, removeTempDirs, startServer, tempDir, waitForJob, type ServerProcess, type StatusBody } from './server-process';

const MIB = 1024 * 1024;
const running: ServerProcess[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.kill();
  for (const c of cleanups.splice(0).reverse()) c();
});
afterAll(() => removeTempDirs());

async function serve(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const s = await startServer({ dataDir, env });
  running.push(s);
  return s;
}

async function stopped(s: ServerProcess, how: 'kill' | 'stop'): Promise<void> {
  if (how === 'kill') await s.kill();
  else await s.stop();
  running.splice(running.indexOf(s), 1);
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let productB64: string | null = null;
const product = async () => (productB64 ??= (await productPng(240, 320)).toString('base64'));

/** nanoCocoa POST /generate, returning the job id. */
async function generate(base: string, over: Record<string, unknown> = {}): Promise<string> {
  const r = await api(base, 'POST', '/generate', { product_image: await product(), text_content: 'FAULT SUITE', long_edge: 512, seed: 5, ...over });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.job_id as string;
}

/** SHA-256 of each artifact file of a job, as served by GET /files (what a user downloads). */
async function servedHashes(base: string, job: Pick<JobRecord, 'job_id' | 'artifacts'>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const a of job.artifacts) {
    const res = await fetch(`${base}/files/${job.job_id}/${ARTIFACTS[a]}`);
    expect(res.status, `${job.job_id}/${ARTIFACTS[a]}`).toBe(200);
    out[a] = sha(Buffer.from(await res.arrayBuffer()));
  }
  return out;
}

/** SHA-256 of every file in a job's run folder (read from disk). */
function diskHashes(dataDir: string, jobId: string): Record<string, string> {
  const dir = path.join(dataDir, 'runs', jobId);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, sha(readFileSync(path.join(dir, f)))]));
}

/** Artifacts in a job's run folder, in ARTIFACTS order: what its list must say. */
function onDisk(dataDir: string, jobId: string): ArtifactName[] {
  const names = new Set(readdirSync(path.join(dataDir, 'runs', jobId)));
  return (Object.keys(ARTIFACTS) as ArtifactName[]).filter((a) => names.has(ARTIFACTS[a]));
}

async function job(base: string, id: string): Promise<JobRecord> {
  const r = await api<JobRecord>(base, 'GET', `/api/jobs/${id}`);
  expect(r.status).toBe(200);
  return r.body;
}

async function health(base: string): Promise<HealthInfo> {
  return (await api<HealthInfo>(base, 'GET', '/health')).body;
}

/** Waits until a job has its step-1 image saved and is still running. */
async function untilStep1(base: string, id: string): Promise<void> {
  for (let i = 0; i < 4000; i++) {
    const s = (await api<StatusBody>(base, 'GET', `/status/${id}?include_images=false`)).body;
    if (s.step1_url) {
      expect(s.status, 'still running after step 1').toBe('running');
      return;
    }
    expect(['pending', 'running']).toContain(s.status);
    await sleep(15);
  }
  throw new Error(`job ${id} never saved step 1`);
}

/** The pipeline worker: the server's child process. */
function workerPid(serverPid: number): number {
  const children = readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  expect(children.length, 'the server has its pipeline worker').toBeGreaterThan(0);
  return children[0];
}

async function uploadComfyImage(base: string, name: string): Promise<void> {
  const form = new FormData();
  form.append('image', new Blob([Buffer.from(await product(), 'base64')], { type: 'image/png' }), name);
  form.append('overwrite', 'true');
  const res = await fetch(`${base}/comfy/upload/image`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
}

/** One submit in each family, as its own clients send it. */
async function submitEverywhere(base: string, comfyImage: string, tag: string) {
  return {
    nanococoa: await api(base, 'POST', '/generate', { product_image: await product(), text_content: `nano ${tag}`, long_edge: 512 }),
    studio: await api(base, 'POST', '/api/jobs', { product_image: await product(), text_content: `studio ${tag}`, long_edge: 512 }),
    comfy: await api(base, 'POST', '/comfy/prompt', { prompt: adGraph(comfyImage, `comfy ${tag}`, { long_edge: 512 }), client_id: `faults-${tag}` }),
    bridge: await api(base, 'POST', `/bridge/generate-based-workflow?clientId=faults-${tag}`, {
      workflow: 'adforge-background',
      '3/bg_prompt': `bridge ${tag}`,
    }),
    adgen: await api(base, 'POST', '/adgen/generate', { prompt: `adgen ${tag}`, text_content: 'ADGEN', product_image: await product(), long_edge: 512 }),
  };
}

type Submits = Awaited<ReturnType<typeof submitEverywhere>>;

/** Every family refused with 507 and a detail saying why (ComfyUI in its own error shape). */
function expectAllRefused(r: Submits, why: RegExp): void {
  for (const family of ['nanococoa', 'studio', 'bridge', 'adgen'] as const) {
    expect(r[family].status, `${family}: ${JSON.stringify(r[family].body)}`).toBe(507);
    expect(String(r[family].body.detail), family).toMatch(why);
  }
  // ComfyUI answers in its own {error: {type, message, details}} shape.
  expect(r.comfy.status, JSON.stringify(r.comfy.body)).toBe(507);
  expect(r.comfy.body).toMatchObject({ error: { type: 'insufficient_storage' } });
  expect(JSON.stringify(r.comfy.body)).toMatch(why);
}

describe('fault suite', () => {
  it('worker SIGKILL mid-job: that job fails saying so with exactly its saved files; the server keeps serving; earlier files unchanged; the next job runs', async () => {
    const dataDir = tempDir('faults-worker');
    const s = await serve(dataDir);
    const a = await generate(s.url);
    expect((await waitForJob(s.url, a)).status).toBe('completed');
    const aJob = await job(s.url, a);
    const aFiles = await servedHashes(s.url, aJob);

    const b = await generate(s.url, { long_edge: 2048, text_content: 'Worker killed mid-job' });
    await untilStep1(s.url, b);
    process.kill(workerPid(s.proc.pid!), 'SIGKILL');

    const bStatus = await waitForJob(s.url, b);
    expect(bStatus.status).toBe('failed');
    expect(bStatus.error).toMatch(/Pipeline worker exited unexpectedly \(signal SIGKILL\)/);
    const bJob = await job(s.url, b);
    expect(bJob.artifacts).toEqual(onDisk(dataDir, b));
    expect(bJob.artifacts).toContain('step1');
    expect(bJob.damaged).toBeUndefined();
    expect(readdirSync(path.join(dataDir, 'runs', b)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await servedHashes(s.url, bJob); // every listed file is served

    const t0 = Date.now();
    expect((await api(s.url, 'GET', '/health')).status).toBe(200);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await servedHashes(s.url, aJob)).toEqual(aFiles);
    const c = await generate(s.url, { seed: 6 });
    expect((await waitForJob(s.url, c)).status).toBe('completed');
  });

  it('server SIGKILL with jobs queued in every family: after restart each is failed "interrupted" in its family, the running one lists exactly its files, nothing stored is lost', async () => {
    const dataDir = tempDir('faults-server');
    let s = await serve(dataDir);
    const done = await generate(s.url);
    expect((await waitForJob(s.url, done)).status).toBe('completed');
    const doneJob = await job(s.url, done);
    const doneFiles = await servedHashes(s.url, doneJob);
    await uploadComfyImage(s.url, 'faults.png');

    // nanoCocoa's job runs (it does not queue); every other family queues behind it.
    const nano = await generate(s.url, { long_edge: 2048, text_content: 'Server killed mid-job' });
    const studio = await api<JobRecord>(s.url, 'POST', '/api/jobs', { product_image: await product(), text_content: 'studio queued', long_edge: 512 });
    const comfy = await api(s.url, 'POST', '/comfy/prompt', { prompt: adGraph('faults.png', 'comfy queued', { long_edge: 512 }), client_id: 'faults' });
    const bridge = await api(s.url, 'POST', '/bridge/generate-based-workflow?clientId=faults', {
      workflow: 'adforge-background',
      '3/bg_prompt': 'bridge queued',
    });
    const adgen = await api(s.url, 'POST', '/adgen/generate', {
      prompt: 'adgen queued',
      text_content: 'ADGEN',
      product_image: await product(),
      long_edge: 512,
    });
    expect([studio.status, comfy.status, bridge.status, adgen.status], JSON.stringify([studio.body, comfy.body, bridge.body, adgen.body])).toEqual([
      201, 200, 200, 200,
    ]);
    await untilStep1(s.url, nano);
    const before = (await api<JobsPage>(s.url, 'GET', '/api/jobs?limit=100')).body.jobs;
    const queued = before.filter((j) => j.status === 'pending');
    expect(queued.map((j) => j.client).sort()).toEqual(['adgen', 'bridge', 'comfy', 'studio']);
    await stopped(s, 'kill');

    s = await serve(dataDir);
    const after = (await api<JobsPage>(s.url, 'GET', '/api/jobs?limit=100')).body;
    expect(after.total).toBe(6);
    for (const j of after.jobs.filter((x) => x.job_id !== done)) {
      expect(j, j.client).toMatchObject({ status: 'failed', error: 'interrupted' });
      // The list of every interrupted job is exactly what is in its folder.
      expect(j.artifacts, j.client).toEqual(onDisk(dataDir, j.job_id));
      expect(readdirSync(path.join(dataDir, 'runs', j.job_id)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(j.damaged).toBeUndefined();
    }
    // Each family shows it in its own words.
    expect((await api<StatusBody>(s.url, 'GET', `/status/${nano}?include_images=false`)).body).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect((await job(s.url, studio.body.job_id)).status).toBe('failed');
    expect((await api(s.url, 'GET', `/adgen/runs/${adgen.body.run_id as string}`)).body).toMatchObject({ status: 'FAILED', error: 'interrupted' });
    const hist = (await api<{ history: { id: string; status: string; error_message?: string }[] }>(s.url, 'GET', '/bridge/history?clientId=faults')).body
      .history;
    expect(hist.find((h) => h.id === bridge.body.prompt_id)).toMatchObject({ status: 'failed', error_message: 'interrupted' });
    const promptId = comfy.body.prompt_id as string;
    const comfyHist = (
      await api<Record<string, { status: { status_str: string; completed: boolean; messages: [string, unknown][] } }>>(
        s.url,
        'GET',
        `/comfy/history/${promptId}`,
      )
    ).body;
    expect(comfyHist[promptId]?.status).toMatchObject({ status_str: 'error', completed: false });
    expect(comfyHist[promptId]?.status.messages.map(([m]) => m)).toContain('execution_error');

    // The running job's finished steps are kept and served; the earlier job is byte for byte the same.
    const nanoJob = await job(s.url, nano);
    expect(nanoJob.artifacts).toContain('step1');
    await servedHashes(s.url, nanoJob);
    expect(await servedHashes(s.url, doneJob)).toEqual(doneFiles);
    const next = await generate(s.url, { seed: 9 });
    expect((await waitForJob(s.url, next)).status).toBe('completed');
  });

  it('data dir on a size-limited file system: 507 in every family and /health degraded with the reason; ENOSPC mid-job fails only that job; DELETE works on the full disk; nothing stored is lost', async () => {
    const dataDir = tempDir('faults-full');
    const umount = mountTmpfs(dataDir, 192 * MIB); // ~90 MB of it is the segmentation model cache
    if (!umount) {
      // Not root: the reserve setting simulates the full disk (no ENOSPC mid-job without a real one).
      let s = await serve(dataDir);
      const a = await generate(s.url);
      expect((await waitForJob(s.url, a)).status).toBe('completed');
      await uploadComfyImage(s.url, 'full.png');
      const aJob = await job(s.url, a);
      const aFiles = await servedHashes(s.url, aJob);
      const c = await generate(s.url, { seed: 8 });
      expect((await waitForJob(s.url, c)).status).toBe('completed');
      await stopped(s, 'stop');
      s = await serve(dataDir, { ADFORGE_DISK_RESERVE_MB: String(1024 * 1024 * 1024) });
      const h = await health(s.url);
      expect(h.status).toBe('degraded');
      expect(h.reasons?.[0]).toMatch(/^Insufficient storage/);
      expectAllRefused(await submitEverywhere(s.url, 'full.png', 'full'), /Insufficient storage/);
      expect((await api(s.url, 'DELETE', `/jobs/${c}`)).status).toBe(200);
      expect(await servedHashes(s.url, aJob)).toEqual(aFiles);
      return;
    }
    cleanups.push(umount);
    const s = await serve(dataDir, { ADFORGE_DISK_RESERVE_MB: '16' });
    const a = await generate(s.url);
    expect((await waitForJob(s.url, a)).status).toBe('completed');
    const cId = await generate(s.url, { seed: 8 });
    expect((await waitForJob(s.url, cId)).status).toBe('completed');
    await uploadComfyImage(s.url, 'full.png');
    const aJob = await job(s.url, a);
    const aFiles = await servedHashes(s.url, aJob);
    const aDisk = diskHashes(dataDir, a);

    // A big studio job; the disk fills up after its step 1 is saved.
    const big = (await api<JobRecord>(s.url, 'POST', '/api/jobs', { product_image: await product(), text_content: 'Disk fills mid-job', long_edge: 2048 })).body
      .job_id;
    await untilStep1(s.url, big);
    expect(fillDisk(path.join(dataDir, 'filler'))).toBeGreaterThan(0);
    const bigStatus = await waitForJob(s.url, big);
    expect(bigStatus.status).toBe('failed');
    expect(bigStatus.error).toMatch(/^Disk full: the data folder ran out of space .*ENOSPC/);
    const bigJob = await job(s.url, big);
    expect(bigJob.artifacts).toEqual(onDisk(dataDir, big));
    expect(readdirSync(path.join(dataDir, 'runs', big)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    // What users see now: /health says why, every family refuses with 507 and a detail.
    const h = await health(s.url);
    expect(h.status).toBe('degraded');
    expect(h.reasons?.[0]).toMatch(/^Insufficient storage: \d+ MiB free in the data folder .*, below the 16 MiB reserve \(ADFORGE_DISK_RESERVE_MB\)/);
    expect(h.storage?.free_bytes).toBeLessThan(16 * MIB);
    expectAllRefused(await submitEverywhere(s.url, 'full.png', 'full'), /Insufficient storage/);
    expect((await api<JobsPage>(s.url, 'GET', '/api/jobs?limit=100')).body.total, 'no job was created by the refused submits').toBe(3);

    // Deleting works on the full disk, through nanoCocoa and the studio.
    expect((await api(s.url, 'DELETE', `/jobs/${cId}`)).body).toMatchObject({ job_id: cId, status: 'deleted' });
    expect((await fetch(`${s.url}/api/jobs/${big}`, { method: 'DELETE' })).status).toBe(204);
    expect(existsSync(path.join(dataDir, 'runs', cId))).toBe(false);
    expect(await servedHashes(s.url, aJob)).toEqual(aFiles);
    expect(diskHashes(dataDir, a)).toEqual(aDisk);

    // Space back: healthy, and jobs run again.
    rmSync(path.join(dataDir, 'filler'));
    await sleep(1100);
    expect((await health(s.url)).status).not.toBe('degraded');
    const next = await generate(s.url, { seed: 10 });
    expect((await waitForJob(s.url, next)).status).toBe('completed');
  });

  it('read-only data dir: starts saying so, /health degraded; the history, files, thumbnails and exports are served; new work and deletes get 507; nothing is lost', async (ctx) => {
    const dataDir = tempDir('faults-ro');
    let s = await serve(dataDir);
    const a = await generate(s.url);
    expect((await waitForJob(s.url, a)).status).toBe('completed');
    await uploadComfyImage(s.url, 'ro.png');
    const aJob = await job(s.url, a);
    const aFiles = await servedHashes(s.url, aJob);
    const aDisk = diskHashes(dataDir, a);
    await stopped(s, 'stop');

    mkdirSync(path.join(dataDir, 'fonts'), { recursive: true });
    const ro = makeReadOnly(dataDir);
    if (!ro) return ctx.skip(); // root without mount: no way to take write access from root
    cleanups.push(() => ro.restore());
    s = await serve(dataDir);
    expect(s.output()).toMatch(/the data folder .* cannot be written \((EROFS|EACCES|SQLITE_READONLY)[^)]*\): serving the job history read-only/);

    const h = await health(s.url);
    expect(h.status).toBe('degraded');
    expect(h.reasons?.join('\n')).toMatch(/cannot be written|read-only/);
    expect(h.storage?.writable).toBe(false);

    const st = (await api<StatusBody>(s.url, 'GET', `/status/${a}`)).body;
    expect(st.status).toBe('completed');
    expect(sha(Buffer.from(st.final_result!, 'base64'))).toBe(aFiles.final);
    expect(await servedHashes(s.url, aJob)).toEqual(aFiles);
    expect((await fetch(`${s.url}/api/jobs/${a}/files/final.png?w=64`)).headers.get('content-type')).toBe('image/webp');
    const zip = await fetch(`${s.url}/api/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ job_ids: [a] }) });
    expect(zip.status).toBe(200);
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    expectAllRefused(await submitEverywhere(s.url, 'ro.png', 'ro'), /read-only|cannot be written/);
    const del = await api(s.url, 'DELETE', `/jobs/${a}`);
    expect(del.status).toBe(507);
    expect(String(del.body.detail)).toMatch(/The data folder .* cannot be written \((EROFS|EACCES)/);
    expect((await job(s.url, a)).status).toBe('completed');
    await stopped(s, 'stop');

    ro.restore();
    cleanups.pop();
    expect(diskHashes(dataDir, a)).toEqual(aDisk);
    s = await serve(dataDir);
    expect((await health(s.url)).status).not.toBe('degraded');
    expect(await servedHashes(s.url, aJob)).toEqual(aFiles);
  });

  it('a damaged artifact (truncated, altered) is reported as damaged: /status stops serving it (no stale cached copy), thumbnails say 409, the ZIP leaves it out and names it', async () => {
    const dataDir = tempDir('faults-damaged');
    const s = await serve(dataDir);
    const a = await generate(s.url);
    expect((await waitForJob(s.url, a)).status).toBe('completed');
    const first = (await api<StatusBody>(s.url, 'GET', `/status/${a}`)).body; // fills the /status image cache
    expect(first.final_result).toBeTruthy();
    const aJob = await job(s.url, a);
    const intact = await servedHashes(s.url, aJob);

    const final = path.join(dataDir, 'runs', a, 'final.png');
    truncateSync(final, 2000);
    const step1 = path.join(dataDir, 'runs', a, 'step1.png');
    const bytes = readFileSync(step1);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(step1, bytes);

    const st = (await api<StatusBody>(s.url, 'GET', `/status/${a}`)).body;
    expect(st.final_result, 'no stale cached final').toBeNull();
    expect(st.step1_result, 'no altered step 1').toBeNull();
    expect(st.step2_result).toBeTruthy();
    expect(sha(Buffer.from(st.step2_result as string, 'base64'))).toBe(intact.step2);
    expect((await job(s.url, a)).damaged).toEqual(['step1', 'final']);

    const thumb = await api(s.url, 'GET', `/api/jobs/${a}/files/final.png?w=64`);
    expect(thumb.status).toBe(409);
    expect(String(thumb.body.detail)).toMatch(/final\.png of job .* is damaged \(truncated: 2000 of \d+ bytes\)/);
    expect((await api(s.url, 'GET', `/api/jobs/${a}/files/step1.png`)).status).toBe(409);
    expect((await fetch(`${s.url}/files/${a}/final.png`)).status, 'not served as if whole').not.toBe(200);

    const zip = await fetch(`${s.url}/api/export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ job_ids: [a] }) });
    expect(zip.status).toBe(200);
    const zipPath = path.join(dataDir, 'export.zip');
    writeFileSync(zipPath, Buffer.from(await zip.arrayBuffer()));
    const listing = execFileSync('python3', [
      '-c',
      'import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint("\\n".join(z.namelist()))\nprint(z.read("README.txt").decode())',
      zipPath,
    ]).toString();
    // README.txt gives the job's folder (named by date, headline and scene words) its job id.
    const folder = new RegExp(`^  (\\S+)/\\n    job id:   ${a}$`, 'm').exec(listing)?.[1] ?? '';
    expect(folder, listing).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}_/);
    expect(listing).not.toMatch(new RegExp(`^${folder}/final\\.png$`, 'm'));
    expect(listing).not.toMatch(new RegExp(`^${folder}/background\\.png$`, 'm'));
    expect(listing).toMatch(new RegExp(`^${folder}/headline-layer\\.png$`, 'm'));
    expect(listing).toMatch(/Damaged files, left out of this export/);
    expect(listing).toMatch(new RegExp(`${folder}/final\\.png  \\(job ${a}, final\\.png\\)  truncated: 2000 of`));
  });

  it('an engine set that fails to load: /health is degraded with the error, and jobs fail with it', async () => {
    const s = await serve(tempDir('faults-setup'), { ADFORGE_TEST_FAULT: 'setup' });
    let h = await health(s.url);
    for (let i = 0; i < 200 && h.status !== 'degraded'; i++) {
      await sleep(50);
      h = await health(s.url);
    }
    expect(h.status).toBe('degraded');
    expect(h.reasons?.[0]).toMatch(/^Engine setup failed: test fault 'setup'/);
    const j = await generate(s.url);
    const st = await waitForJob(s.url, j);
    expect(st.status).toBe('failed');
    expect(st.error).toMatch(/test fault 'setup'/);
  });
});
