// Issue 10 item 15: damaged artifacts (truncated, altered) are found on read, against the SHA-256
// recorded when they were written, and reported as damaged: by the integrity check, by artifact
// reads and thumbnails (409 saying so, not 500), and by ZIP exports (left out and named, or named
// in DAMAGED.txt when the change is only seen while streaming).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  statSync,
  openSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArtifactDigests, ArtifactName } from '../core/jobs';
import { digestFileSync, structuralProblem } from '../store/artifact-digest';
import { RunFolders } from '../store/run-folders';
import { dateStamp, writeJobsZip } from '../store/zip-export';
import { ArtifactFiles } from './artifacts';
import { exportJobs } from './exports';
import { ArtifactIntegrity } from './integrity';
import type { JobRecord } from '../core/service';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function png(seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(64 * 48 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * seed * 31) & 255;
  return sharp(raw, { raw: { width: 64, height: 48, channels: 3 } })
    .png()
    .toBuffer();
}

/** A job folder with final.png, step1.png and params.json, their digests recorded. */
async function setup() {
  const d = mkdtempSync(join(tmpdir(), 'adforge-integrity-'));
  dirs.push(d);
  const folders = new RunFolders(d);
  const id = randomUUID();
  await folders.create(id);
  await folders.writeFile(id, 'final.png', await png(3));
  await folders.writeFile(id, 'step1.png', await png(5));
  await folders.writeFile(id, 'params.json', JSON.stringify({ job_id: id }));
  const digests: Record<string, ArtifactDigests> = {};
  digests[id] = {};
  for (const a of ['final', 'step1', 'params'] as ArtifactName[]) digests[id][a] = digestFileSync(folders.fileOf(id, a))!;
  const integrity = new ArtifactIntegrity(folders, (j) => digests[j]);
  return { d, folders, id, digests, integrity, files: new ArtifactFiles(folders, integrity) };
}

/** Overwrites bytes in place and puts the old mtime back: the identity check alone cannot see it. */
function alterInPlaceKeepingMtime(path: string): void {
  const st = statSync(path);
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.from([0x42, 0x42, 0x42, 0x42]), 0, 4, Math.floor(st.size / 2));
  closeSync(fd);
  utimesSync(path, st.atime, st.mtime);
}

describe('ArtifactIntegrity', () => {
  it('ok while the file is the one written; truncated and altered files are damaged with the reason; restoring heals', async () => {
    const { folders, id, integrity } = await setup();
    expect(integrity.check(id, 'final')).toMatchObject({ state: 'ok', reason: null, path: folders.fileOf(id, 'final') });
    const original = readFileSync(folders.fileOf(id, 'final'));
    truncateSync(folders.fileOf(id, 'final'), 100);
    expect(integrity.check(id, 'final')).toMatchObject({ state: 'damaged', reason: `truncated: 100 of ${original.length} bytes` });
    expect(integrity.damaged(id)).toEqual(['final']);
    const s1 = folders.fileOf(id, 'step1');
    const bytes = readFileSync(s1);
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(s1, bytes);
    expect(integrity.check(id, 'step1')).toMatchObject({ state: 'damaged', reason: expect.stringMatching(/^altered: its SHA-256 differs/) });
    expect(integrity.damaged(id)).toEqual(['step1', 'final']);
    writeFileSync(folders.fileOf(id, 'final'), original);
    expect(integrity.check(id, 'final')).toMatchObject({ state: 'ok' });
    expect(integrity.damaged(id)).toEqual(['step1']);
    expect(integrity.check(id, 'mask'), 'absent').toBeUndefined();
    expect(integrity.check('../etc', 'final')).toBeUndefined();
  });

  it('files with no recorded digest (older jobs) are unverified, and damaged when a PNG lacks its IEND or JSON does not parse', async () => {
    const { folders, id } = await setup();
    const none = new ArtifactIntegrity(folders, () => undefined);
    expect(none.check(id, 'final')).toMatchObject({ state: 'unverified', reason: null });
    const p = folders.fileOf(id, 'final');
    truncateSync(p, statSync(p).size - 30);
    expect(none.check(id, 'final')).toMatchObject({ state: 'damaged', reason: expect.stringMatching(/truncated: the PNG ends without its IEND chunk/) });
    writeFileSync(folders.fileOf(id, 'params'), '{"job_id": "');
    expect(none.check(id, 'params')).toMatchObject({ state: 'damaged', reason: 'truncated or altered: not valid JSON' });
    expect(structuralProblem(p, 10)).toMatch(/truncated: 10 bytes is no PNG/);
  });

  it('artifact reads and thumbnails answer 409 "damaged" instead of serving it or failing with 500; bytes altered with size and mtime kept are caught on read', async () => {
    const { folders, id, files } = await setup();
    expect((await files.file(id, 'final.png')).contentType).toBe('image/png');
    expect((await files.file(id, 'final.png', 32)).contentType).toBe('image/webp');
    truncateSync(folders.fileOf(id, 'final'), 200);
    await expect(files.file(id, 'final.png')).rejects.toMatchObject({
      status: 409,
      detail: expect.stringMatching(/final\.png of job .* is damaged \(truncated: 200 of \d+ bytes\)/),
    });
    await expect(files.file(id, 'final.png', 32)).rejects.toMatchObject({ status: 409 });
    // Same size, same mtime, other bytes: only a read of the bytes can tell.
    alterInPlaceKeepingMtime(folders.fileOf(id, 'step1'));
    await expect(files.file(id, 'step1.png', 48)).rejects.toMatchObject({ status: 409, detail: expect.stringMatching(/altered/) });
    await expect(files.file(id, 'step1.png')).rejects.toMatchObject({ status: 409 });
  });

  it('a thumbnail of an undecodable file with no digest is a 409, not a 500', async () => {
    const { folders, id } = await setup();
    const files = new ArtifactFiles(folders, new ArtifactIntegrity(folders, () => undefined));
    const p = folders.fileOf(id, 'final');
    const b = readFileSync(p);
    b.fill(7, 60, b.length - 12); // IEND kept, the image data garbage
    writeFileSync(p, b);
    await expect(files.file(id, 'final.png', 32)).rejects.toMatchObject({ status: 409, detail: expect.stringMatching(/cannot be decoded/) });
  });
});

function unzipAll(zipPath: string): Map<string, Buffer> {
  const json = execFileSync('python3', [
    '-c',
    'import zipfile,sys,json,base64\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))',
    zipPath,
  ]).toString();
  return new Map(Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of it) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('ZIP export of damaged artifacts', () => {
  it('leaves damaged files out and names them in README.txt and in `damaged`', async () => {
    const { d, folders, id, digests, integrity } = await setup();
    truncateSync(folders.fileOf(id, 'final'), 300);
    const job = {
      job_id: id,
      artifacts: ['final', 'step1', 'params'],
      status: 'completed',
      created_at: 1_700_000_000,
      parameters: { text_content: 'Sale' },
    } as unknown as JobRecord;
    const zip = await exportJobs(
      { requireJob: () => job, artifactCheck: (j, a) => integrity.check(j, a), digests: (j) => digests[j], runDir: (j) => folders.dirOf(j) },
      [id],
    );
    expect(zip.damaged).toEqual([{ job_id: id, artifact: 'final', reason: expect.stringMatching(/^truncated: 300 of/) }]);
    const out = join(d, 'a.zip');
    writeFileSync(out, await collect(zip.open()));
    const entries = unzipAll(out);
    // The job's folder is named by its date and headline; README.txt names the job id of a damaged file.
    const f = `${dateStamp(1_700_000_000)}_sale`;
    expect([...entries.keys()].sort()).toEqual(['README.txt', `${f}/extras/params.json`, `${f}/background.png`].sort());
    expect(entries.get('README.txt')!.toString()).toMatch(
      new RegExp(`Damaged files, left out of this export[^\\n]*\\n  ${f}/final\\.png  \\(job ${id}, final\\.png\\)  truncated: 300 of`),
    );
    expect(entries.get(`${f}/background.png`)!.equals(readFileSync(folders.fileOf(id, 'step1')))).toBe(true);
  });

  it('a file whose bytes differ from its digest while it streams is named in DAMAGED.txt at the end of the ZIP', async () => {
    const { d, folders, id, digests } = await setup();
    alterInPlaceKeepingMtime(folders.fileOf(id, 'step1'));
    const out = join(d, 'b.zip');
    const r = await writeJobsZip(
      [
        {
          jobId: id,
          dir: folders.dirOf(id),
          artifacts: ['final', 'step1', 'params'],
          status: 'completed',
          createdAt: 1,
          headline: null,
          prompt: null,
          digests: digests[id],
        },
      ],
      createWriteStream(out),
    );
    const f = `${dateStamp(1)}_ad`;
    expect(r.folders).toEqual({ [id]: f });
    expect(r.damaged).toEqual([{ entry: `${f}/background.png`, reason: expect.stringMatching(/^altered/) }]);
    const entries = unzipAll(out);
    expect(entries.get('DAMAGED.txt')!.toString()).toContain(`${f}/background.png  altered`);
    expect(r.entries).toContain('DAMAGED.txt');
    expect(r.bytes).toBe(readFileSync(out).length);
  });
});
