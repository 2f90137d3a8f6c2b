// The studio's state: the designer's inputs for the three steps, the job whose results are on
// screen (`current`), the job running now (`active`, one of a `batch` when several were asked for
// at once) and what went wrong where. Every run after the first starts from `current`
// (from_job_id), so earlier steps are reused, never recomputed. Edits and finished runs are kept
// on an undo stack, so Ctrl+Z takes back a drag, a style change or a rerun alike.
import { create } from 'zustand';
import type { ArtifactName, StepId } from '../../../src-main/core/jobs';
import {
  DEFAULT_BG_NEGATIVE,
  DEFAULT_BG_PROMPT,
  DEFAULT_LINE_HEIGHT,
  DEFAULT_TEXT_NEGATIVE,
  DEFAULT_TEXT_PROMPT,
  type AspectRatio,
  type CompositionMode,
  type GenerateRequestInput,
  type TextAlign,
  type TextBox,
  type TextPosition,
} from '../../../src-main/core/params';
import { artifactPath, type JobEvent, type JobRecord, type PlacementPreview } from '../../../src-preload/contract';
import { api, ApiError } from '../api';
import type { EtaSample } from '../lib/countdown';
import { downloadJob, type ExportOptions } from '../lib/export';
import { NO_FX, type TextFx } from '../lib/textfx';
import {
  alreadyApplied,
  buildRequest,
  canMakeScene,
  exportRequest,
  FIRST_STEP,
  refitBox,
  type ProductPhoto,
  type RequestInputs,
  type RunKind,
  type RunOverrides,
} from './requests';
import type { MessageKey } from '../i18n';

export type StepNo = 1 | 2 | 3;
export type View = 'studio' | 'history' | 'settings';
export type { RunKind, ProductPhoto };
export type Placement = TextPosition | 'custom';

export interface StepError {
  step: StepNo;
  /** Server text, shown as detail; `key` (with vars) is the message in the UI language. */
  message: string;
  key?: MessageKey;
  vars?: Record<string, string | number>;
  hint: MessageKey;
  field?: string;
}

export interface Note {
  key: MessageKey;
  vars?: Record<string, string | number>;
}

/** Several runs asked for at once: scene or headline variations, every format, an export size. */
export type BatchKind = 'scenes' | 'headlines' | 'formats' | 'export';

export interface ActiveJob {
  job: JobRecord;
  kind: RunKind;
  stopping: boolean;
  /** Artifacts already written by the running job (cut-out first, so it shows at once). */
  ready: ArtifactName[];
  /** The photo it was submitted with (scene runs): its cut-out belongs to that photo only. */
  product?: ProductPhoto | null;
  batch?: { kind: BatchKind; index: number; total: number };
}

export interface Batch {
  kind: BatchKind;
  runKind: RunKind;
  ids: string[];
  latest: Record<string, JobRecord>;
  done: Record<string, JobRecord>;
  exportOptions?: ExportOptions;
}

export interface BatchOptions {
  exportOptions?: ExportOptions;
  /** One request for every run instead of one built from the inputs. */
  request?: GenerateRequestInput;
}

export interface Picks {
  kind: BatchKind;
  jobs: JobRecord[];
}

/** What undo/redo restore: the designer's edits and which job is on screen. */
const TRACKED = [
  'current',
  'preview',
  'box',
  'placement',
  'mode',
  'text',
  'fontName',
  'textPrompt',
  'textNegative',
  'bgPrompt',
  'bgNegative',
  'aspect',
  'productScale',
  'productBox',
  'textFx',
  'layerJob',
  'letterSpacing',
  'lineHeight',
  'align',
  'subText',
  'sceneSeed',
] as const;
type Tracked = (typeof TRACKED)[number];
export type Snapshot = Pick<StudioState, Tracked>;
const UNDO_LIMIT = 100;

/** The designer's inputs (RequestInputs: box is the headline box in output pixels that Apply sends as text_box when placement is custom) plus UI state. */
export interface StudioState extends RequestInputs {
  view: View;
  step: StepNo;
  placement: Placement;
  preview: PlacementPreview | null;
  active: ActiveJob | null;
  batch: Batch | null;
  picks: Picks | null;
  eta: EtaSample | null;
  error: StepError | null;
  notice: Note | null;
  photoNote: Note | null;
  /** Text effects (fill, outline, shadow): drawn on the canvas in the page, sent as text_effects. */
  textFx: TextFx;
  /** The job whose step-2 layer the stage shows (the engine's own layer; effects are drawn over it). */
  layerJob: string | null;
  past: Snapshot[];
  future: Snapshot[];
  /** Coalesces runs of the same edit (typing, arrow-key moves) into one undo step. */
  lastEdit: { key: string; at: number } | null;
  set: (patch: Partial<StudioState>) => void;
  /** A designer edit: undoable; edits with the same `coalesce` key in a row form one step. */
  edit: (patch: Partial<Snapshot>, coalesce?: string) => void;
  undo: () => void;
  redo: () => void;
  run: (kind: RunKind) => Promise<void>;
  /** Nothing changed since the final on screen was made (Apply would render the same ad). */
  isApplied: () => boolean;
  exportAd: (o: ExportOptions) => Promise<void>;
  runBatch: (kind: BatchKind, runKind: RunKind, overrides: RunOverrides[], opts?: BatchOptions) => Promise<void>;
  pick: (job: JobRecord) => void;
  cancel: () => Promise<void>;
  handleEvent: (event: JobEvent) => void;
  openJob: (job: JobRecord) => Promise<void>;
  refreshPlacement: () => Promise<void>;
  newAd: () => void;
}

const STEP_OF: Record<StepId, StepNo> = { step1_background: 1, step2_text: 2, step3_composite: 3 };
const HINT: Record<StepNo, MessageKey> = { 1: 'hintStep1', 2: 'hintStep2', 3: 'hintStep3' };

export const hasArtifact = (job: JobRecord | null, a: ArtifactName) => !!job && job.artifacts.includes(a);
const isDone = (j: JobRecord) => j.status === 'completed' || j.status === 'failed' || j.status === 'stopped';

const INITIAL = {
  view: 'studio' as View,
  step: 1 as StepNo,
  product: null,
  bgPrompt: DEFAULT_BG_PROMPT,
  bgNegative: DEFAULT_BG_NEGATIVE,
  aspect: '1:1' as AspectRatio,
  productScale: 0.55,
  seed: '',
  text: '',
  fontName: null,
  textPrompt: DEFAULT_TEXT_PROMPT,
  textNegative: DEFAULT_TEXT_NEGATIVE,
  mode: 'overlay' as CompositionMode,
  placement: 'auto' as Placement,
  box: null,
  productBox: null,
  preview: null,
  current: null,
  active: null,
  batch: null,
  picks: null,
  eta: null,
  error: null,
  notice: null,
  photoNote: null,
  textFx: NO_FX,
  layerJob: null as string | null,
  letterSpacing: 0,
  lineHeight: DEFAULT_LINE_HEIGHT,
  align: 'center' as TextAlign,
  subText: null,
  sceneSeed: null as number | null,
  past: [] as Snapshot[],
  future: [] as Snapshot[],
  lastEdit: null,
};

function snapshot(s: StudioState): Snapshot {
  const o = {} as Record<Tracked, unknown>;
  for (const k of TRACKED) o[k] = s[k];
  return o as Snapshot;
}

function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return TRACKED.every((k) => (typeof a[k] === 'object' ? JSON.stringify(a[k]) === JSON.stringify(b[k]) : a[k] === b[k]));
}

/** Reads a same-origin image URL back as a data URL (the job's stored photo, to rerun with it). */
async function dataUrlOf(url: string): Promise<{ dataUrl: string; width: number; height: number }> {
  const img = new Image();
  img.src = url;
  await img.decode();
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(String(res.status));
    const blob = await res.blob();
    const dataUrl = await new Promise<string>((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(r.error ?? new Error('read failed'));
      r.readAsDataURL(blob);
    });
    return { dataUrl, width: img.naturalWidth, height: img.naturalHeight };
  } catch {
    // A shell whose scheme fetch() cannot read: draw the decoded image instead.
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    c.getContext('2d')?.drawImage(img, 0, 0);
    return { dataUrl: c.toDataURL('image/png'), width: c.width, height: c.height };
  }
}

export const useStudio = create<StudioState>((set, get) => {
  /** Records the state before a change so undo can return to it. */
  const remember = (coalesce?: string) => {
    const s = get();
    const now = performance.now();
    if (coalesce && s.lastEdit?.key === coalesce && now - s.lastEdit.at < 1500) {
      set({ lastEdit: { key: coalesce, at: now } });
      return;
    }
    set({ past: [...s.past, snapshot(s)].slice(-UNDO_LIMIT), future: [], lastEdit: coalesce ? { key: coalesce, at: now } : null });
  };

  const failSubmit = (err: unknown, step: StepNo) => {
    const e = err instanceof ApiError ? err : new ApiError(0, err instanceof Error ? err.message : String(err));
    const photo = e.field === 'product_image';
    set({
      error: {
        step,
        message: e.detail,
        key: photo ? 'photoRejected' : undefined,
        hint: e.status === 503 ? 'hintBusy' : photo ? 'hintPhoto' : HINT[step],
        field: e.field,
      },
    });
  };

  /** A run finished and its results go on screen (as an undoable step). */
  const show = (job: JobRecord, kind: RunKind, product?: ProductPhoto | null) => {
    remember();
    const next: Partial<StudioState> = { current: job, error: null, lastEdit: null };
    if (kind === 'headline' || kind === 'all') next.layerJob = job.job_id;
    if (kind === 'scene') next.step = 2;
    if (kind === 'headline' || kind === 'all') next.step = 3;
    // A new scene places its product itself.
    if (kind === 'scene' || kind === 'all') {
      next.productBox = null;
      next.sceneSeed = job.parameters.seed;
      // A second line dragged on another frame goes back under the headline (as the request did).
      const sub = get().subText;
      if (sub?.center) next.subText = { ...sub, center: null };
    }
    // The photo's cut-out is this job's, if the designer has not replaced the photo meanwhile.
    const p = get().product;
    if (product && p && p.dataUrl === product.dataUrl && (kind === 'scene' || kind === 'all')) next.product = { ...p, jobId: job.job_id };
    set(next);
    void get().refreshPlacement();
  };

  const finishBatch = (b: Batch) => {
    const jobs = b.ids.map((id) => b.done[id]).filter((j): j is JobRecord => !!j);
    const ok = jobs.filter((j) => j.status === 'completed');
    set({ active: null, batch: null, eta: null });
    const step = FIRST_STEP[b.runKind];
    if (ok.length === 0) {
      const failed = jobs.find((j) => j.status === 'failed');
      if (failed) set({ error: { step, message: failed.error ?? failed.message, hint: HINT[step] } });
      else set({ notice: { key: 'stopped' } });
      return;
    }
    if (b.kind === 'export' && b.exportOptions) {
      void downloadJob(ok[0], b.exportOptions).then(
        (name) => set({ notice: { key: 'savedFile', vars: { name } } }),
        (err: unknown) => set({ error: { step: 3, message: err instanceof Error ? err.message : String(err), key: 'exportFailed', hint: 'hintExport' } }),
      );
      return;
    }
    set({ picks: { kind: b.kind, jobs: ok } });
  };

  /** Moves the progress bar to the batch's next job, or ends the batch. */
  const advance = (b: Batch) => {
    const nextId = b.ids.find((id) => !b.done[id]);
    if (!nextId) {
      finishBatch(b);
      return;
    }
    const index = b.ids.indexOf(nextId);
    const job = b.latest[nextId];
    set({ batch: b, active: { job, kind: b.runKind, stopping: false, ready: [], batch: { kind: b.kind, index, total: b.ids.length } } });
  };

  return {
    ...INITIAL,
    set: (patch) => set(patch),

    edit(patch, coalesce) {
      const s = get();
      const changed = (Object.keys(patch) as Tracked[]).some((k) => JSON.stringify(s[k]) !== JSON.stringify(patch[k]));
      if (!changed) return;
      remember(coalesce);
      set(patch);
    },

    undo() {
      const s = get();
      const prev = s.past[s.past.length - 1];
      if (!prev) return;
      const now = snapshot(s);
      set({ ...prev, past: s.past.slice(0, -1), future: sameSnapshot(prev, now) ? s.future : [now, ...s.future], lastEdit: null, error: null });
    },

    redo() {
      const s = get();
      const next = s.future[0];
      if (!next) return;
      set({ ...next, past: [...s.past, snapshot(s)], future: s.future.slice(1), lastEdit: null, error: null });
    },

    async run(kind) {
      const s = get();
      if (s.active) return;
      const step = FIRST_STEP[kind];
      if ((kind === 'scene' || kind === 'all') && !canMakeScene(s)) {
        set({ error: { step: 1, message: '', key: 'needPhoto', hint: 'hintPhoto' } });
        return;
      }
      set({ error: null, notice: null, picks: null });
      try {
        const job = await api.submit(buildRequest(s, kind));
        set({
          active: { job, kind, stopping: false, ready: [], product: kind === 'scene' || kind === 'all' ? s.product : undefined },
          eta: job.eta_seconds === null ? null : { seconds: job.eta_seconds, at: performance.now() },
        });
      } catch (err) {
        failSubmit(err, step);
      }
    },

    async runBatch(kind, runKind, overrides, opts = {}) {
      const { exportOptions, request } = opts;
      const s = get();
      if (s.active) return;
      const step = FIRST_STEP[runKind];
      if ((runKind === 'scene' || runKind === 'all') && !canMakeScene(s) && !request) {
        set({ error: { step: 1, message: '', key: 'needPhoto', hint: 'hintPhoto' } });
        return;
      }
      set({ error: null, notice: null, picks: null });
      const jobs: JobRecord[] = [];
      try {
        // The server queues them in order behind one another (one lane).
        for (const o of overrides) jobs.push(await api.submit(request ?? buildRequest(s, runKind, o)));
      } catch (err) {
        failSubmit(err, step);
        for (const j of jobs) void api.stopJob(j.job_id).catch(() => undefined);
        return;
      }
      const b: Batch = {
        kind,
        runKind,
        ids: jobs.map((j) => j.job_id),
        latest: Object.fromEntries(jobs.map((j) => [j.job_id, j])),
        done: {},
        exportOptions,
      };
      set({ eta: jobs[0].eta_seconds === null ? null : { seconds: jobs[0].eta_seconds, at: performance.now() } });
      advance(b);
    },

    pick(job) {
      const picks = get().picks;
      remember();
      const patch: Partial<StudioState> = { current: job, picks: null, lastEdit: null };
      if (picks?.kind === 'scenes') {
        patch.step = 2;
        patch.productBox = null;
        patch.sceneSeed = job.parameters.seed;
        const p = get().product;
        if (p) patch.product = { ...p, jobId: job.job_id };
      } else if (picks?.kind === 'headlines') {
        patch.step = 3;
        patch.layerJob = job.job_id;
        patch.textPrompt = job.parameters.text_model_prompt;
      } else if (picks?.kind === 'formats') {
        patch.step = 3;
        patch.aspect = job.parameters.aspect_ratio;
        patch.placement = job.parameters.text_position;
        patch.box = null;
        patch.productBox = null;
        patch.sceneSeed = job.parameters.seed;
        patch.subText = job.parameters.sub_text ?? null;
        // A styled format's own layer is already styled: effects apply to the engine's layer it came from.
        patch.layerJob = job.start_step === 3 && job.parameters.from_job_id ? job.parameters.from_job_id : job.job_id;
      }
      set(patch);
      void get().refreshPlacement();
    },

    isApplied() {
      const s = get();
      return alreadyApplied(s);
    },

    async exportAd(o) {
      const s = get();
      const job = s.current;
      if (!job || s.active) return;
      if (o.what === 'cutout' || o.longEdge <= job.parameters.long_edge) {
        try {
          const name = await downloadJob(job, o);
          set({ notice: { key: 'savedFile', vars: { name } } });
        } catch (err) {
          set({ error: { step: 3, message: err instanceof Error ? err.message : String(err), key: 'exportFailed', hint: 'hintExport' } });
        }
        return;
      }
      // Larger than on screen: the pipeline renders the same ad again at that size.
      // Text effects and the second text layer are parameters of the job: they come along.
      await get().runBatch('export', 'all', [{}], { exportOptions: o, request: exportRequest(job, o.longEdge, s.product?.dataUrl ?? null, s.sceneSeed) });
    },

    async cancel() {
      const a = get().active;
      if (!a || a.stopping) return;
      set({ active: { ...a, stopping: true } });
      const b = get().batch;
      const ids = b ? b.ids.filter((id) => !b.done[id]) : [a.job.job_id];
      // Later members first, so the lane does not start one of them while the first stops.
      for (const id of [...ids].reverse()) {
        try {
          const job = await api.stopJob(id);
          get().handleEvent({ type: isDone(job) ? 'finished' : 'progress', job });
        } catch (err) {
          set({ error: { step: FIRST_STEP[a.kind], message: err instanceof Error ? err.message : String(err), hint: HINT[FIRST_STEP[a.kind]] } });
        }
      }
    },

    handleEvent(event) {
      if (event.type === 'deleted') {
        if (get().current?.job_id === event.jobId) set({ current: null });
        return;
      }
      const job = event.job;
      const b = get().batch;
      if (b && b.ids.includes(job.job_id)) {
        const nb: Batch = { ...b, latest: { ...b.latest, [job.job_id]: job } };
        if (isDone(job)) nb.done = { ...b.done, [job.job_id]: job };
        const a = get().active;
        if (a && a.job.job_id === job.job_id) {
          if (isDone(job)) {
            advance(nb);
            return;
          }
          set({
            batch: nb,
            active: { ...a, job },
            eta: job.eta_seconds === null ? get().eta : { seconds: job.eta_seconds, at: performance.now() },
          });
        } else {
          set({ batch: nb });
          if (isDone(job) && a && nb.done[a.job.job_id]) advance(nb);
        }
        return;
      }
      const a = get().active;
      if (!a || job.job_id !== a.job.job_id) return;
      const ready = event.type === 'step-result' && !a.ready.includes(event.artifact) ? [...a.ready, event.artifact] : a.ready;
      if (!isDone(job)) {
        set({
          active: { ...a, job, ready: [...new Set([...ready, ...job.artifacts.filter((x) => x === 'cutout' || x === 'step1')])] },
          eta: job.eta_seconds === null ? get().eta : { seconds: job.eta_seconds, at: performance.now() },
        });
        return;
      }
      set({ active: null, eta: null });
      if (job.status === 'completed') show(job, a.kind, a.product);
      else if (job.status === 'stopped') set({ notice: { key: 'stopped' } });
      else {
        const step = job.current_step ? STEP_OF[job.current_step] : FIRST_STEP[a.kind];
        set({ error: { step, message: job.error ?? job.message, hint: HINT[step] }, step });
      }
    },

    /** Where the headline goes for the chosen preset; a custom box is kept (refitted to a new layer). */
    async refreshPlacement() {
      const s = get();
      const job = s.current;
      if (!job || !hasArtifact(job, 'step2') || !hasArtifact(job, 'step1')) return;
      const position: TextPosition = s.placement === 'custom' ? 'auto' : s.placement;
      const mode = s.mode;
      try {
        const preview = await api.previewPlacement(job.job_id, position, mode);
        const now = get();
        // A newer request (another job, position or mode) owns the box now.
        if (now.current?.job_id !== job.job_id || now.mode !== mode || (now.placement !== 'custom' && now.placement !== position)) return;
        const keep = now.placement === 'custom' && now.box;
        set({
          preview,
          box: keep
            ? refitBox(now.box as TextBox, preview.layer)
            : { x: preview.x, y: preview.y, width: preview.width, height: preview.height, rotation: preview.rotation },
        });
      } catch (err) {
        set({ error: { step: 3, message: err instanceof Error ? err.message : String(err), hint: 'hintStep3' } });
      }
    },

    async openJob(job) {
      const p = job.parameters;
      const box = p.text_box ?? null;
      remember();
      set({
        view: 'studio',
        current: job,
        step: hasArtifact(job, 'step2') ? 3 : hasArtifact(job, 'step1') ? 2 : 1,
        bgPrompt: p.bg_prompt,
        bgNegative: p.bg_negative_prompt,
        aspect: p.aspect_ratio,
        productScale: p.product_scale,
        text: p.text_content ?? '',
        fontName: p.font_name,
        textPrompt: p.text_model_prompt,
        textNegative: p.negative_prompt,
        mode: p.composition_mode,
        placement: box ? 'custom' : p.text_position,
        box,
        productBox: p.product_box ?? null,
        preview: null,
        picks: null,
        // Jobs made before these controls existed have none of them.
        textFx: p.text_effects ?? NO_FX,
        subText: p.sub_text ?? null,
        // A job that made its own scene knows its seed; for a later one the server kept the scene's seed unless one was typed.
        sceneSeed: job.start_step === 1 ? p.seed : null,
        letterSpacing: p.letter_spacing ?? 0,
        lineHeight: p.line_height ?? DEFAULT_LINE_HEIGHT,
        align: p.text_align ?? 'center',
        layerJob: hasArtifact(job, 'step2') ? job.job_id : null,
        product: null,
        photoNote: null,
        error: null,
        notice: null,
        lastEdit: null,
      });
      void get().refreshPlacement();
      // The job's own photo comes back too, so a new scene from here still has its product.
      if (hasArtifact(job, 'input')) {
        try {
          const photo = await dataUrlOf(api.assetUrl(artifactPath(job.job_id, 'input')));
          if (get().current?.job_id !== job.job_id) return;
          set({ product: { ...photo, name: `${job.job_id.slice(0, 8)}.png`, jobId: hasArtifact(job, 'cutout') ? job.job_id : null } });
        } catch {
          set({ photoNote: { key: 'photoNotRestored' } });
        }
      } else if (hasArtifact(job, 'step1')) set({ photoNote: { key: 'photoNotRestored' } });
    },

    newAd() {
      const { view } = get();
      set({ ...INITIAL, view: view === 'settings' ? 'settings' : 'studio' });
    },
  };
});
