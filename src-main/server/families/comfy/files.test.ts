// Folder rules for /view and uploads (nothing leaves its folder), ComfyUI's clash renaming, output
// counters, the binary frame format and history slicing.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame, previewFrame, previewWithMetadataFrame, textFrame } from './binary';
import { comfyDirs, listInputImages, nextOutputName, resolveUpload, resolveView, splitPrefix, uploadTarget } from './files';
import { HistoryStore, type HistoryEntry } from './history';

const dirs = comfyDirs('/data');

describe('resolveView', () => {
  it('serves output by default, honours type and the " [input]" annotation', () => {
    expect(resolveView(dirs, { filename: 'a.png' })).toEqual({ ok: true, path: '/data/comfy/output/a.png', name: 'a.png', type: 'output' });
    expect(resolveView(dirs, { filename: 'a.png', type: 'temp', subfolder: 'x' })).toMatchObject({ ok: true, path: '/data/comfy/temp/x/a.png' });
    expect(resolveView(dirs, { filename: 'a.png [input]', type: 'output' })).toMatchObject({ ok: true, path: '/data/comfy/input/a.png', type: 'input' });
  });
  it('400 for "..", absolute names and unknown types; 403 when the subfolder escapes; 404 without a name', () => {
    expect(resolveView(dirs, { filename: '../../etc/passwd' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveView(dirs, { filename: '/etc/passwd' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveView(dirs, { filename: 'a.png', type: 'models' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveView(dirs, { filename: 'passwd', subfolder: '../../../etc' })).toMatchObject({ ok: false, status: 403 });
    expect(resolveView(dirs, { filename: 'a.png', subfolder: '/etc' })).toMatchObject({ ok: false, status: 403 });
    expect(resolveView(dirs, {})).toMatchObject({ ok: false, status: 404 });
  });
});

describe('uploads', () => {
  it('refuses names with separators or "..", and subfolders that escape', () => {
    expect(resolveUpload(dirs, { filename: '../x.png', subfolder: '', type: 'input' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveUpload(dirs, { filename: 'a\\b.png', subfolder: '', type: 'input' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveUpload(dirs, { filename: 'x.png', subfolder: '../../', type: 'input' })).toMatchObject({ ok: false, status: 400 });
    expect(resolveUpload(dirs, { filename: 'x.png', subfolder: 'a/b', type: 'input' })).toMatchObject({ ok: true, path: '/data/comfy/input/a/b/x.png' });
  });
  it('same bytes reuse the name, different bytes get "name (1).ext", overwrite keeps the name', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'comfy-up-'));
    writeFileSync(join(dir, 'p.png'), 'AAA');
    expect(await uploadTarget(dir, 'p.png', Buffer.from('AAA'), false)).toEqual({ name: 'p.png', write: false });
    expect(await uploadTarget(dir, 'p.png', Buffer.from('BBB'), false)).toEqual({ name: 'p (1).png', write: true });
    expect(await uploadTarget(dir, 'p.png', Buffer.from('BBB'), true)).toEqual({ name: 'p.png', write: true });
  });
  it('lists uploaded images one folder deep, sorted', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'comfy-in-'));
    mkdirSync(join(dir, 'sub'));
    for (const f of ['b.png', 'a.jpg', 'notes.txt', 'sub/c.webp']) writeFileSync(join(dir, f), 'x');
    expect(await listInputImages(dir)).toEqual(['a.jpg', 'b.png', 'sub/c.webp']);
  });
});

describe('outputs', () => {
  it('counts on from the files already there and splits "dir/prefix"', async () => {
    const dir = mkdtempSync(join(os.tmpdir(), 'comfy-out-'));
    expect(await nextOutputName(dir, 'AdForge')).toBe('AdForge_00001_.png');
    writeFileSync(join(dir, 'AdForge_00007_.png'), 'x');
    writeFileSync(join(dir, 'Other_00020_.png'), 'x');
    expect(await nextOutputName(dir, 'AdForge')).toBe('AdForge_00008_.png');
    expect(splitPrefix('ads/summer')).toEqual({ subfolder: 'ads', prefix: 'summer' });
    expect(splitPrefix('../x')).toBeNull();
  });
});

describe('binary frames', () => {
  it('PREVIEW_IMAGE is [u32 1][u32 format][bytes]; clients strip 8 bytes', () => {
    const f = previewFrame(Buffer.from([0xff, 0xd8, 0xff]), 'jpeg');
    expect([...f.subarray(0, 8)]).toEqual([0, 0, 0, 1, 0, 0, 0, 1]);
    expect([...f.subarray(8)]).toEqual([0xff, 0xd8, 0xff]);
    expect(previewFrame(Buffer.from('x'), 'png').readUInt32BE(4)).toBe(2);
  });
  it('metadata and text frames round-trip', () => {
    const meta = { node_id: '2', prompt_id: 'p', display_node_id: '2', parent_node_id: null, real_node_id: '2', image_type: 'image/png' as const };
    const d = decodeFrame(previewWithMetadataFrame(Buffer.from('IMG'), meta));
    expect(d).toEqual({ event: 4, meta, image: Buffer.from('IMG') });
    expect(decodeFrame(textFrame('12', 'loading'))).toEqual({ event: 3, nodeId: '12', text: 'loading' });
  });
});

describe('history', () => {
  const entry = (n: number) =>
    ({ prompt: [n, `p${n}`, {}, {}, []], outputs: {}, status: { status_str: 'success', completed: true, messages: [] }, meta: {} }) as unknown as HistoryEntry;
  it('max_items alone gives the last N; offset indexes the insertion order; the cap drops the oldest', async () => {
    const h = new HistoryStore(null, 4);
    for (let i = 0; i < 5; i++) await h.set(`p${i}`, entry(i));
    expect(Object.keys(h.slice())).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(Object.keys(h.slice(2))).toEqual(['p3', 'p4']);
    expect(Object.keys(h.slice(2, 1))).toEqual(['p2', 'p3']);
    expect(Object.keys(h.slice(undefined, 3))).toEqual(['p4']);
  });
  it('survives a restart from its file', async () => {
    const file = join(mkdtempSync(join(os.tmpdir(), 'comfy-h-')), 'history.json');
    const a = new HistoryStore(file);
    await a.set('x', entry(1));
    const b = new HistoryStore(file);
    await b.load();
    expect(b.get('x')?.prompt[1]).toBe('p1');
  });
});
