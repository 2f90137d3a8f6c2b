// Issue 2 "Done when": the seed's own clients (§8.1 Python, §8.2 Node/axios, §8.3 cURL, copied
// verbatim) run unchanged against the server on port 8000 and save output.png with the product in it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, productColourShare, productPng, ROOT, startServer, removeTempDirs, tempDir, type ServerProcess } from '../server/server-process';

const CLIENTS = path.join(ROOT, 'test', 'clients');
let server: ServerProcess | undefined;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  // The seed clients hard-code http://localhost:8000.
  if (!(await portFree(8000))) throw new Error('port 8000 is taken: the seed clients hard-code http://localhost:8000; stop whatever listens there and rerun');
  server = await startServer({ dataDir: tempDir('clients'), port: 8000 });
});
afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

async function runClient(cmd: string, args: string[]): Promise<{ output: string; png: Buffer; cwd: string }> {
  const cwd = tempDir('client-cwd');
  writeFileSync(path.join(cwd, 'product.png'), await productPng());
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_PROXY: '*', no_proxy: '*' } });
  const output = `${r.stdout}\n${r.stderr}`;
  expect(r.status, output).toBe(0);
  const out = path.join(cwd, 'output.png');
  expect(existsSync(out), output).toBe(true);
  return { output, png: readFileSync(out), cwd };
}

async function expectAd(png: Buffer): Promise<void> {
  const meta = await sharp(png).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(['png', 1024, 1024]);
  expect(await productColourShare(png)).toBeGreaterThan(0.01);
}

async function expectCleanedUp(output: string): Promise<void> {
  // Every seed client deletes its job at the end.
  const ids = [...output.matchAll(/Job (?:started|ID): ([0-9a-f-]{36})/g)].map((m) => m[1]);
  expect(ids.length, output).toBe(1);
  expect((await api('http://127.0.0.1:8000', 'GET', `/status/${ids[0]}`)).status).toBe(404);
}

describe('seed clients, unchanged', () => {
  it('§8.1 Python (requests) saves output.png', async () => {
    const { output, png } = await runClient('python3', [path.join(CLIENTS, 'seed_client.py')]);
    expect(output).toMatch(/Status: completed \| Progress: 100% \| Step: step3_composite/);
    expect(output).toContain('Result saved to output.png');
    await expectAd(png);
    await expectCleanedUp(output);
  });

  it('§8.2 Node.js (axios) saves output.png', async () => {
    const { output, png } = await runClient(process.execPath, [path.join(CLIENTS, 'seed_client.cjs')]);
    expect(output).not.toContain('Error:');
    expect(output).toContain('Result saved to output.png');
    await expectAd(png);
    await expectCleanedUp(output);
  });

  it('§8.3 cURL + jq saves output.png', async () => {
    const { output, png } = await runClient('bash', [path.join(CLIENTS, 'seed_client.sh')]);
    expect(output).toContain('Result saved to output.png');
    await expectAd(png);
    await expectCleanedUp(output);
  });
});
