// The studio page: the three-step rail (what is done, reused or pending), the current step's
// controls on the left and its preview on the right, and errors shown in the step they belong to.
import { stepIdOf, type StepId } from '../../../src-main/core/jobs';
import { useT } from '../i18n';
import { hasArtifact, useStudio, type StepNo } from '../stores/studio';
import { StepProduct } from './StepProduct';
import { StepHeadline } from './StepHeadline';
import { StepCompose } from './StepCompose';
import { ErrorNote } from '../components/ErrorNote';

const ARTIFACT_OF_STEP = { 1: 'step1', 2: 'step2', 3: 'final' } as const;
const SUBSTEPS_OF: Record<StepId, string[]> = {
  step1_background: ['decode_product', 'segmentation', 'background_generation', 'product_placement', 'harmonization', 'encode_step1'],
  step2_text: ['text_layout', 'text_generation', 'encode_step2'],
  step3_composite: ['text_placement', 'composition', 'encode_final'],
};

function StepRail() {
  const t = useT();
  const step = useStudio((s) => s.step);
  const current = useStudio((s) => s.current);
  const error = useStudio((s) => s.error);
  const set = useStudio((s) => s.set);
  const steps: { n: StepNo; label: string }[] = [
    { n: 1, label: t('step1') },
    { n: 2, label: t('step2') },
    { n: 3, label: t('step3') },
  ];
  const stateOf = (n: StepNo): { text: string; kind: 'done' | 'reused' | 'pending' | 'error' } => {
    if (error?.step === n) return { text: t('failedAt', { n }), kind: 'error' };
    if (!current || !hasArtifact(current, ARTIFACT_OF_STEP[n]) || (n === 3 && !hasArtifact(current, 'step2')))
      return { text: t('stepPending'), kind: 'pending' };
    const id = stepIdOf(n);
    if (current.reused_steps.includes(id) || n < current.start_step)
      return { text: t('stepReused', { job: current.parameters.from_job_id?.slice(0, 8) ?? '—' }), kind: 'reused' };
    const timings = current.timings as Record<string, number | undefined>;
    const sec = SUBSTEPS_OF[id].reduce((a, k) => a + (timings[k] ?? 0), 0);
    return { text: t('stepComputed', { sec: sec.toFixed(1) }), kind: 'done' };
  };
  return (
    <ol className="rail" aria-label="Steps">
      {steps.map(({ n, label }) => {
        const st = stateOf(n);
        return (
          <li key={n}>
            <button
              type="button"
              className={`rail-step ${step === n ? 'is-current' : ''} state-${st.kind}`}
              aria-current={step === n ? 'step' : undefined}
              onClick={() => set({ step: n })}
              data-testid={`step-tab-${n}`}
            >
              <span className="rail-num" aria-hidden="true">
                {n}
              </span>
              <span className="rail-text">
                <span className="rail-label">{label}</span>
                <span className="rail-state" data-testid={`step-state-${n}`}>
                  {st.text}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ol>
  );
}

/** Undo and redo (Ctrl+Z, Ctrl+Shift+Z) for canvas edits, style changes and reruns alike. */
function UndoRedo() {
  const t = useT();
  const canUndo = useStudio((s) => s.past.length > 0);
  const canRedo = useStudio((s) => s.future.length > 0);
  const undo = useStudio((s) => s.undo);
  const redo = useStudio((s) => s.redo);
  return (
    <div className="undo-redo" role="group" aria-label={t('history')}>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        onClick={undo}
        disabled={!canUndo}
        aria-keyshortcuts="Control+Z"
        title={`${t('undo')} (Ctrl+Z)`}
        data-testid="undo"
      >
        ↶ {t('undo')}
      </button>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        onClick={redo}
        disabled={!canRedo}
        aria-keyshortcuts="Control+Shift+Z"
        title={`${t('redo')} (Ctrl+Shift+Z)`}
        data-testid="redo"
      >
        ↷ {t('redo')}
      </button>
    </div>
  );
}

export function StudioView() {
  const step = useStudio((s) => s.step);
  const error = useStudio((s) => s.error);
  const notice = useStudio((s) => s.notice);
  const set = useStudio((s) => s.set);
  const currentId = useStudio((s) => s.current?.job_id);
  const t = useT();
  return (
    <div className="studio" data-job-id={currentId}>
      <h1 className="sr-only">{t('navStudio')}</h1>
      <div className="studio-head">
        <StepRail />
        <UndoRedo />
      </div>
      {notice && (
        <div className="notice" role="status">
          {t(notice.key, notice.vars)}
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => set({ notice: null })}>
            {t('dismiss')}
          </button>
        </div>
      )}
      {error && error.step === step && <ErrorNote error={error} />}
      {step === 1 && <StepProduct />}
      {step === 2 && <StepHeadline />}
      {step === 3 && <StepCompose />}
    </div>
  );
}
