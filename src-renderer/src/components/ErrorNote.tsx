// An error shown in the step where it happened, with what to do about it.
import { useT } from '../i18n';
import { useStudio, type StepError } from '../stores/studio';

export function ErrorNote({ error }: { error: StepError }) {
  const t = useT();
  const set = useStudio((s) => s.set);
  return (
    <div className="error-note" role="alert">
      <div>
        <strong>{t('failedAt', { n: error.step })}</strong>: {error.message}
        {error.field ? <code className="err-field">{error.field}</code> : null}
      </div>
      <div className="muted">
        {t('whatToDo')}: {t(error.hint)}
      </div>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => set({ error: null })}>
        {t('dismiss')}
      </button>
    </div>
  );
}
