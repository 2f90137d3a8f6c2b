import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RunFolders } from './run-folders';
import { writeJobsZip } from './zip-export';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Reads every entry of a ZIP with Python's zipfile (an independent reader), as name -> bytes. */
function unzipAll(zipPath: string): Map<string, Buffer> {
  const json = execFileSync(
    'python3',
    [
      '-c',
      'import zipfile,sys,json,base64\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: base64.b64encode(z.read(i)).decode() for i in z.infolist()}))',
      zipPath,
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  ).toString();
  return new Map(Object.entries(JSON.parse(json) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

describe('writeJobsZip', () => {
  it('streams jobs with their artifacts and a README; the bytes match the run folders', async () => {
    const d = mkdtempSync(join(tmpdir(), 'adforge-zip-'));
    dirs.push(d);
    const folders = new RunFolders(d);
    const a = randomUUID();
    const b = randomUUID();
    const files: Record<string, Buffer> = {};
    for (const [id, names] of [
      [a, ['final.png', 'step1.png', 'step2.png', 'params.json']],
      [b, ['step1.png', 'params.json']],
    ] as const) {
      await folders.create(id);
      for (const n of names) {
        const bytes = n.endsWith('.json') ? Buffer.from(JSON.stringify({ job: id })) : randomBytes(200_000);
        files[`${id}/${n}`] = bytes;
        await folders.writeFile(id, n, bytes);
      }
    }
    const sources = [
      {
        jobId: a,
        dir: folders.dirOf(a),
        artifacts: folders.listArtifactsSync(a),
        status: 'completed' as const,
        createdAt: 1_700_000_000,
        headline: '여름 세일',
      },
      // step2 listed but missing on disk (deleted since): skipped, not an error
      {
        jobId: b,
        dir: folders.dirOf(b),
        artifacts: [...folders.listArtifactsSync(b), 'step2' as const],
        status: 'stopped' as const,
        createdAt: 1_700_000_100,
        headline: null,
      },
    ];
    const zipPath = join(d, 'out.zip');
    const progress: [number, number][] = [];
    const result = await writeJobsZip(sources, createWriteStream(zipPath), (done, total) => progress.push([done, total]));

    const entries = unzipAll(zipPath);
    expect([...entries.keys()].sort()).toEqual(['README.txt', ...Object.keys(files)].sort());
    expect(result.entries.sort()).toEqual([...entries.keys()].sort());
    for (const [name, bytes] of Object.entries(files)) expect(entries.get(name)?.equals(bytes)).toBe(true);
    const readme = entries.get('README.txt')?.toString('utf8') ?? '';
    expect(readme).toContain('final.png');
    expect(readme).toContain(a);
    expect(readme).toContain('"여름 세일"');
    expect(result.bytes).toBe(readFileSync(zipPath).length);
    // unzip -l agrees (the format other tools see).
    expect(execFileSync('unzip', ['-l', zipPath]).toString()).toContain(`${a}/final.png`);
    // Progress rises to exactly the total.
    const total = progress[0][1];
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
  });
});
