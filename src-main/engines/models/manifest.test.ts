// The shipped manifests must parse (and keep the paths older engines read); user manifests are
// validated with messages that name the field, and no manifest can point outside its folder.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { componentsOf, fileSource, isSafeRelativePath, loadManifests, ManifestError, parseManifest } from './manifest';

// The repository's own models/ folder (resolved from this file, not from any settings).
const shipped = path.resolve(import.meta.dirname, '../../../models');
const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const base = { id: 'x', role: 'background', repo: 'o/r', revision: 'a'.repeat(40), license: 'MIT', files: [{ path: 'm.onnx' }] };

describe('shipped manifests', () => {
  it('all parse, with pinned 40-hex revisions where known', async () => {
    const { manifests, errors } = await loadManifests([shipped]);
    expect(errors).toEqual([]);
    const byId = Object.fromEntries(manifests.map((m) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual(['birefnet', 'flux-schnell', 'isnet-medium', 'sd-turbo', 'sdxl-controlnet-canny', 'sdxl-turbo']);
    for (const id of ['sd-turbo', 'sdxl-turbo', 'flux-schnell']) {
      const m = byId[id];
      expect(m.distribution).toBe('hub');
      expect(m.role).toBe('background');
      expect(m.minVramGB).toBeGreaterThan(0);
      expect(m.nativeSize?.width).toBeGreaterThan(0);
      expect(componentsOf(m).length).toBeGreaterThan(0);
      for (const c of componentsOf(m)) expect(c.inputs.length).toBeGreaterThan(0);
      for (const f of m.files) {
        const src = fileSource(m, f);
        // Either pinned, or explicitly unpinned (null) with the reason in the notes.
        if (src.revision !== null) expect(src.revision).toMatch(/^[0-9a-f]{40}$/);
      }
    }
    expect(byId['sd-turbo'].revision).toMatch(/^[0-9a-f]{40}$/);
    expect(byId['sdxl-turbo'].revision).toMatch(/^[0-9a-f]{40}$/);
    expect(byId['sdxl-turbo'].roles).toContain('lettering');
    expect(byId['flux-schnell'].revision).toBeNull();
    expect(String(byId['flux-schnell'].notes)).toMatch(/NO PINNED REVISION/);
    // Older engines read these exact places.
    expect(byId.birefnet).toMatchObject({ layout: 'flat', distribution: 'manual' });
    expect(byId.birefnet.files[0].path).toBe('birefnet.onnx');
    expect(byId['isnet-medium'].distribution).toBe('npm');
    expect(componentsOf(byId['isnet-medium'])[0]).toMatchObject({ id: 'model', inputs: [{ name: 'input', dtype: 'float32' }] });
  });
});

describe('parseManifest', () => {
  it('accepts the old `type` key for a tensor dtype', () => {
    const m = parseManifest({ ...base, inputs: [{ name: 'input', type: 'float32', shape: [1, 3, 1024, 1024] }], outputs: [{ name: 'output', type: 'float32' }] });
    expect(componentsOf(m)).toEqual([{ id: 'model', file: 'm.onnx', inputs: [expect.objectContaining({ dtype: 'float32' })], outputs: [expect.objectContaining({ dtype: 'float32' })] }]);
    expect(m.layout).toBe('folder');
  });

  it('rejects paths that leave the model folder', () => {
    for (const bad of ['../x.onnx', '/etc/passwd', 'a/../../b', 'C:/x.onnx', 'a\\b.onnx', 'a//b', './a', '']) {
      expect(isSafeRelativePath(bad)).toBe(false);
      expect(() => parseManifest({ ...base, files: [{ path: bad }] })).toThrow(ManifestError);
    }
    expect(isSafeRelativePath('unet/model.onnx_data')).toBe(true);
    expect(() => parseManifest({ ...base, components: [{ id: 'u', file: '../m.onnx', inputs: [], outputs: [] }] })).toThrow(/components\.0\.file/);
  });

  it('names the field at fault', () => {
    expect(() => parseManifest({ ...base, revision: 'main' }, 'models/x.json')).toThrow(/models\/x\.json: revision: revision must be a 40-hex commit/);
    expect(() => parseManifest({ ...base, files: [{ path: 'a', sha256: 'XYZ' }] })).toThrow(/files\.0\.sha256/);
    expect(() => parseManifest({ ...base, files: [{ path: 'a' }, { path: 'a' }] })).toThrow(/listed twice/);
    expect(() => parseManifest({ ...base, components: [{ id: 'u', file: 'other.onnx', inputs: [], outputs: [] }] })).toThrow(/not in "files"/);
    expect(() => parseManifest({ ...base, id: 'Bad Id' })).toThrow(/id/);
    expect(() => parseManifest({ ...base, distribution: 'hub', repo: undefined })).toThrow(/needs "repo"/);
  });

  it('a later folder overrides a shipped manifest by id; broken files are reported, not fatal', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'adforge-manifests-'));
    tmpDirs.push(dir);
    writeFileSync(path.join(dir, 'sd-turbo.json'), JSON.stringify({ ...base, id: 'sd-turbo', license: 'custom' }));
    writeFileSync(path.join(dir, 'broken.json'), '{');
    writeFileSync(path.join(dir, '.birefnet.adforge-lock.json'), '{}'); // a flat model's lock, not a manifest
    const { manifests, errors } = await loadManifests([shipped, dir]);
    expect(manifests.find((m) => m.id === 'sd-turbo')?.license).toBe('custom');
    expect(errors).toHaveLength(1);
    expect(errors[0].file).toMatch(/broken\.json$/);
  });
});
