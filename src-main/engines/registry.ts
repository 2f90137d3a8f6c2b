// Which engine serves each role, loaded once per worker and kept resident. Background engines come
// from the model catalogue: `auto` takes the first installed diffusion engine in order of
// preference that fits the VRAM budget, else the procedural backdrop, which says so in the job.
// One diffusion engine is resident at a time: asking for another releases the first (its sessions
// and their GPU memory) before the new one loads, and release() frees it for POST /free.
import { resolve } from 'node:path';
import { AppError } from '../core/errors';
import { DIFFUSION_BG_ORDER } from '../core/params';
import type { BackgroundEngine, DiffusionEngine, LetteringEngine, Segmenter } from './contracts';
import { createDiffusionBackgroundEngine } from './diffusion/background-engine';
import { createFluxSchnellEngine, FLUX_SCHNELL_ID } from './diffusion/flux-schnell';
import { createSdTurboEngine, SD_TURBO_ID } from './diffusion/sd-turbo';
import { createSdxlTurboEngine, SDXL_TURBO_ID } from './diffusion/sdxl-turbo';
import type { DiffusionEngineOptions } from './diffusion/unet-engine';
import { checkSignature, createCatalog, type InstalledModel, type ModelCatalog } from './models';
import { proceduralBackgroundEngine } from './procedural/backdrop';
import { proceduralLettering } from './procedural/lettering-engine';
import { createSegmenter } from './segment';

/** Background engines a job may ask for (`bg_engine`); `auto` = the first installed, else procedural. */
export const DIFFUSION_FACTORIES: Record<string, (opts: DiffusionEngineOptions) => Promise<DiffusionEngine>> = {
  [SDXL_TURBO_ID]: createSdxlTurboEngine,
  [FLUX_SCHNELL_ID]: createFluxSchnellEngine,
  [SD_TURBO_ID]: createSdTurboEngine,
};


export interface RegistryOptions {
  modelsDir: string;
  /** Folders with model manifests (the shipped models/ first). */
  manifestDirs: string[];
  /** Writable cache (the reassembled IS-Net model). */
  cacheDir: string;
  providers?: readonly string[];
  log: (message: string) => void;
  /** GPU memory the engines may use, GiB; null = no limit (engines pick low-memory loading themselves). */
  vramBudgetGb?: number | null;
  backgroundOrder?: readonly string[];
}

/** What a job's scene was made by, and why when it is not what was asked for. */
export interface BackgroundChoice {
  engine: BackgroundEngine;
  /** The diffusion engine behind it (used again for the product-ring repaint), or null. */
  diffusion: DiffusionEngine | null;
  /** Set when `auto` found no usable diffusion engine or one failed to load: shown in the job. */
  note: string | null;
}

export interface EngineInventory {
  background: { id: string; installed: boolean; resident: boolean; minVramGB: number | null; fitsBudget: boolean }[];
  resident: string | null;
}

export class EngineRegistry {
  private segmenterP: Promise<Segmenter> | null = null;
  private catalogP: Promise<ModelCatalog> | null = null;
  private resident: { id: string; engine: DiffusionEngine; background: BackgroundEngine } | null = null;
  private loading: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: RegistryOptions) {}

  segmenter(): Promise<Segmenter> {
    this.segmenterP ??= createSegmenter({ modelsDir: this.opts.modelsDir, cacheDir: this.opts.cacheDir, providers: this.opts.providers, log: this.opts.log }).catch((err: unknown) => {
      this.segmenterP = null;
      throw err;
    });
    return this.segmenterP;
  }

  lettering(): LetteringEngine {
    return proceduralLettering;
  }

  private catalog(): Promise<ModelCatalog> {
    this.catalogP ??= createCatalog({ modelsDir: this.opts.modelsDir, manifestDirs: this.opts.manifestDirs }).then(({ catalog, errors }) => {
      for (const e of errors) this.opts.log(`models: manifest ${e.file} ignored: ${e.message}`);
      return catalog;
    });
    return this.catalogP;
  }

  private fitsBudget(minVramGB: number | null | undefined): boolean {
    const budget = this.opts.vramBudgetGb ?? null;
    return budget === null || minVramGB === null || minVramGB === undefined || minVramGB <= budget;
  }

  /** Every background engine with its install state, for /health and the studio. */
  async inventory(): Promise<EngineInventory> {
    const catalog = await this.catalog();
    const order = this.opts.backgroundOrder ?? DIFFUSION_BG_ORDER;
    const background = await Promise.all(
      order
        .filter((id) => catalog.has(id))
        .map(async (id) => {
          const minVramGB = catalog.manifest(id).minVramGB ?? null;
          return { id, installed: await catalog.installed(id), resident: this.resident?.id === id, minVramGB, fitsBudget: this.fitsBudget(minVramGB) };
        }),
    );
    return { background, resident: this.resident?.id ?? null };
  }

  /**
   * The background engine for a job. `procedural` always works; a named diffusion engine must be
   * installed (else the job fails saying how to install it); `auto` never fails: it falls back to
   * the procedural backdrop and says why.
   */
  async background(requested: string): Promise<BackgroundChoice> {
    if (requested === 'procedural') return { engine: proceduralBackgroundEngine, diffusion: null, note: null };
    const catalog = await this.catalog();
    if (requested !== 'auto') {
      if (!DIFFUSION_FACTORIES[requested]) throw new AppError(400, `unknown background engine "${requested}"`, 'bg_engine');
      const m = catalog.manifest(requested);
      if (!this.fitsBudget(m.minVramGB)) {
        throw new AppError(400, `${requested} needs about ${m.minVramGB} GB of GPU memory, more than the VRAM budget of ${this.opts.vramBudgetGb} GB (ADFORGE_VRAM_GB); choose a smaller engine or raise the budget`, 'bg_engine');
      }
      const installed = await catalog.require(requested);
      const engine = await this.load(installed);
      return { engine: engine.background, diffusion: engine.engine, note: null };
    }
    const order = this.opts.backgroundOrder ?? DIFFUSION_BG_ORDER;
    const notes: string[] = [];
    for (const id of order) {
      if (!catalog.has(id) || !(await catalog.installed(id))) continue;
      const m = catalog.manifest(id);
      if (!this.fitsBudget(m.minVramGB)) {
        notes.push(`${id} is installed but needs ~${m.minVramGB} GB, over the ${this.opts.vramBudgetGb} GB VRAM budget`);
        continue;
      }
      try {
        const engine = await this.load(await catalog.require(id));
        return { engine: engine.background, diffusion: engine.engine, note: null };
      } catch (err) {
        // A broken download or a provider that cannot run it must not stop the ad: say so, go on.
        const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
        this.opts.log(`engines: ${id} could not be loaded: ${why}`);
        notes.push(`${id} could not be loaded (${why})`);
      }
    }
    const note =
      notes.length > 0
        ? `procedural backdrop used: ${notes.join('; ')}`
        : 'procedural backdrop used: no diffusion model is installed (adforge models install sdxl-turbo, or Settings → Models)';
    return { engine: proceduralBackgroundEngine, diffusion: null, note };
  }

  /** Loads (or reuses) one diffusion engine; loads are serialised so two jobs never load twice. */
  private load(installed: InstalledModel): Promise<{ engine: DiffusionEngine; background: BackgroundEngine }> {
    const id = installed.manifest.id;
    const next = this.loading.then(async () => {
      if (this.resident?.id === id) return this.resident;
      await this.release();
      const factory = DIFFUSION_FACTORIES[id];
      const componentsByPath = new Map<string, string>();
      for (const c of installed.manifest.components ?? []) componentsByPath.set(resolve(installed.files[c.file]), c.id);
      const engine = await factory({
        modelDir: installed.dir,
        providers: this.opts.providers,
        log: this.opts.log,
        ...(this.opts.vramBudgetGb ? { memoryBudgetBytes: this.opts.vramBudgetGb * 1024 ** 3 } : {}),
        // The manifest's declared tensors are checked the moment each component loads.
        checkSession: (modelPath, session) => {
          const cid = componentsByPath.get(resolve(modelPath));
          if (cid) checkSignature(session, installed.component(cid).spec, `${id}/${cid}`);
        },
      });
      this.resident = { id, engine, background: createDiffusionBackgroundEngine(engine, { log: this.opts.log }) };
      this.opts.log(`engines: ${id} resident`);
      return this.resident;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  /** Frees the resident diffusion engine's sessions (GPU memory); returns what was released. */
  async release(): Promise<string[]> {
    const r = this.resident;
    if (!r) return [];
    this.resident = null;
    await r.engine.release();
    this.opts.log(`engines: ${r.id} released`);
    return [r.id];
  }
}
