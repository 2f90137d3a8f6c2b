// Issue 2 "Done when": SIGKILL the server during a job, start it again on the same data dir:
// every earlier job and file is intact, the killed job is failed "interrupted" with its finished
// step files kept, and a new job completes.
import { afterAll, describe, expect, it } from 'vitest';
import { api, fileBytes, productPng, startServer, removeTempDirs, tempDir, waitForJob, type ServerProcess, type StatusBody } from './server-process';

let current: ServerProcess | undefined;
afterAll(async () => {
  await current?.stop();
  removeTempDirs();
});

describe('SIGKILL during a job', () => {
  it('keeps earlier jobs, fails the killed one with its finished steps, and runs new jobs after restart', async () => {
    const dataDir = tempDir('kill');
    current = await startServer({ dataDir });
    let base = current.url;
    const product = (await productPng()).toString('base64');

    const first = await api(base, 'POST', '/generate', { product_image: product, text_content: 'Earlier job', seed: 11 });
    const firstId = first.body.job_id as string;
    expect((await waitForJob(base, firstId)).status).toBe('completed');
    const firstFiles = new Map<string, Buffer>();
    for (const f of ['input.png', 'step1.png', 'step2.png', 'final.png']) firstFiles.set(f, (await fileBytes(base, `/files/${firstId}/${f}`)).bytes);

    // A bigger output makes steps 2 and 3 long enough to kill the server between them.
    const victim = await api(base, 'POST', '/generate', { product_image: product, text_content: 'Killed mid-job', long_edge: 2048, seed: 12 });
    const victimId = victim.body.job_id as string;
    let seen: StatusBody | undefined;
    for (let i = 0; i < 2000; i++) {
      const s = await api<StatusBody>(base, 'GET', `/status/${victimId}?include_images=false`);
      seen = s.body;
      if (s.body.step1_url || (s.body.status !== 'running' && s.body.status !== 'pending')) break;
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(seen?.status, 'the job must still be running when step 1 is saved').toBe('running');
    expect(seen?.step1_url).toBeTruthy();
    const step1Bytes = (await fileBytes(base, `/files/${victimId}/step1.png`)).bytes;
    await current.kill();

    current = await startServer({ dataDir });
    base = current.url;
    const killed = await api<StatusBody>(base, 'GET', `/status/${victimId}?include_images=false`);
    expect(killed.body.status).toBe('failed');
    expect(`${killed.body.message} ${killed.body.error}`).toMatch(/interrupted/);
    expect(killed.body.error).toBeTruthy();
    const keptStep1 = await fileBytes(base, `/files/${victimId}/step1.png`);
    expect(keptStep1.status).toBe(200);
    expect(keptStep1.bytes.equals(step1Bytes)).toBe(true);

    const earlier = await api<StatusBody>(base, 'GET', `/status/${firstId}`);
    expect(earlier.body.status).toBe('completed');
    expect(Buffer.from(earlier.body.final_result as string, 'base64').equals(firstFiles.get('final.png')!)).toBe(true);
    for (const [f, bytes] of firstFiles) expect((await fileBytes(base, `/files/${firstId}/${f}`)).bytes.equals(bytes), f).toBe(true);

    const jobs = await api(base, 'GET', '/jobs');
    expect(jobs.body).toMatchObject({ total_jobs: 2, completed_jobs: 1, failed_jobs: 1, active_jobs: 0 });

    // The killed job's step 1 is reusable, and the lane is free for new work.
    const rerun = await api(base, 'POST', '/generate', { start_step: 2, from_job_id: victimId, text_content: 'Recovered' });
    expect(rerun.status).toBe(200);
    expect((await waitForJob(base, rerun.body.job_id as string)).status).toBe('completed');
  });
});
