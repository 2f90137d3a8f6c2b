// The running job: step and sub-step label, percentage, a countdown ETA that ticks between
// events, and Cancel. Rendered as a live region so screen readers hear the sub-step change.
import { useEffect, useState } from 'react';
import { STEP_IDS, SUB_STEPS, type StepId } from '../../../src-main/core/jobs';
import { formatEta, remainingSeconds } from '../lib/countdown';
import { subStepLabel, useLang, useT } from '../i18n';
import { useStudio } from '../stores/studio';

const STEP_NO: Record<StepId, number> = { step1_background: 1, step2_text: 2, step3_composite: 3 };

export function ProgressBar() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const active = useStudio((s) => s.active);
  const eta = useStudio((s) => s.eta);
  const cancel = useStudio((s) => s.cancel);
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  if (!active) return null;
  const job = active.job;
  const pct = Math.max(0, Math.min(100, job.progress_percent));
  let label = t('pending');
  if (job.status === 'running' && job.current_step) {
    const n = STEP_NO[job.current_step];
    // A run that stops early (scene only) still passes the later steps to save its result: it is
    // still saving that step's result, not making a final ad.
    if (n > job.stop_step) {
      const last = SUB_STEPS[STEP_IDS[job.stop_step - 1]].at(-1);
      label = t('progressLabel', { n: job.stop_step, label: last ? subStepLabel(lang, last.id, last.label) : '' });
    } else {
      const sub = SUB_STEPS[job.current_step].find((s) => s.id === job.sub_step);
      label = t('progressLabel', { n, label: sub ? subStepLabel(lang, sub.id, sub.label) : '' });
    }
  }
  const b = active.batch;
  const of = b ? t(b.kind === 'formats' ? 'formatNofM' : b.kind === 'export' ? 'exportRender' : 'variationNofM', { n: b.index + 1, m: b.total }) : null;
  const left = remainingSeconds(eta, now);
  return (
    <section className="progress" aria-label={t('jobProgress')} data-job-id={job.job_id}>
      <div className="progress-text" role="status" aria-live="polite">
        <strong>{active.stopping ? t('stopping') : label}</strong>
        {of && <span className="muted">{of}</span>}
        <span className="muted">
          {Math.round(pct)}%{left !== null && !active.stopping ? ` · ${t('eta', { eta: formatEta(left, { s: t('sec'), min: t('min') }) })}` : ''}
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={t('jobProgress')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct)}
        aria-valuetext={label}
      >
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <button type="button" className="btn btn-danger" onClick={() => void cancel()} disabled={active.stopping}>
        {active.stopping ? t('stopping') : b ? t('cancelAll') : t('cancel')}
      </button>
    </section>
  );
}
