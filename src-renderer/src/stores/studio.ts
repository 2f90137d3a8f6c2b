// The studio's state: the designer's inputs for the three steps, the job whose results are on
// screen (`current`), the job running now (`active`) and what went wrong where. Every run after
// the first starts from `current` (from_job_id), so earlier steps are reused, never recomputed.
import { create } from 'zustand';
import { stepIdOf, type ArtifactName, type StepId } from '../../../src-main/core/jobs';
import {
  DEFAULT_BG_NEGATIVE,
  DEFAULT_BG_PROMPT,
  DEFAULT_TEXT_NEGATIVE,
  DEFAULT_TEXT_PROMPT,
  type AspectRatio,
  type CompositionMode,
  type TextBox,
  type TextPosition,
} from '../../../src-main/core/params';
import type { JobEvent, JobRecord, PlacementPreview } from '../../../src-preload/contract';
import { api, ApiError } from '../api';
import type { EtaSample } from '../lib/countdown';
import { buildRequest, FIRST_STEP, refitBox, type RequestInputs, type RunKind } from './requests';
import type { MessageKey } from '../i18n';

export type StepNo = 1 | 2 | 3;
export type View = 'studio' | 'history' | 'settings';
export type { RunKind };
export type Placement = TextPosition | 'custom';

export interface StepError {
  step: StepNo;
  message: string;
  hint: MessageKey;
  field?: string;
}

export interface ActiveJob {
  job: JobRecord;
  kind: RunKind;
  stopping: boolean;
  /** Artifacts already written by the running job (cut-out first, so it shows at once). */
  ready: ArtifactName[];
}

/** The designer's inputs (RequestInputs: box is the headline box in output pixels that Apply sends as text_box when placement is custom) plus UI state. */
export interface StudioState extends RequestInputs {
  view: View;
  step: StepNo;
  placement: Placement;
  preview: PlacementPreview | null;
  active: ActiveJob | null;
  eta: EtaSample | null;
  error: StepError | null;
  notice: MessageKey | null;
  set: (patch: Partial<StudioState>) => void;
  run: (kind: RunKind) => Promise<void>;
  cancel: () => Promise<void>;
  handleEvent: (event: JobEvent) => void;
  openJob: (job: JobRecord) => void;
  refreshPlacement: () => Promise<void>;
  newAd: () => void;
}

const STEP_OF: Record<StepId, StepNo> = { step1_background: 1, step2_text: 2, step3_composite: 3 };
const HINT: Record<StepNo, MessageKey> = { 1: 'hintStep1', 2: 'hintStep2', 3: 'hintStep3' };

export const hasArtifact = (job: JobRecord | null, a: ArtifactName) => !!job && job.artifacts.includes(a);

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
  preview: null,
  current: null,
  active: null,
  eta: null,
  error: null,
  notice: null,
};

export const useStudio = create<StudioState>((set, get) => ({
  ...INITIAL,
  set: (patch) => set(patch),

  async run(kind) {
    const s = get();
    if (s.active) return;
    const step = FIRST_STEP[kind];
    set({ error: null, notice: null });
    try {
      const job = await api.submit(buildRequest(s, kind));
      set({ active: { job, kind, stopping: false, ready: [] }, eta: job.eta_seconds === null ? null : { seconds: job.eta_seconds, at: performance.now() } });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, err instanceof Error ? err.message : String(err));
      set({ error: { step, message: e.detail, hint: e.status === 503 ? 'hintBusy' : HINT[step], field: e.field } });
    }
  },

  async cancel() {
    const a = get().active;
    if (!a || a.stopping) return;
    set({ active: { ...a, stopping: true } });
    try {
      const job = await api.stopJob(a.job.job_id);
      get().handleEvent({ type: job.status === 'running' || job.status === 'pending' ? 'progress' : 'finished', job });
    } catch (err) {
      set({ error: { step: FIRST_STEP[a.kind], message: err instanceof Error ? err.message : String(err), hint: HINT[FIRST_STEP[a.kind]] } });
    }
  },

  handleEvent(event) {
    if (event.type === 'deleted') {
      if (get().current?.job_id === event.jobId) set({ current: null });
      return;
    }
    const a = get().active;
    const job = event.job;
    if (!a || job.job_id !== a.job.job_id) return;
    const ready = event.type === 'step-result' && !a.ready.includes(event.artifact) ? [...a.ready, event.artifact] : a.ready;
    const finished = job.status === 'completed' || job.status === 'failed' || job.status === 'stopped';
    if (!finished) {
      set({
        active: { ...a, job, ready: [...new Set([...ready, ...job.artifacts.filter((x) => x === 'cutout' || x === 'step1')])] },
        eta: job.eta_seconds === null ? get().eta : { seconds: job.eta_seconds, at: performance.now() },
      });
      return;
    }
    set({ active: null, eta: null });
    if (job.status === 'completed') {
      const next: Partial<StudioState> = { current: job, error: null };
      if (a.kind === 'scene') next.step = 2;
      if (a.kind === 'headline' || a.kind === 'all') next.step = 3;
      set(next);
      void get().refreshPlacement();
    } else if (job.status === 'stopped') {
      set({ notice: 'stopped' });
    } else {
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
    try {
      const preview = await api.previewPlacement(job.job_id, position, s.mode);
      if (get().current?.job_id !== job.job_id) return;
      const keep = get().placement === 'custom' && get().box;
      set({
        preview,
        box: keep ? refitBox(get().box as TextBox, preview.layer) : { x: preview.x, y: preview.y, width: preview.width, height: preview.height, rotation: preview.rotation },
      });
    } catch (err) {
      set({ error: { step: 3, message: err instanceof Error ? err.message : String(err), hint: 'hintStep3' } });
    }
  },

  openJob(job) {
    const p = job.parameters;
    const box = p.text_box ?? null;
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
      error: null,
      notice: null,
    });
    void get().refreshPlacement();
  },

  newAd() {
    const { view } = get();
    set({ ...INITIAL, view: view === 'settings' ? 'settings' : 'studio' });
  },
}));

export const stepIdOfNo = (n: StepNo): StepId => stepIdOf(n);
