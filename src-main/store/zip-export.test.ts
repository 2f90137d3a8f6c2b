import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { randomUUID, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { RunFolders } from './run-folders';
import { dateStamp, folderBaseName, jobFolderNames, nameSlug, promptSlug, writeJobsZip, ZIP_LAYOUT, type ZipJobSource } from './zip-export';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'adforge-zip-'));
  dirs.push(d);
  return d;
}

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

/** Unix seconds of a local wall-clock time (folder dates are local time). */
const local = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi).getTime() / 1000;

/** What a folder name may never hold: separators, dots, Windows-reserved characters, controls, format characters, whitespace. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[/\\.:*?"<>|\u0000-\u001f\u007f-\u009f\p{Cf}\p{Z}\s]/u;

function expectSafeFolder(name: string) {
  expect(name, name).not.toMatch(UNSAFE);
  expect(name).not.toContain('..');
  expect(name).toMatch(/^(\d{4}-\d{2}-\d{2}_\d{4}|undated)_[^_]+(_[^_]+)?$/u);
  expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(200);
}

describe('writeJobsZip', () => {
  it('streams each job into a readable folder: the images on top, the product photo, mask and JSON in extras/, a README naming the job ids', async () => {
    const d = tempDir();
    const folders = new RunFolders(d);
    const a = randomUUID();
    const b = randomUUID();
    const onDisk: Record<string, Buffer> = {};
    const all = ['final.png', 'step1.png', 'step2.png', 'cutout.png', 'input.png', 'mask.png', 'scene.json', 'params.json'];
    for (const [id, names] of [
      [a, all],
      [b, ['step1.png', 'params.json']],
    ] as const) {
      await folders.create(id);
      for (const n of names) {
        const bytes = n.endsWith('.json') ? Buffer.from(JSON.stringify({ job: id })) : randomBytes(200_000);
        onDisk[`${id}/${n}`] = bytes;
        await folders.writeFile(id, n, bytes);
      }
    }
    const sources: ZipJobSource[] = [
      {
        jobId: a,
        dir: folders.dirOf(a),
        artifacts: folders.listArtifactsSync(a),
        status: 'completed',
        createdAt: local(2026, 12, 1, 9, 15),
        headline: 'Fresh Roast',
        prompt: 'white marble countertop, soft window light from the left',
      },
      // step2 listed but missing on disk (deleted since): skipped, not an error
      {
        jobId: b,
        dir: folders.dirOf(b),
        artifacts: [...folders.listArtifactsSync(b), 'step2'],
        status: 'stopped',
        createdAt: local(2026, 12, 1, 9, 40),
        headline: '여름 세일',
        prompt: null,
      },
    ];
    const zipPath = join(d, 'out.zip');
    const progress: [number, number][] = [];
    const result = await writeJobsZip(sources, createWriteStream(zipPath), (done, total) => progress.push([done, total]));

    const fa = '2026-12-01_0915_fresh-roast_white-marble-countertop';
    const fb = '2026-12-01_0940_여름-세일';
    expect(result.folders).toEqual({ [a]: fa, [b]: fb });
    const expected: Record<string, string> = {
      [`${fa}/final.png`]: `${a}/final.png`,
      [`${fa}/background.png`]: `${a}/step1.png`,
      [`${fa}/headline-layer.png`]: `${a}/step2.png`,
      [`${fa}/cutout.png`]: `${a}/cutout.png`,
      [`${fa}/extras/product-photo.png`]: `${a}/input.png`,
      [`${fa}/extras/mask.png`]: `${a}/mask.png`,
      [`${fa}/extras/scene.json`]: `${a}/scene.json`,
      [`${fa}/extras/params.json`]: `${a}/params.json`,
      [`${fb}/background.png`]: `${b}/step1.png`,
      [`${fb}/extras/params.json`]: `${b}/params.json`,
    };
    const entries = unzipAll(zipPath);
    expect([...entries.keys()].sort()).toEqual(['README.txt', ...Object.keys(expected)].sort());
    expect([...result.entries].sort()).toEqual([...entries.keys()].sort());
    for (const [entry, file] of Object.entries(expected)) expect(entries.get(entry)?.equals(onDisk[file]), entry).toBe(true);
    // Finals first in each folder; no job id in any entry name.
    expect(result.entries[1]).toBe(`${fa}/final.png`);
    for (const e of result.entries) expect(e).not.toMatch(new RegExp(`${a}|${b}`));
    // Directly in a folder: only images.
    for (const e of result.entries.filter((x) => x !== 'README.txt' && !x.includes('/extras/'))) expect(e).toMatch(/^[^/]+\/[a-z-]+\.png$/);

    const readme = entries.get('README.txt')?.toString('utf8') ?? '';
    expect(readme).toContain(`  ${fa}/\n    job id:   ${a}\n`);
    expect(readme).toContain(`  ${fb}/\n    job id:   ${b}\n`);
    expect(readme).toContain('"Fresh Roast"');
    expect(readme).toContain('"여름 세일"');
    expect(readme).toContain('"white marble countertop, soft window light from the left"');
    expect(readme).toContain(new Date(sources[0].createdAt * 1000).toISOString());
    for (const layout of Object.values(ZIP_LAYOUT)) expect(readme).toContain(layout);
    expect(result.bytes).toBe(readFileSync(zipPath).length);
    // unzip -l agrees (the format other tools see), Hangul included.
    const listing = execFileSync('unzip', ['-l', zipPath]).toString();
    expect(listing).toContain(`${fa}/final.png`);
    expect(listing).toContain(`${fb}/background.png`);
    // Progress rises to exactly the total.
    const total = progress[0][1];
    expect(progress.at(-1)).toEqual([total, total]);
    for (let i = 1; i < progress.length; i++) expect(progress[i][0]).toBeGreaterThanOrEqual(progress[i - 1][0]);
  });

  it('hostile headlines and prompts make plain folder names that extract inside the target folder', async () => {
    const d = tempDir();
    const folders = new RunFolders(d);
    const hostile: [string | null, string | null][] = [
      ['../../etc/passwd', '../../../root/.ssh/id_rsa'],
      ['a/b\\c', 'C:\\Windows\\System32'],
      ['CON', 'NUL'],
      ['x'.repeat(300), 'y '.repeat(300)],
      ['🔥🔥 SALE 🔥', '🌊🏖️'],
      ['line\nbreak\ttab\u0000nul\u202eevil', '\u200b\u200d'],
      ['..', '.'],
      [null, null],
      ['', '   '],
      ['fresh roast', 'oak table'],
      ['FRESH ROAST', 'OAK TABLE'],
      ['fresh roast', 'oak table'],
    ];
    const sources: ZipJobSource[] = [];
    for (const [headline, prompt] of hostile) {
      const id = randomUUID();
      await folders.create(id);
      await folders.writeFile(id, 'final.png', randomBytes(100));
      await folders.writeFile(id, 'params.json', JSON.stringify({ headline }));
      sources.push({
        jobId: id,
        dir: folders.dirOf(id),
        artifacts: ['final', 'params'],
        status: 'completed',
        createdAt: local(2026, 3, 4, 5, 6),
        headline,
        prompt,
      });
    }
    const zipPath = join(d, 'hostile.zip');
    const result = await writeJobsZip(sources, createWriteStream(zipPath));
    const names = sources.map((s) => result.folders[s.jobId]);
    expect(names).toEqual([
      '2026-03-04_0506_etc-passwd_root-ssh-id',
      '2026-03-04_0506_a-b-c_c-windows-system32',
      '2026-03-04_0506_con_nul',
      `2026-03-04_0506_${'x'.repeat(60)}_${'y-'.repeat(2)}y`,
      '2026-03-04_0506_sale',
      '2026-03-04_0506_line-break-tab-nul-evil',
      '2026-03-04_0506_ad',
      '2026-03-04_0506_ad-2',
      '2026-03-04_0506_ad-3',
      '2026-03-04_0506_fresh-roast_oak-table',
      '2026-03-04_0506_fresh-roast_oak-table-2',
      '2026-03-04_0506_fresh-roast_oak-table-3',
    ]);
    for (const n of names) expectSafeFolder(n);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);

    // Extracted by Info-ZIP: every file lands inside the target, two per job, nothing outside.
    const target = join(d, 'x');
    execFileSync('unzip', ['-q', zipPath, '-d', target]);
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else found.push(relative(target, p).split(sep).join('/'));
      }
    };
    walk(target);
    expect(found.sort()).toEqual(['README.txt', ...names.flatMap((n) => [`${n}/final.png`, `${n}/extras/params.json`])].sort());
    expect(readdirSync(d).sort()).toEqual(['hostile.zip', 'runs', 'x']);
    // The README quotes the headlines: no raw control or direction characters reach it.
    const readme = readFileSync(join(target, 'README.txt'), 'utf8');
    expect(readme).toContain(String.raw`"line\nbreak\ttab\u0000nul\u202eevil"`);
    for (const c of ['\u0000', '\u202e', '\u200b']) expect(readme).not.toContain(c);
  });
});

describe('ZIP folder names', () => {
  it('date (local time) _ headline _ first words of the scene prompt', () => {
    expect(dateStamp(local(2026, 12, 1, 9, 15))).toBe('2026-12-01_0915');
    expect(dateStamp(Number.NaN)).toBe('undated');
    expect(dateStamp(1e15)).toBe('undated');
    expect(folderBaseName({ createdAt: local(2026, 12, 1, 9, 15), headline: 'Fresh Roast', prompt: 'white marble countertop, soft window light' })).toBe(
      '2026-12-01_0915_fresh-roast_white-marble-countertop',
    );
    expect(promptSlug('a cozy wooden table with morning light')).toBe('a-cozy-wooden');
    expect(promptSlug(', , sandy beach, ocean')).toBe('sandy-beach');
    expect(promptSlug('!!!')).toBe('');
    // No headline: the prompt words name it; neither: 'ad'.
    expect(folderBaseName({ createdAt: local(2026, 1, 2, 3, 4), headline: null, prompt: 'oak table' })).toBe('2026-01-02_0304_oak-table');
    expect(folderBaseName({ createdAt: local(2026, 1, 2, 3, 4), headline: '  ', prompt: '' })).toBe('2026-01-02_0304_ad');
  });

  it('keeps Hangul and other scripts readable, folds full-width forms, caps each part by characters and UTF-8 bytes', () => {
    expect(nameSlug('여름 세일 50%!')).toBe('여름-세일-50');
    expect(nameSlug('신상품　출시')).toBe('신상품-출시'); // ideographic space
    expect(nameSlug('ＳＡＬＥ／５０')).toBe('sale-50'); // full-width letters and solidus
    expect(nameSlug('Café Crème')).toBe('café-crème');
    expect(nameSlug('\u1112\u1161\u11ab')).toBe('한'); // decomposed jamo composed
    const long = nameSlug('가'.repeat(300));
    expect(long).toBe('가'.repeat(33)); // 100 bytes / 3 bytes a syllable
    expect(nameSlug('x'.repeat(300))).toHaveLength(60);
    expect(nameSlug('ab-'.repeat(40))).not.toMatch(/-$/);
    expect(nameSlug('\u0301\u0301e\u0301')).toBe('é'.normalize('NFKC'));
  });

  it('never lets a separator, dot, control, format or space character through, whatever the text', () => {
    const pool = [
      '/',
      '\\',
      '.',
      '..',
      ':',
      '*',
      '?',
      '"',
      '<',
      '>',
      '|',
      '\0',
      '\n',
      '\r',
      '\t',
      '\u007f',
      '\u0085',
      '\u200b',
      '\u200d',
      '\u202e',
      '\u2066',
      '\u2028',
      '\ufeff',
      ' ',
      '\u3000',
      '🔥',
      '👩‍👩‍👧',
      'a',
      'Z',
      '한',
      '글',
      '5',
      '\u0301',
      'ﬁ',
      '／',
      '．',
      '＼',
      'CON',
      'İ',
    ];
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const jobs = Array.from({ length: 400 }, () => {
      const text = () => Array.from({ length: Math.floor(rnd() * 80) }, () => pool[Math.floor(rnd() * pool.length)]).join('');
      return { createdAt: local(2026, 5, 6, 7, 8), headline: text(), prompt: text() };
    });
    const names = jobFolderNames(jobs);
    for (const n of names) expectSafeFolder(n);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it('numbers alike names -2, -3 (case-insensitively), skipping a name already taken', () => {
    const at = local(2026, 12, 1, 9, 15);
    const names = jobFolderNames([
      { createdAt: at, headline: 'Sale', prompt: null },
      { createdAt: at, headline: 'sale-2', prompt: null },
      { createdAt: at, headline: 'SALE', prompt: null },
      { createdAt: at, headline: 'sale', prompt: null },
    ]);
    expect(names).toEqual(['2026-12-01_0915_sale', '2026-12-01_0915_sale-2', '2026-12-01_0915_sale-3', '2026-12-01_0915_sale-4']);
  });
});
