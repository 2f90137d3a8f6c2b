// Which models are on this workstation and where their files are. Installed weights live in
// <modelsDir>/<id>/<path-in-repo> (flat manifests: <modelsDir>/<path>, the older convention that
// engines such as BiRefNet still read). The state comes from cheap stats plus the lock file; the
// expensive re-hash is `verify`'s job. modelsDir is always passed in: config owns the environment.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelError } from './errors';
import { MODEL_LOCK_FILE, readLock, type ModelLock } from './lock';
import { componentsOf, isSafeRelativePath, loadManifests, plannedBytes, type ComponentSpec, type Manifest } from './manifest';

export const PART_SUFFIX = '.part';

/**
 * installed: complete and matching its lock; unverified: complete but never installed/imported by
 * us (files copied by hand); outdated: complete at another revision than the manifest pins;
 * partial: some files or .part downloads present; missing: nothing; bundled: shipped inside npm.
 */
export type ModelState = 'installed' | 'unverified' | 'outdated' | 'partial' | 'missing' | 'bundled';

/** States whose files an engine may load (the signature check still guards the load). */
export const USABLE_STATES: readonly ModelState[] = ['installed', 'unverified', 'outdated', 'bundled'];

export interface FileState {
  path: string;
  absPath: string;
  /** Size the file must have (lock, else manifest), or null when nobody knows yet. */
  expectedBytes: number | null;
  /** Size on disk of the final file, or null when absent. */
  bytes: number | null;
  /** Size of an unfinished download, or null. */
  partBytes: number | null;
  optional: boolean;
  ok: boolean;
}

export interface ModelStatus {
  id: string;
  role: string;
  roles: string[];
  distribution: Manifest['distribution'];
  state: ModelState;
  usable: boolean;
  dir: string;
  files: FileState[];
  bytesPresent: number;
  /** Known or approximate total (for the list and the progress bar). */
  bytesExpected: number;
  lock: ModelLock | null;
  repo: string | null;
  revision: string | null;
  license: string;
  minVramGB: number | null;
}

export function modelDir(modelsDir: string, m: Manifest): string {
  return m.layout === 'flat' ? path.resolve(modelsDir) : path.resolve(modelsDir, m.id);
}

/** Absolute path of a manifest file; re-checked here so no caller can be led outside the folder. */
export function modelFilePath(modelsDir: string, m: Manifest, rel: string): string {
  const dir = modelDir(modelsDir, m);
  const abs = path.resolve(dir, rel);
  if (!isSafeRelativePath(rel) || (abs !== dir && !abs.startsWith(dir + path.sep))) {
    throw new ModelError('UNSAFE_URL', `${m.id}: file path "${rel}" leaves the model folder`);
  }
  return abs;
}

export function lockPath(modelsDir: string, m: Manifest): string {
  // A flat model shares modelsDir with the manifests: a dot-name keeps the lock out of their way.
  return m.layout === 'flat' ? path.join(path.resolve(modelsDir), `.${m.id}.${MODEL_LOCK_FILE}`) : path.join(modelDir(modelsDir, m), MODEL_LOCK_FILE);
}

async function sizeOf(p: string): Promise<number | null> {
  const s = await stat(p).catch(() => null);
  return s && s.isFile() ? s.size : null;
}

export async function modelStatus(modelsDir: string, m: Manifest): Promise<ModelStatus> {
  const lock = m.distribution === 'npm' ? null : await readLock(lockPath(modelsDir, m));
  const locked = new Map((lock?.files ?? []).map((f) => [f.path, f]));
  const files: FileState[] = [];
  for (const f of m.files) {
    const absPath = modelFilePath(modelsDir, m, f.path);
    const expectedBytes = locked.get(f.path)?.bytes ?? f.bytes ?? null;
    const [bytes, partBytes] = m.distribution === 'npm' ? [null, null] : await Promise.all([sizeOf(absPath), sizeOf(absPath + PART_SUFFIX)]);
    const ok = bytes !== null && (expectedBytes === null || bytes === expectedBytes);
    files.push({ path: f.path, absPath, expectedBytes, bytes, partBytes, optional: f.optional === true, ok });
  }
  const required = files.filter((f) => !f.optional);
  const complete = required.every((f) => f.ok);
  const anything = files.some((f) => f.bytes !== null || f.partBytes !== null);
  const lockCovers = lock !== null && required.every((f) => locked.has(f.path));
  let state: ModelState;
  if (m.distribution === 'npm') state = 'bundled';
  else if (complete && lockCovers) state = m.distribution === 'hub' && m.revision && lock.revision !== m.revision ? 'outdated' : 'installed';
  else if (complete) state = 'unverified';
  else state = anything ? 'partial' : 'missing';
  return {
    id: m.id,
    role: m.role,
    roles: [m.role, ...(m.roles ?? [])],
    distribution: m.distribution,
    state,
    usable: USABLE_STATES.includes(state),
    dir: modelDir(modelsDir, m),
    files,
    bytesPresent: files.reduce((s, f) => s + (f.bytes ?? f.partBytes ?? 0), 0),
    bytesExpected: m.files.reduce((s, f) => s + (locked.get(f.path)?.bytes ?? plannedBytes(f)), 0),
    lock,
    repo: m.repo ?? null,
    revision: m.revision ?? null,
    license: m.license,
    minVramGB: m.minVramGB ?? null,
  };
}

export interface InstalledModel {
  manifest: Manifest;
  dir: string;
  /** Absolute path by manifest path. */
  files: Record<string, string>;
  /** Absolute path of a component's .onnx file, with its declared tensors for the signature check. */
  component(id: string): { path: string; spec: ComponentSpec };
}

/** The engine registry's view: manifests by id, their state, and the paths of installed files. */
export class ModelCatalog {
  private readonly byId: Map<string, Manifest>;

  constructor(
    readonly modelsDir: string,
    manifests: Manifest[],
  ) {
    this.byId = new Map(manifests.map((m) => [m.id, m]));
  }

  manifests(): Manifest[] {
    return [...this.byId.values()];
  }

  manifest(id: string): Manifest {
    const m = this.byId.get(id);
    if (!m) throw new ModelError('NOT_INSTALLABLE', `unknown model "${id}"; known: ${[...this.byId.keys()].join(', ') || '(none)'}`);
    return m;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Models serving a role (e.g. 'background'), in manifest order. */
  forRole(role: string): Manifest[] {
    return this.manifests().filter((m) => m.role === role || (m.roles ?? []).includes(role));
  }

  status(id: string): Promise<ModelStatus> {
    return modelStatus(this.modelsDir, this.manifest(id));
  }

  list(): Promise<ModelStatus[]> {
    return Promise.all(this.manifests().map((m) => modelStatus(this.modelsDir, m)));
  }

  /** True when every required file is present at its expected size (see USABLE_STATES). */
  async installed(id: string): Promise<boolean> {
    return this.byId.has(id) && (await this.status(id)).usable;
  }

  /** Paths of an installed model, or an error that says how to install it. */
  async require(id: string): Promise<InstalledModel> {
    const m = this.manifest(id);
    const st = await modelStatus(this.modelsDir, m);
    if (!st.usable) {
      const missing = st.files.filter((f) => !f.ok && !f.optional).map((f) => f.path);
      throw new ModelError('NOT_INSTALLED', `model ${id} is ${st.state} (missing: ${missing.join(', ')}). Run: adforge models install ${id}` + (m.distribution === 'hub' ? ` (or, offline: adforge models import ${id} <folder>)` : ''));
    }
    const files = Object.fromEntries(st.files.map((f) => [f.path, f.absPath]));
    const specs = componentsOf(m);
    return {
      manifest: m,
      dir: st.dir,
      files,
      component: (cid) => {
        const spec = specs.find((c) => c.id === cid);
        if (!spec) throw new ModelError('NOT_INSTALLABLE', `model ${id} declares no component "${cid}" (has: ${specs.map((c) => c.id).join(', ')})`);
        return { path: files[spec.file], spec };
      },
    };
  }
}

/** Loads the manifests from `manifestDirs` (shipped first, user's later) into a catalog over `modelsDir`. */
export async function createCatalog(opts: { modelsDir: string; manifestDirs: string[] }): Promise<{ catalog: ModelCatalog; errors: { file: string; message: string }[] }> {
  const { manifests, errors } = await loadManifests(opts.manifestDirs);
  return { catalog: new ModelCatalog(opts.modelsDir, manifests), errors };
}
