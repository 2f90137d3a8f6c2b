// Which engine serves each role, loaded once per worker and kept resident. Background engines come
// from the model catalogue: `auto` takes the first installed diffusion engine in order of
// preference that fits the VRAM budget, else the procedural backdrop, which says so in the job.
// One diffusion engine is resident at a time: asking for another releases the first (its sessions
// and their GPU memory) before the new one loads, and release() frees it for POST /free.
// Lettering: `auto` takes the SDXL ControlNet lettering when it and its base (SDXL-Turbo) are
// installed and fit the VRAM budget, else the procedural renderer. The ControlNet lettering opens
// the text encoders and VAE from SDXL-Turbo's folder, so with SDXL-Turbo resident for backgrounds
// those sessions are shared; when background and lettering together exceed the budget, loading one
// releases the other first (through this registry, never behind its back).
// Loads show in the job's ETA: plannedLoads() says, before a job runs, which models it will load
// (not resident now, after the releases the budget forces) and how many bytes each reads, and
// onModelLoad() hears each component's session being read from disk and how long it took.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { AppError } from '../core/errors';
import { DIFFUSION_BG_ORDER } from '../core/params';
import type { BackgroundEngine, DiffusionEngine, LetteringEngine, Segmenter } from './contracts';
import { createDiffusionBackgroundEngine } from './diffusion/background-engine';
import { createFluxSchnellEngine, FLUX_SCHNELL_ID } from './diffusion/flux-schnell';
import { createSdTurboEngine, SD_TURBO_ID } from './diffusion/sd-turbo';
import { createSdxlTurboEngine, SDXL_TURBO_ID } from './diffusion/sdxl-turbo';
import type { ComponentLoadHook } from './diffusion/load-order';
import type { DiffusionEngineOptions } from './diffusion/unet-engine';
import { createControlNetLettering, type LegibilityGuard } from './lettering/controlnet-lettering';
import { createControlNetModel, SDXL_CONTROLNET_ID, type ControlNetModel } from './lettering/controlnet-model';
import { deferredLettering, type LetteringChoice } from './lettering/deferred-lettering';
import { checkSignature, createCatalog, ModelError, type ComponentSpec, type InstalledModel, type Manifest, type ModelCatalog } from './models';
import { proceduralBackgroundEngine } from './procedural/backdrop';
import { proceduralLettering } from './procedural/lettering-engine';
import { createSegmenter } from './segment';

/** Background engines a job may ask for (`bg_engine`); `auto` = the first installed, else procedural. */
export const DIFFUSION_FACTORIES: Record<string, (opts: DiffusionEngineOptions) => Promise<DiffusionEngine>> = {
  [SDXL_TURBO_ID]: createSdxlTurboEngine,
  [FLUX_SCHNELL_ID]: createFluxSchnellEngine,
  [SD_TURBO_ID]: createSdTurboEngine,
};

/** Lettering engines a job may ask for (`text_engine`); `auto` = the ControlNet lettering when installed, else procedural. */
export const LETTERING_ENGINES = ['auto', 'procedural', SDXL_CONTROLNET_ID] as const;

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
  /** The generative lettering's legibility guard (ADFORGE_LETTERING_MIN_IOU, ADFORGE_LETTERING_RETRIES). */
  letteringGuard?: Partial<LegibilityGuard>;
}

/** A model a job will load (or is loading): which role needs it, and the bytes it reads from disk. */
export interface ModelLoad {
  role: 'background' | 'text';
  id: string;
  /** Bytes of its files on disk, less the files whose sessions another resident model already holds. */
  bytes: number;
}

/**
 * One component of a model read from disk as it happens ('start', then 'end' with its duration, or
 * 'failed'), for the job's ETA. Sessions load when a component first runs, so a model's components
 * load one by one inside the sub-step that uses them; `bytes` are that component's.
 */
export interface ModelLoadEvent extends ModelLoad {
  component: string;
  phase: 'start' | 'end' | 'failed';
  /** Seconds it took ('end' and 'failed'). */
  seconds?: number;
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

/** A generative lettering engine with its install state (the model and the base it runs on). */
export interface LetteringInventory {
  id: string;
  installed: boolean;
  /** The base model whose encoders and VAE it uses, and whether that is installed. */
  base: { id: string; installed: boolean } | null;
  resident: boolean;
  minVramGB: number | null;
  fitsBudget: boolean;
}

export class EngineRegistry {
  private segmenterP: Promise<Segmenter> | null = null;
  private catalogP: Promise<ModelCatalog> | null = null;
  private resident: { id: string; engine: DiffusionEngine; background: BackgroundEngine } | null = null;
  private letteringResident: { id: string; baseId: string | null; model: ControlNetModel } | null = null;
  /** The catalogue once loaded (the memory plan reads manifests synchronously inside a load). */
  private catalogSync: ModelCatalog | null = null;
  private loading: Promise<unknown> = Promise.resolve();
  /** Told when a model load starts and ends (the worker relays it to the running job's ETA). */
  private loadListener: ((e: ModelLoadEvent) => void) | null = null;

  constructor(private readonly opts: RegistryOptions) {}

  /** Who hears about model loads from now on (null: nobody). */
  onModelLoad(listener: ((e: ModelLoadEvent) => void) | null): void {
    this.loadListener = listener;
  }

  /** The hook a model's component loader calls: relays its loads to the listener as this model's. */
  private loadHook(role: ModelLoad['role'], id: string): ComponentLoadHook {
    return (e) =>
      this.loadListener?.({ role, id, component: e.component, phase: e.phase, bytes: e.bytes, ...(e.seconds !== undefined ? { seconds: e.seconds } : {}) });
  }

  /**
   * The models a job asking for these engines will load, in order, with the bytes each reads: the
   * ones not resident now, following the same choices (auto, budget, installed) and the same
   * releases as the loads themselves. `null`: the job does not use that role. Never throws (a job
   * whose choice fails says so when it runs); answers from the catalogue, loading nothing.
   */
  async plannedLoads(req: { background: string | null; lettering: string | null }): Promise<ModelLoad[]> {
    try {
      const catalog = await this.catalog();
      const out: ModelLoad[] = [];
      let bg = this.resident?.id ?? null;
      let letter = this.letteringResident?.id ?? null;
      const bgId = req.background === null ? null : await this.backgroundChoiceId(req.background);
      if (bgId !== null && bgId !== bg) {
        const m = catalog.manifest(bgId);
        if (letter !== null && catalog.has(letter) && !this.fitsTogether(m, catalog.manifest(letter))) letter = null;
        out.push({ role: 'background', id: bgId, bytes: this.loadBytes(m, letter) });
        bg = bgId;
      }
      const letterId = req.lettering === null ? null : await this.letteringChoiceId(req.lettering);
      if (letterId !== null && letterId !== letter) {
        const m = catalog.manifest(letterId);
        if (bg !== null && catalog.has(bg) && !this.fitsTogether(m, catalog.manifest(bg))) bg = null;
        out.push({ role: 'text', id: letterId, bytes: this.loadBytes(m, bg) });
      }
      return out;
    } catch {
      return [];
    }
  }

  /** The diffusion engine background(requested) would use, or null (procedural, not installed, over budget). */
  private async backgroundChoiceId(requested: string): Promise<string | null> {
    if (requested === 'procedural') return null;
    const catalog = await this.catalog();
    const usable = async (id: string) =>
      Boolean(DIFFUSION_FACTORIES[id]) && catalog.has(id) && this.fitsBudget(catalog.manifest(id).minVramGB) && (await catalog.installed(id));
    if (requested !== 'auto') return (await usable(requested)) ? requested : null;
    for (const id of this.opts.backgroundOrder ?? DIFFUSION_BG_ORDER) if (await usable(id)) return id;
    return null;
  }

  /** The generative lettering model letteringChoice(requested) would load, or null (procedural). */
  private async letteringChoiceId(requested: string): Promise<string | null> {
    if (requested === 'procedural' || !(LETTERING_ENGINES as readonly string[]).includes(requested)) return null;
    const catalog = await this.catalog();
    const id = requested === 'auto' ? SDXL_CONTROLNET_ID : requested;
    if (!catalog.has(id)) return null;
    const m = catalog.manifest(id);
    const baseId = m.base?.id ?? null;
    if (!this.fitsBudget(m.minVramGB) || !(await catalog.installed(id))) return null;
    if (baseId !== null && !(catalog.has(baseId) && (await catalog.installed(baseId)))) return null;
    return id;
  }

  /** Both models resident together fit the VRAM budget (no budget: always). */
  private fitsTogether(a: Manifest, b: Manifest): boolean {
    const budget = this.opts.vramBudgetGb ?? null;
    return budget === null || this.together(a, b) <= budget;
  }

  /** Bytes on disk of the weight files of `m` (restricted to `dirs`, folder prefixes, when given). */
  private filesBytes(m: Manifest, dirs: string[] | null = null): number {
    const catalog = this.catalogSync;
    if (!catalog) return 0;
    let bytes = 0;
    for (const f of m.files) {
      if (dirs && !dirs.some((d) => f.path.startsWith(d))) continue;
      try {
        bytes += statSync(resolve(catalog.modelsDir, m.layout === 'flat' ? '' : m.id, f.path)).size;
      } catch {
        // an optional file that is not installed
      }
    }
    return bytes;
  }

  /** Folders (with a trailing /) of the components `m` opens from `base`'s folder. */
  private sharedDirs(m: Manifest, base: Manifest): string[] {
    if (!m.base || m.base.id !== base.id) return [];
    const shared = m.base.components;
    return (base.components ?? []).filter((c) => shared.includes(c.id)).map((c) => `${dirname(c.file)}/`);
  }

  /**
   * Bytes loading `m` reads with `other` (a model id, or null) resident beside it: its own files,
   * plus its base's shared components, less the shared sessions `other` already holds.
   */
  private loadBytes(m: Manifest, other: string | null): number {
    const catalog = this.catalogSync;
    if (!catalog) return 0;
    let bytes = this.filesBytes(m);
    const base = m.base && catalog.has(m.base.id) ? catalog.manifest(m.base.id) : null;
    // A model on a base (the ControlNet lettering) also opens the base's encoders and VAE, unless the base is resident.
    if (base && other !== base.id) bytes += this.filesBytes(base, this.sharedDirs(m, base));
    // A base whose encoders and VAE a resident model on it already opened (sessions are shared per file).
    const dependent = other !== null && catalog.has(other) ? catalog.manifest(other) : null;
    if (dependent?.base?.id === m.id) bytes -= this.filesBytes(m, this.sharedDirs(dependent, m));
    return Math.max(0, bytes);
  }

  segmenter(): Promise<Segmenter> {
    this.segmenterP ??= createSegmenter({
      modelsDir: this.opts.modelsDir,
      cacheDir: this.opts.cacheDir,
      providers: this.opts.providers,
      log: this.opts.log,
    }).catch((err: unknown) => {
      this.segmenterP = null;
      throw err;
    });
    return this.segmenterP;
  }

  /**
   * The lettering engine for a job (`text_engine`): `procedural` is the embedded renderer; the
   * ControlNet lettering must be installed with its base (else the job fails saying how to install
   * them); `auto` takes it when it can run, else the procedural renderer. The choice is made when
   * step 2 renders (it may load models), so this answers at once.
   */
  lettering(requested: string = 'auto'): LetteringEngine {
    if (requested === 'procedural') return proceduralLettering;
    if (!(LETTERING_ENGINES as readonly string[]).includes(requested)) {
      throw new AppError(400, `unknown lettering engine "${requested}" (one of ${LETTERING_ENGINES.join(', ')})`, 'text_engine');
    }
    return deferredLettering(() => this.letteringChoice(requested), this.opts.log);
  }

  /** Which lettering engine renders a job's headline, loading the ControlNet model when it is chosen. */
  async letteringChoice(requested: string): Promise<LetteringChoice> {
    const procedural = (note: string | null): LetteringChoice => ({ engine: proceduralLettering, note, fallbackOnError: false });
    if (requested === 'procedural') return procedural(null);
    const auto = requested === 'auto';
    const id = auto ? SDXL_CONTROLNET_ID : requested;
    const catalog = await this.catalog();
    if (!catalog.has(id)) {
      if (auto) return procedural(null);
      throw new AppError(400, `lettering engine "${id}" has no model manifest`, 'text_engine');
    }
    const m = catalog.manifest(id);
    const baseId = m.base?.id ?? null;
    const baseInstalled = async () => baseId === null || (catalog.has(baseId) && (await catalog.installed(baseId)));
    // auto without the models installed: the procedural renderer is the embedded default, nothing to report.
    if (auto && !((await catalog.installed(id)) && (await baseInstalled()))) return procedural(null);
    if (!this.fitsBudget(m.minVramGB)) {
      const why = `needs about ${m.minVramGB} GB of GPU memory, more than the VRAM budget of ${this.opts.vramBudgetGb} GB (ADFORGE_VRAM_GB)`;
      if (auto) return procedural(`procedural lettering used: ${id} is installed but ${why}`);
      throw new AppError(400, `${id} ${why}; choose text_engine=procedural or raise the budget`, 'text_engine');
    }
    let model: ControlNetModel;
    try {
      const installed = await catalog.require(id);
      let base: InstalledModel | null = null;
      if (baseId !== null) {
        base = await catalog.require(baseId).catch((err: unknown) => {
          throw err instanceof ModelError ? new ModelError('NOT_INSTALLED', `${id} runs on ${baseId}'s text encoders and VAE: ${err.message}`) : err;
        });
      }
      model = await this.loadLettering(installed, base);
    } catch (err) {
      if (!auto) throw err;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      this.opts.log(`engines: ${id} could not be loaded: ${why}`);
      return procedural(`procedural lettering used: ${id} could not be loaded (${why})`);
    }
    const engine = createControlNetLettering({
      model: async () => model,
      segmenter: () => this.segmenter(),
      control: m.control,
      guard: this.opts.letteringGuard,
      ...(m.nativeSize ? { nativeSize: m.nativeSize.width } : {}),
      log: this.opts.log,
    });
    return { engine, note: null, fallbackOnError: auto };
  }

  /** The generative lettering engines with their install state, for /health and the studio. */
  async letteringInventory(): Promise<LetteringInventory[]> {
    const catalog = await this.catalog();
    if (!catalog.has(SDXL_CONTROLNET_ID)) return [];
    const m = catalog.manifest(SDXL_CONTROLNET_ID);
    const baseId = m.base?.id ?? null;
    return [
      {
        id: m.id,
        installed: await catalog.installed(m.id),
        base: baseId ? { id: baseId, installed: catalog.has(baseId) && (await catalog.installed(baseId)) } : null,
        resident: this.letteringResident?.id === m.id,
        minVramGB: m.minVramGB ?? null,
        fitsBudget: this.fitsBudget(m.minVramGB),
      },
    ];
  }

  /** GB of the weight files `m` takes from `base`'s folder (what loading both does not load twice). */
  private sharedGb(m: Manifest, base: Manifest): number {
    const dirs = this.sharedDirs(m, base);
    return dirs.length === 0 ? 0 : this.filesBytes(base, dirs) / 1024 ** 3;
  }

  /** GPU memory (GB, the manifests' estimates) of two models resident together, shared weights counted once. */
  private together(a: Manifest, b: Manifest): number {
    return (a.minVramGB ?? 0) + (b.minVramGB ?? 0) - this.sharedGb(a, b) - this.sharedGb(b, a);
  }

  /** Before the lettering model loads: release the background engine when both would not fit the budget. */
  private async makeRoomForLettering(m: Manifest): Promise<void> {
    const budget = this.opts.vramBudgetGb ?? null;
    const r = this.resident;
    if (budget === null || !r || !this.catalogSync?.has(r.id)) return;
    const need = this.together(m, this.catalogSync.manifest(r.id));
    if (need <= budget) return;
    this.opts.log(`engines: ${r.id} and ${m.id} need ~${need.toFixed(1)} GB together, over the ${budget} GB VRAM budget: releasing ${r.id}`);
    await this.releaseBackground();
  }

  /** Before a background engine loads: release the lettering model when both would not fit the budget. */
  private async makeRoomForBackground(m: Manifest): Promise<void> {
    const budget = this.opts.vramBudgetGb ?? null;
    const l = this.letteringResident;
    if (budget === null || !l || !this.catalogSync?.has(l.id)) return;
    const need = this.together(m, this.catalogSync.manifest(l.id));
    if (need <= budget) return;
    this.opts.log(`engines: ${m.id} and ${l.id} need ~${need.toFixed(1)} GB together, over the ${budget} GB VRAM budget: releasing ${l.id}`);
    await this.releaseLettering();
  }

  /** Loads (or reuses) the ControlNet lettering model; serialised with the background loads. */
  private loadLettering(installed: InstalledModel, base: InstalledModel | null): Promise<ControlNetModel> {
    const m = installed.manifest;
    const next = this.loading.then(async () => {
      if (this.letteringResident?.id === m.id) return this.letteringResident.model;
      await this.releaseLettering();
      await this.makeRoomForLettering(m);
      // Each file is checked against the declared tensors of the manifest it belongs to.
      const checks = new Map<string, { spec: ComponentSpec; label: string }>();
      for (const c of m.components ?? []) if (installed.files[c.file]) checks.set(resolve(installed.files[c.file]), { spec: c, label: `${m.id}/${c.id}` });
      for (const c of base?.manifest.components ?? []) {
        if (base && m.base?.components.includes(c.id)) checks.set(resolve(base.files[c.file]), { spec: c, label: `${base.manifest.id}/${c.id}` });
      }
      const model = await createControlNetModel({
        id: m.id,
        baseDir: base?.dir ?? installed.dir,
        controlDir: installed.dir,
        providers: this.opts.providers,
        log: this.opts.log,
        ...(this.opts.vramBudgetGb ? { memoryBudgetBytes: this.opts.vramBudgetGb * 1024 ** 3 } : {}),
        ...(m.nativeSize ? { nativeSize: m.nativeSize.width } : {}),
        checkSession: (modelPath, session) => {
          const c = checks.get(resolve(modelPath));
          if (c) checkSignature(session, c.spec, c.label);
        },
        onLoad: this.loadHook('text', m.id),
      });
      this.letteringResident = { id: m.id, baseId: base?.manifest.id ?? null, model };
      const sharing = base && this.resident?.id === base.manifest.id ? ` (sharing ${base.manifest.id}'s text encoders and VAE with the background engine)` : '';
      this.opts.log(`engines: ${m.id} resident for lettering${sharing}`);
      return model;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  /** Frees the lettering model; with its base resident for backgrounds, only its own graphs (the shared sessions stay). */
  private async releaseLettering(): Promise<string[]> {
    const l = this.letteringResident;
    if (!l) return [];
    this.letteringResident = null;
    if (l.baseId !== null && this.resident?.id === l.baseId) await l.model.releaseOwn();
    else await l.model.release();
    this.opts.log(`engines: ${l.id} released`);
    return [l.id];
  }

  private catalog(): Promise<ModelCatalog> {
    this.catalogP ??= createCatalog({ modelsDir: this.opts.modelsDir, manifestDirs: this.opts.manifestDirs }).then(({ catalog, errors }) => {
      for (const e of errors) this.opts.log(`models: manifest ${e.file} ignored: ${e.message}`);
      this.catalogSync = catalog;
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
        throw new AppError(
          400,
          `${requested} needs about ${m.minVramGB} GB of GPU memory, more than the VRAM budget of ${this.opts.vramBudgetGb} GB (ADFORGE_VRAM_GB); choose a smaller engine or raise the budget`,
          'bg_engine',
        );
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
      await this.releaseBackground();
      await this.makeRoomForBackground(installed.manifest);
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
        onLoad: this.loadHook('background', id),
      });
      this.resident = { id, engine, background: createDiffusionBackgroundEngine(engine, { log: this.opts.log }) };
      this.opts.log(`engines: ${id} resident`);
      return this.resident;
    });
    this.loading = next.catch(() => undefined);
    return next;
  }

  /** Frees the resident diffusion engines' sessions (GPU memory), background and lettering; returns what was released. */
  async release(): Promise<string[]> {
    return [...(await this.releaseBackground()), ...(await this.releaseLettering())];
  }

  /** Frees the resident background engine (its sessions, shared ones included). */
  private async releaseBackground(): Promise<string[]> {
    const r = this.resident;
    if (!r) return [];
    this.resident = null;
    await r.engine.release();
    this.opts.log(`engines: ${r.id} released`);
    return [r.id];
  }
}
