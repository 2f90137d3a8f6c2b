// One folder per job under <dataDir>/runs/<jobId>/ holding its uploads, step artifacts and
// params.json. Job ids are checked (core's isJobId) before any path is built, so no id from a
// request can name a path outside its own folder.
import { copyFile, link, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ARTIFACTS, isJobId, type ArtifactName } from '../core/jobs';
import { TEMP_SUFFIX, writeFileAtomic } from '../imaging/atomic-write';

const ARTIFACT_NAMES = Object.keys(ARTIFACTS) as ArtifactName[];
/** Folders being deleted are renamed to this prefix first, so a crash mid-delete leaves no half job. */
const TRASH_PREFIX = '.trash-';

export class RunFolders {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'runs');
  }

  /** Absolute folder of a job; throws for anything that is not a job id. */
  dirOf(jobId: string): string {
    if (!isJobId(jobId)) throw new Error(`not a job id: ${JSON.stringify(jobId)}`);
    return join(this.root, jobId);
  }

  fileOf(jobId: string, name: ArtifactName): string {
    return join(this.dirOf(jobId), ARTIFACTS[name]);
  }

  async create(jobId: string): Promise<string> {
    const dir = this.dirOf(jobId);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Artifacts present, in ARTIFACTS order (temp files never count); a handful of names in one small folder, read synchronously for the runner's event order. */
  listArtifactsSync(jobId: string): ArtifactName[] {
    let names: Set<string>;
    try {
      names = new Set(readdirSync(this.dirOf(jobId)));
    } catch {
      return [];
    }
    return ARTIFACT_NAMES.filter((a) => names.has(ARTIFACTS[a]));
  }

  /** Sync check for one artifact (used on the status path, where it must stay cheap). */
  hasArtifact(jobId: string, name: ArtifactName): boolean {
    return isJobId(jobId) && existsSync(this.fileOf(jobId, name));
  }

  /**
   * Brings artifacts of `fromId` into `toId` for a rerun: a hard link where the file system allows
   * (no copy, and the source can later be deleted independently), else a copy. Returns what was
   * present and brought over.
   */
  async copyArtifacts(fromId: string, toId: string, names: ArtifactName[]): Promise<ArtifactName[]> {
    const done: ArtifactName[] = [];
    await this.create(toId);
    for (const name of names) {
      const src = this.fileOf(fromId, name);
      const dst = this.fileOf(toId, name);
      if (!existsSync(src)) continue;
      try {
        await link(src, dst);
      } catch {
        // Different device or no hard links: copy to a temp name then rename, like every write.
        const tmp = `${dst}.${randomBytes(6).toString('hex')}.tmp`;
        await copyFile(src, tmp);
        await rename(tmp, dst);
      }
      done.push(name);
    }
    return done;
  }

  async writeJson(jobId: string, name: ArtifactName, value: unknown): Promise<void> {
    await writeFileAtomic(this.fileOf(jobId, name), `${JSON.stringify(value, null, 2)}\n`);
  }

  async writeFile(jobId: string, fileName: string, data: Buffer | Uint8Array | string): Promise<void> {
    if (fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.')) throw new Error(`bad file name ${fileName}`);
    await writeFileAtomic(join(this.dirOf(jobId), fileName), data);
  }

  /** Removes a job's folder: renamed aside first (atomic), then deleted. Missing folders are fine. */
  async remove(jobId: string): Promise<void> {
    const dir = this.dirOf(jobId);
    const trash = join(this.root, `${TRASH_PREFIX}${jobId}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(dir, trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(trash, { recursive: true, force: true });
  }

  /** Removes temp files a killed writer left in a job's folder (never complete files); returns how many. */
  async purgeTempFiles(jobId: string): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dirOf(jobId));
    } catch {
      return 0;
    }
    const temps = names.filter((n) => n.endsWith(TEMP_SUFFIX));
    for (const t of temps) await rm(join(this.dirOf(jobId), t), { force: true });
    return temps.length;
  }

  /** Finishes deletes interrupted by a crash. Called at start. */
  async purgeTrash(): Promise<number> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch {
      return 0;
    }
    const trash = entries.filter((e) => e.startsWith(TRASH_PREFIX));
    for (const t of trash) await rm(join(this.root, t), { recursive: true, force: true });
    return trash.length;
  }
}
