// The model manager as the studio and the HTTP families see it: the catalogue with install
// states, and installs that run in the background with progress the Settings page polls. The
// downloads are network and hashing I/O (streams, no pixel work), so they run in the server
// process; the pipeline worker only reads the finished files.
import { AppError } from '../core/errors';
import type { ModelInfo, ModelInstall } from '../core/service';
import { createCatalog, installModel, removeModel, type InstallProgress, type ModelCatalog, type ModelStatus } from '../engines/models';

export interface ModelServiceOptions {
  modelsDir: string;
  manifestDirs: string[];
  hfToken?: string | null;
  vramBudgetGb?: number | null;
  /** Test hook: the Hub to download from (a loopback host in tests). */
  hubUrl?: string;
  log?: (message: string) => void;
}

interface RunningInstall {
  info: ModelInstall;
  controller: AbortController;
}

export class ModelService {
  private catalogP: Promise<ModelCatalog> | null = null;
  private readonly installs = new Map<string, RunningInstall>();
  /**
   * Every /health reads the install states: the files are stat'ed at most once a second, and again
   * at once after an install, cancel or remove (the studio's polls during an install read progress,
   * which is kept in memory, not on disk).
   */
  private statusCache: { at: number; list: Promise<ModelStatus[]> } | null = null;

  constructor(private readonly opts: ModelServiceOptions) {}

  private catalog(): Promise<ModelCatalog> {
    this.catalogP ??= createCatalog({ modelsDir: this.opts.modelsDir, manifestDirs: this.opts.manifestDirs }).then(({ catalog, errors }) => {
      for (const e of errors) this.opts.log?.(`models: manifest ${e.file} ignored: ${e.message}`);
      return catalog;
    });
    return this.catalogP;
  }

  private async known(id: string): Promise<ModelCatalog> {
    const catalog = await this.catalog();
    if (!catalog.has(id)) throw new AppError(404, `Unknown model "${id}"`, 'model_id');
    return catalog;
  }

  private info(st: ModelStatus, catalog: ModelCatalog): ModelInfo {
    const m = catalog.manifest(st.id);
    const budget = this.opts.vramBudgetGb ?? null;
    return {
      id: st.id,
      name: m.name ?? st.id,
      role: st.role,
      roles: st.roles,
      state: st.state,
      usable: st.usable,
      distribution: st.distribution,
      bytes_present: st.bytesPresent,
      bytes_expected: st.bytesExpected,
      min_vram_gb: st.minVramGB,
      fits_budget: budget === null || st.minVramGB === null || st.minVramGB <= budget,
      license: st.license,
      repo: st.repo,
      revision: st.revision,
      install: this.installs.get(st.id)?.info ?? null,
    };
  }

  async list(): Promise<ModelInfo[]> {
    const catalog = await this.catalog();
    const now = Date.now();
    if (!this.statusCache || now - this.statusCache.at > 1000) this.statusCache = { at: now, list: catalog.list() };
    return (await this.statusCache.list).map((st) => this.info(st, catalog));
  }

  async get(id: string): Promise<ModelInfo> {
    const catalog = await this.known(id);
    return this.info(await catalog.status(id), catalog);
  }

  async install(id: string): Promise<ModelInfo> {
    const catalog = await this.known(id);
    const m = catalog.manifest(id);
    if (m.distribution !== 'hub')
      throw new AppError(
        400,
        `${id} is not downloadable (${m.distribution === 'npm' ? 'it ships with the app' : 'place its files in the models folder by hand'})`,
        'model_id',
      );
    if (this.installs.get(id)?.info.status === 'running') throw new AppError(409, `${id} is already being installed`, 'model_id');
    const controller = new AbortController();
    const run: RunningInstall = {
      controller,
      info: {
        status: 'running',
        phase: 'resolve',
        file: null,
        bytes_done: 0,
        bytes_total: 0,
        percent: null,
        bytes_per_second: 0,
        eta_seconds: null,
        error: null,
      },
    };
    this.installs.set(id, run);
    this.statusCache = null;
    const onProgress = (p: InstallProgress) => {
      run.info = {
        ...run.info,
        phase: p.phase,
        file: p.file,
        bytes_done: p.done,
        bytes_total: p.total,
        percent: p.percent,
        bytes_per_second: p.bytesPerSec,
        eta_seconds: p.etaSec,
      };
    };
    installModel(m, {
      modelsDir: this.opts.modelsDir,
      signal: controller.signal,
      onProgress,
      ...(this.opts.hfToken ? { accessToken: this.opts.hfToken } : {}),
      ...(this.opts.hubUrl ? { hubUrl: this.opts.hubUrl } : {}),
    }).then(
      () => {
        run.info = { ...run.info, status: 'completed', phase: 'done', percent: 100, eta_seconds: 0 };
        this.statusCache = null;
        this.opts.log?.(`models: ${id} installed`);
      },
      (err: unknown) => {
        const cancelled = controller.signal.aborted;
        run.info = { ...run.info, status: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : err instanceof Error ? err.message : String(err) };
        this.statusCache = null;
        this.opts.log?.(`models: ${id} install ${cancelled ? 'cancelled' : `failed: ${run.info.error}`}`);
      },
    );
    return this.get(id);
  }

  async cancel(id: string): Promise<ModelInfo> {
    await this.known(id);
    this.installs.get(id)?.controller.abort();
    return this.get(id);
  }

  async remove(id: string): Promise<ModelInfo> {
    const catalog = await this.known(id);
    if (this.installs.get(id)?.info.status === 'running') throw new AppError(409, `${id} is being installed; cancel the install first`, 'model_id');
    const m = catalog.manifest(id);
    if (m.distribution === 'npm') throw new AppError(400, `${id} ships with the app and cannot be removed`, 'model_id');
    await removeModel(m, { modelsDir: this.opts.modelsDir });
    this.installs.delete(id);
    this.statusCache = null;
    return this.get(id);
  }

  close(): void {
    for (const r of this.installs.values()) r.controller.abort();
  }
}
