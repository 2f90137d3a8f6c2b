// When each component's session is loaded and released. Normally every session stays resident
// (the worker keeps models warm between jobs). In low-memory mode each component is loaded, run
// and released before the next one loads, so FLUX's T5-XXL (~9.5 GB) and CLIP are gone before the
// 12B transformer arrives (the TensorRT demo's --low-vram pattern). The log of loads and releases
// is kept so the order can be checked.
import { getSession, hasSession, releaseSession, type SessionHandle } from '../onnx/sessions';
import { asMemoryError } from './errors';
import type { ModelFolder } from './model-folder';

export interface LoaderOptions {
  engine: string;
  providers?: readonly string[];
  log?: (message: string) => void;
  /** Release every component right after it ran. */
  lowMemory: boolean;
  checkSession?: SessionCheck;
  /** Told when a component's session is read from disk (not when another loader's session is reused), and when that ends. */
  onLoad?: ComponentLoadHook;
}

/** A component's session being read from disk: 'start', then 'end' (or 'failed') with the seconds it took. */
export interface ComponentLoad {
  component: string;
  phase: 'start' | 'end' | 'failed';
  /** Bytes of its graph and external data. */
  bytes: number;
  seconds?: number;
}
export type ComponentLoadHook = (e: ComponentLoad) => void;

/** Checks a freshly loaded session (the manifest's declared tensors); throws to refuse the file. */
export type SessionCheck = (modelPath: string, session: SessionHandle['session']) => void;

export type LoadEvent = `load:${string}` | `release:${string}`;

export class ComponentLoader {
  /** Loads and releases in order, for diagnostics and tests. */
  readonly events: LoadEvent[] = [];
  private readonly resident = new Set<string>();
  /** Provider of the last session that ran (the engine reports it). */
  lastProvider: string | null = null;

  constructor(
    private readonly folder: ModelFolder,
    private readonly opts: LoaderOptions,
  ) {}

  get lowMemory(): boolean {
    return this.opts.lowMemory;
  }

  has(component: string): boolean {
    return this.folder.components[component] !== undefined;
  }

  private path(component: string): string {
    const c = this.folder.components[component];
    if (!c) throw new Error(`${this.opts.engine}: model folder ${this.folder.dir} has no ${component}`);
    return c.model;
  }

  /** The component's session, loading it if needed; an allocation failure becomes DiffusionMemoryError. */
  async session(component: string, size: { width: number; height: number } = { width: 0, height: 0 }): Promise<SessionHandle> {
    const path = this.path(component);
    if (!this.resident.has(component)) this.events.push(`load:${component}`);
    // Read from disk now (not a session another loader already holds): the job's ETA hears of it.
    const reading = this.opts.onLoad && !hasSession(path) ? this.tell(component) : null;
    try {
      const handle = await getSession(path, {
        providers: this.opts.providers,
        log: this.opts.log,
        failOnOutOfMemory: true,
        // Low-memory mode: no CPU arena holding freed blocks between components.
        sessionOptions: this.opts.lowMemory ? { enableCpuMemArena: false } : undefined,
      });
      reading?.('end');
      if (!this.resident.has(component)) {
        this.opts.checkSession?.(path, handle.session);
        this.opts.log?.(`${this.opts.engine}: loaded ${component} on ${handle.provider}`);
      }
      this.resident.add(component);
      this.lastProvider = handle.provider;
      return handle;
    } catch (err) {
      reading?.('failed');
      throw asMemoryError(err, { engine: this.opts.engine, component, provider: null, ...size });
    }
  }

  /** Tells onLoad that `component` starts loading; the returned function tells how it ended. */
  private tell(component: string): (phase: 'end' | 'failed') => void {
    const hook = this.opts.onLoad;
    // Summed when the folder was opened (model-folder.ts): no second stat of every file per load.
    const bytes = this.folder.components[component]?.bytes ?? 0;
    const t0 = performance.now();
    const call = (e: ComponentLoad) => {
      try {
        hook?.(e);
      } catch {
        // a listener's trouble is not the load's
      }
    };
    call({ component, phase: 'start', bytes });
    let told = false;
    return (phase) => {
      if (told) return;
      told = true;
      call({ component, phase, bytes, seconds: (performance.now() - t0) / 1000 });
    };
  }

  /** Runs fn with the component's session; in low-memory mode the session is released afterwards. */
  async use<T>(component: string, size: { width: number; height: number }, fn: (h: SessionHandle) => Promise<T>): Promise<T> {
    const handle = await this.session(component, size);
    try {
      return await fn(handle);
    } catch (err) {
      throw asMemoryError(err, { engine: this.opts.engine, component, provider: handle.provider, ...size });
    } finally {
      if (this.opts.lowMemory) await this.release(component);
    }
  }

  async release(component: string): Promise<void> {
    if (!this.resident.has(component)) return;
    this.resident.delete(component);
    await releaseSession(this.path(component));
    this.events.push(`release:${component}`);
    this.opts.log?.(`${this.opts.engine}: released ${component}`);
  }

  async releaseAll(): Promise<void> {
    for (const c of [...this.resident]) await this.release(c);
  }
}

/** Weight bytes of the listed components (graph + external data). */
export function weightBytes(folder: ModelFolder, components: readonly string[]): number {
  let sum = 0;
  for (const c of components) {
    sum += folder.components[c]?.bytes ?? 0;
  }
  return sum;
}

/** Low-memory loading by default when all weights together exceed the budget (default 20 GiB: a 24 GB card with room for activations). */
export function needsLowMemory(folder: ModelFolder, components: readonly string[], budgetBytes = 20 * 1024 ** 3): boolean {
  return weightBytes(folder, components) > budgetBytes;
}
