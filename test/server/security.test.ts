// Safe defaults on the real server process: DNS-rebinding Host and cross-site Origin refused,
// no network bind without a key, and the key enforced when one is set.
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { api, productPng, runCli, startServer, removeTempDirs, tempDir, waitForJob, type ServerProcess } from './server-process';

const started: ServerProcess[] = [];
afterAll(async () => {
  for (const s of started) await s.stop();
  removeTempDirs();
});

/** fetch() will not send a forged Host header; node:http will. */
function rawRequest(port: number, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('server security defaults', () => {
  it('refuses a DNS-rebinding Host header and a cross-site POST with 403, serves loopback names', async () => {
    const s = await startServer({ dataDir: tempDir('sec') });
    started.push(s);
    const evil = await rawRequest(s.port, 'GET', '/jobs', { host: `attacker.example:${s.port}` });
    expect(evil.status).toBe(403);
    expect(evil.body.detail).toMatch(/not allowed/);
    expect((await rawRequest(s.port, 'GET', '/jobs', { host: `localhost:${s.port}` })).status).toBe(200);
    const csrf = await rawRequest(s.port, 'POST', '/generate', {
      host: `127.0.0.1:${s.port}`,
      origin: 'https://attacker.example',
      'content-type': 'application/json',
    });
    expect(csrf.status).toBe(403);
    expect(csrf.body.detail).toMatch(/Cross-origin/);
    expect((await api(s.url, 'GET', '/jobs')).body.total_jobs).toBe(0); // nothing was started
  });

  it('will not bind beyond loopback without an API key, by flag or by env', () => {
    const byFlag = runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', tempDir('nokey')]);
    expect(byFlag.code).toBe(1);
    expect(byFlag.output).toMatch(/Refusing to listen on 0\.0\.0\.0 without an API key/);
    const byEnv = runCli(['serve', '--port', '0', '--data-dir', tempDir('nokey')], { ADFORGE_HOST: '0.0.0.0', ADFORGE_API_KEY: '' });
    expect(byEnv.code).toBe(1);
    expect(byEnv.output).toMatch(/--api-key/);
  });

  it('with a key on 0.0.0.0: 401 without it, 200 with X-API-Key, Bearer or ?token=', async () => {
    const s = await startServer({ dataDir: tempDir('key'), args: ['--host', '0.0.0.0', '--api-key', 'open-sesame'] });
    started.push(s);
    expect(s.output()).toMatch(/AdForge listening on http:\/\/0\.0\.0\.0:\d+/);
    const base = `http://127.0.0.1:${s.port}`;
    const none = await api(base, 'GET', '/health');
    expect(none.status).toBe(401);
    expect(none.body.detail).toMatch(/API key/);
    expect((await api(base, 'POST', '/generate', {})).status).toBe(401);
    expect((await api(base, 'GET', '/health', undefined, { 'x-api-key': 'wrong' })).status).toBe(401);
    expect((await api(base, 'GET', '/health', undefined, { 'x-api-key': 'open-sesame' })).status).toBe(200);
    expect((await api(base, 'GET', '/jobs', undefined, { authorization: 'Bearer open-sesame' })).status).toBe(200);
    expect((await api(base, 'GET', '/fonts?token=open-sesame')).status).toBe(200);
  });

  it('SIGTERM after work shuts down cleanly (exit 0) and the data dir reopens with the job intact', async () => {
    const dataDir = tempDir('term');
    const s = await startServer({ dataDir });
    const step1 = (await productPng(256, 256)).toString('base64');
    const step2 = (
      await sharp({ create: { width: 256, height: 64, channels: 4, background: { r: 250, g: 200, b: 30, alpha: 1 } } })
        .png()
        .toBuffer()
    ).toString('base64');
    const r = await api(s.url, 'POST', '/generate', { start_step: 3, step1_image: step1, step2_image: step2 });
    expect(r.status).toBe(200);
    expect((await waitForJob(s.url, r.body.job_id as string)).status).toBe('completed');
    expect(await s.stop()).toBe(0);
    expect(s.output()).toContain('shutting down');
    const again = await startServer({ dataDir });
    started.push(again);
    expect((await api(again.url, 'GET', `/status/${r.body.job_id}?include_images=false`)).body.status).toBe('completed');
  });
});
