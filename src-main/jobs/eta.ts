// Progress and ETA model. Pure: the clock is passed in, so tests drive it with a fake one.
//
// - Each sub-step weighs its expected seconds: the learned EMA for (sub-step, engine) from the
//   database, else the default from core/jobs.ts SUB_STEPS.
// - progress_percent = weighted share of finished sub-steps plus the running one's share
//   (reported fraction or elapsed/expected, whichever is further); integer, never goes down, and
//   reaches 100 only when the job completes.
// - eta_seconds / step_eta_seconds = (expected − elapsed) of the running sub-step, floored at a
//   small positive value when it overruns, plus the expected seconds of what is left. They count
//   down with wall time and only rise when the estimate itself changes (an engine is announced).
// - Model loads: a job that needs a model that is not resident (the first job after a start, or
//   after a switch between background and lettering engines that do not fit the VRAM budget
//   together) carries the expected load time inside the sub-step where the load happens: the
//   model's bytes on disk times the learned seconds per GiB for that model (else for any model,
//   else a default). A load counts down on its own clock; the sub-step's work starts after it.
import { MODEL_LOAD, SUB_STEPS, STEP_IDS, type EngineInfo, type EngineRole, type StepId, type SubStepId, type TimedStep } from '../core/jobs';

/** What an overrunning sub-step still claims: small, but never 0 (0 would read as "done"). */
export const ETA_FLOOR_SECONDS = 1;
/** Weight of the newest measurement in the learned average. */
export const EMA_ALPHA = 0.3;
/** Engine key for sub-steps whose duration does not depend on an engine choice. */
export const ANY_ENGINE = '*';
/** Seconds per GiB a model load takes before any load was measured (ONNX sessions from a local disk). */
export const DEFAULT_LOAD_SECONDS_PER_GIB = 5;
/** Loads at least this large teach the seconds per GiB of any model (small files measure only overhead). */
export const LOAD_LEARN_MIN_BYTES = 256 * 1024 ** 2;
const GIB = 1024 ** 3;

export interface LearnedTiming {
  /** A sub-step, or MODEL_LOAD: then `engine` is a model id (ANY_ENGINE: every model) and emaSeconds are seconds per GiB. */
  subStep: TimedStep;
  engine: string;
  emaSeconds: number;
  samples: number;
  updatedAt: number;
}

const DEFAULTS = new Map<SubStepId, number>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id as SubStepId, x.seconds] as const)));
const STEP_OF = new Map<SubStepId, StepId>(STEP_IDS.flatMap((s) => SUB_STEPS[s].map((x) => [x.id as SubStepId, s] as const)));

/** Which engine's speed decides how long a sub-step takes (null: the same for every engine). */
export function roleOfSubStep(sub: SubStepId): EngineRole | null {
  switch (sub) {
    case 'segmentation':
      return 'segment';
    case 'background_generation':
    case 'product_placement':
    case 'harmonization':
      return 'background';
    case 'text_layout':
    case 'text_generation':
      return 'text';
    default:
      return null;
  }
}

export function engineKeyOf(sub: SubStepId, engines: EngineInfo): string | null {
  const role = roleOfSubStep(sub);
  if (!role) return ANY_ENGINE;
  return engines[role] ?? null;
}

/** Exponential moving average update; the first sample is taken as is. */
export function emaUpdate(prev: Pick<LearnedTiming, 'emaSeconds' | 'samples'> | undefined, seconds: number, alpha = EMA_ALPHA) {
  if (!prev || prev.samples <= 0) return { emaSeconds: seconds, samples: 1 };
  return { emaSeconds: prev.emaSeconds + alpha * (seconds - prev.emaSeconds), samples: prev.samples + 1 };
}

/** Expected seconds per (sub-step, engine): learned when known, else the shipped default. */
export class TimingModel {
  private readonly rows = new Map<string, LearnedTiming>();

  constructor(rows: Iterable<LearnedTiming> = []) {
    for (const r of rows) this.rows.set(`${r.subStep}\u0000${r.engine}`, r);
  }

  /**
   * When the engine for a sub-step is not known yet (it is announced during the job), the most
   * recently learned engine for that sub-step is the best guess: it is usually the same machine's.
   */
  expected(sub: SubStepId, engines: EngineInfo): number {
    const key = engineKeyOf(sub, engines);
    if (key !== null) {
      const hit = this.rows.get(`${sub}\u0000${key}`);
      if (hit) return hit.emaSeconds;
      if (key !== ANY_ENGINE) return DEFAULTS.get(sub) ?? 0.1;
    }
    let latest: LearnedTiming | undefined;
    for (const r of this.rows.values()) if (r.subStep === sub && (!latest || r.updatedAt > latest.updatedAt)) latest = r;
    return latest?.emaSeconds ?? DEFAULTS.get(sub) ?? 0.1;
  }

  /** Folds one measured duration in; returns the row to persist. */
  learn(sub: SubStepId, engines: EngineInfo, seconds: number, now: number): LearnedTiming | null {
    const engine = engineKeyOf(sub, engines);
    if (engine === null || !Number.isFinite(seconds) || seconds < 0) return null;
    const k = `${sub}\u0000${engine}`;
    const row: LearnedTiming = { subStep: sub, engine, ...emaUpdate(this.rows.get(k), seconds), updatedAt: now };
    this.rows.set(k, row);
    return row;
  }

  /** Seconds per GiB loading `model` is expected to take: learned for it, else for any model, else the default. */
  loadSecondsPerGib(model: string): number {
    return (
      this.rows.get(`${MODEL_LOAD}\u0000${model}`)?.emaSeconds ?? this.rows.get(`${MODEL_LOAD}\u0000${ANY_ENGINE}`)?.emaSeconds ?? DEFAULT_LOAD_SECONDS_PER_GIB
    );
  }

  /** Expected seconds to load `bytes` of `model` (the files it still has to read; shared sessions excluded). */
  expectedLoad(model: string, bytes: number): number {
    return Math.max(0, bytes / GIB) * this.loadSecondsPerGib(model);
  }

  /**
   * Folds one measured load in: the model's own seconds per GiB, and, for a load large enough to
   * measure throughput rather than overhead, every model's. Returns the rows to persist.
   */
  learnLoad(model: string, bytes: number, seconds: number, now: number): LearnedTiming[] {
    if (!Number.isFinite(seconds) || seconds < 0 || !(bytes > 0)) return [];
    const perGib = seconds / (bytes / GIB);
    const keys = bytes >= LOAD_LEARN_MIN_BYTES && model !== ANY_ENGINE ? [model, ANY_ENGINE] : [model];
    return keys.map((engine) => {
      const k = `${MODEL_LOAD}\u0000${engine}`;
      const row: LearnedTiming = { subStep: MODEL_LOAD, engine, ...emaUpdate(this.rows.get(k), perGib), updatedAt: now };
      this.rows.set(k, row);
      return row;
    });
  }
}

export interface PlanOptions {
  startStep: 1 | 2 | 3;
  stopStep: 1 | 2 | 3;
  /** A product photo was uploaded (start_step 1): decode and segmentation run. */
  hasProduct: boolean;
  /** A headline was given: without one the pipeline stops after step 1 and saves it as final. */
  hasText: boolean;
}

/** The sub-steps a job will run, in order, mirroring what run-pipeline.ts does for these inputs. */
export function planSubSteps(o: PlanOptions): SubStepId[] {
  const out: SubStepId[] = [];
  const last = o.hasText ? o.stopStep : 1;
  for (let n = o.startStep; n <= last; n++) {
    for (const s of SUB_STEPS[STEP_IDS[n - 1]]) {
      if (!o.hasProduct && (s.id === 'decode_product' || s.id === 'segmentation')) continue;
      out.push(s.id);
    }
  }
  if (!o.hasText && o.startStep === 1) out.push('encode_final');
  return out;
}

export interface ProgressSnapshot {
  progress_percent: number;
  eta_seconds: number;
  step_eta_seconds: number;
  current_step: StepId | null;
  sub_step: SubStepId | null;
}

interface Slot {
  id: SubStepId;
  step: StepId;
  expected: number;
  state: 'todo' | 'active' | 'done';
  startedAt: number;
  fraction: number;
}

/**
 * A planned model load inside a sub-step. Its components are read one by one as they first run, so
 * what is left is the expected time for the bytes not loaded yet, less the time the component
 * loading now has taken.
 */
interface Load {
  model: string;
  slot: Slot;
  expected: number;
  /** Bytes planned, and bytes of the components loaded so far. */
  bytes: number;
  loaded: number;
  /** Seconds spent loading its finished components. */
  spent: number;
  /** When the component loading now started, or null. */
  since: number | null;
  /** Over (every byte loaded, or a load failed). */
  over: boolean;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** Live progress of one running job. Times are seconds on any monotonic clock. */
export class JobProgress {
  private readonly slots: Slot[];
  private readonly loads: Load[] = [];
  private lastPercent = 0;
  private completed = false;

  /**
   * `warmupSeconds`: time the worker still needs before it can start (loading the models after a
   * start or restart). The first sub-step owns it, so the first job's ETA counts down through the
   * load instead of sitting at the floor and then jumping up.
   */
  constructor(plan: SubStepId[], expected: (sub: SubStepId) => number, startedAt: number, warmupSeconds = 0) {
    this.slots = plan.map((id) => ({
      id,
      step: STEP_OF.get(id) ?? 'step1_background',
      expected: Math.max(0.01, expected(id)),
      state: 'todo',
      startedAt,
      fraction: 0,
    }));
    // The first sub-step owns the time from the start (worker pick-up, engine warm-up).
    if (this.slots[0]) {
      this.slots[0].state = 'active';
      this.warmup = Math.max(0, warmupSeconds);
      this.slots[0].expected += this.warmup;
    }
  }

  private warmup = 0;

  private indexOf(sub: SubStepId): number {
    return this.slots.findIndex((s) => s.id === sub);
  }

  /** The worker reports `sub` at `fraction`: earlier sub-steps are over (done or skipped). */
  report(sub: SubStepId, fraction: number, now: number): void {
    const i = this.indexOf(sub);
    if (i < 0 || this.slots[i].state === 'done') return;
    for (let j = 0; j < i; j++) this.slots[j].state = 'done';
    const s = this.slots[i];
    if (s.state !== 'active') {
      s.state = 'active';
      s.startedAt = now;
    }
    if (Number.isFinite(fraction)) s.fraction = Math.max(s.fraction, Math.min(1, Math.max(0, fraction)));
  }

  /** `sub` finished: the next planned one starts now (the worker reports it right away). */
  subStepDone(sub: SubStepId, now: number): void {
    const i = this.indexOf(sub);
    if (i < 0) return;
    for (let j = 0; j <= i; j++) this.slots[j].state = 'done';
    const next = this.slots[i + 1];
    if (next && next.state === 'todo') {
      next.state = 'active';
      next.startedAt = now;
    }
  }

  /** New expectations (an engine was announced): remaining sub-steps take the new weights. */
  reestimate(expected: (sub: SubStepId) => number): void {
    this.slots.forEach((s, i) => {
      if (s.state !== 'done') s.expected = Math.max(0.01, expected(s.id)) + (i === 0 ? this.warmup : 0);
    });
  }

  /**
   * The job will load `model` (`bytes` on disk) inside sub-step `sub`, expected to take `seconds`.
   * Ignored when that sub-step is over or not in the plan, or the load is already known.
   */
  planLoad(model: string, sub: SubStepId, seconds: number, bytes: number): void {
    const slot = this.slots[this.indexOf(sub)];
    if (!slot || slot.state === 'done' || this.loads.some((l) => l.model === model && !l.over)) return;
    this.loads.push({ model, slot, expected: Math.max(0, seconds), bytes: Math.max(0, bytes), loaded: 0, spent: 0, since: null, over: false });
  }

  private loadOf(model: string): Load | undefined {
    return this.loads.find((l) => l.model === model && !l.over && l.slot.state !== 'done');
  }

  /** A component of `model` starts loading now. False when no load of it was planned (nothing changes then). */
  loadStarted(model: string, now: number): boolean {
    const l = this.loadOf(model);
    if (!l) return false;
    if (l.slot.state === 'todo') this.report(l.slot.id, 0, now);
    l.since ??= now;
    return true;
  }

  /** A component of `model` (`bytes`) finished loading now, or failed (then the model's load is over). */
  loadEnded(model: string, now: number, bytes: number, failed = false): void {
    const l = this.loads.find((x) => x.model === model && x.since !== null);
    if (!l || l.since === null) return;
    l.spent += Math.max(0, now - l.since);
    l.since = null;
    l.loaded += Math.max(0, bytes);
    if (failed || l.loaded >= l.bytes) l.over = true;
  }

  /** Seconds of model loading still expected (planned loads plus what is left of the ones under way). */
  loadRemaining(now: number): number {
    return this.loads.reduce((a, l) => a + (l.slot.state === 'done' ? 0 : this.loadState(l, now).left), 0);
  }

  /** What a load has taken (`spent`, the component loading now included) and is still expected to take (`left`). */
  private loadState(l: Load, now: number): { left: number; spent: number } {
    const running = l.since === null ? 0 : Math.max(0, now - l.since);
    const share = l.over || l.bytes <= 0 ? 0 : 1 - Math.min(1, l.loaded / l.bytes);
    return { left: Math.max(0, l.expected * share - running), spent: l.spent + running };
  }

  complete(): void {
    this.completed = true;
  }

  /** Seconds still expected for the whole job. */
  remaining(now: number): number {
    return this.snapshot(now).eta_seconds;
  }

  /**
   * One sub-step's loads at `now`: `left` still expected, `spent` seconds already spent loading
   * (not work of the sub-step), `weight` their share of the job for the progress percentage.
   */
  private loadsOf(s: Slot, now: number): { left: number; spent: number; weight: number } {
    let left = 0;
    let spent = 0;
    for (const l of this.loads) {
      if (l.slot !== s) continue;
      const st = this.loadState(l, now);
      left += s.state === 'done' ? 0 : st.left;
      spent += st.spent;
    }
    return { left, spent, weight: left + spent };
  }

  snapshot(now: number): ProgressSnapshot {
    const active = this.slots.find((s) => s.state === 'active');
    const lastDone = [...this.slots].reverse().find((s) => s.state === 'done');
    let total = 0;
    let doneWeight = 0;
    let activeShare = 0;
    let eta = 0;
    let stepEta = 0;
    const currentStep = active?.step ?? lastDone?.step ?? this.slots[0]?.step ?? null;
    for (const s of this.slots) {
      const loads = this.loadsOf(s, now);
      const weight = s.expected + loads.weight;
      total += weight;
      if (s.state === 'done') {
        doneWeight += weight;
        continue;
      }
      let left = s.expected + loads.left;
      if (s.state === 'active') {
        // The sub-step's own work runs in the time not spent loading.
        const work = Math.max(0, now - s.startedAt - loads.spent);
        left = Math.max(ETA_FLOOR_SECONDS, loads.left + Math.max(0, s.expected - work));
        // Cap below 1: a sub-step is only whole when the worker says so.
        activeShare = Math.min(0.99 * weight, loads.spent + s.expected * Math.min(1, Math.max(s.fraction, work / s.expected)));
      }
      eta += left;
      if (s.step === currentStep) stepEta += left;
    }
    if (this.completed) {
      this.lastPercent = 100;
      return { progress_percent: 100, eta_seconds: 0, step_eta_seconds: 0, current_step: currentStep, sub_step: null };
    }
    const raw = total > 0 ? Math.floor((100 * (doneWeight + activeShare)) / total) : 0;
    this.lastPercent = Math.max(this.lastPercent, Math.min(99, raw));
    return {
      progress_percent: this.lastPercent,
      eta_seconds: round1(Math.max(eta, ETA_FLOOR_SECONDS)),
      step_eta_seconds: round1(Math.max(stepEta, active ? ETA_FLOOR_SECONDS : 0)),
      current_step: currentStep,
      sub_step: active?.id ?? null,
    };
  }
}

/** Expected seconds of a whole job before it starts (queued jobs, Retry-After). */
export function expectedTotal(plan: SubStepId[], expected: (sub: SubStepId) => number): number {
  return plan.reduce((a, id) => a + Math.max(0.01, expected(id)), 0);
}
