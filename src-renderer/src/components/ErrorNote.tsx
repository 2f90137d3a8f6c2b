// An error shown in the step where it happened, in the UI language, with what to do about it. The
// server's own text follows as detail, without repeating the field it already names.
import { useT } from '../i18n';
import { useStudio, type StepError } from '../stores/studio';

export function ErrorNote({ error }: { error: StepError }) {
  const t = useT();
  const set = useStudio((s) => s.set);
  const detail = error.message.trim();
  const named = !!error.field && detail.startsWith(`${error.field}:`);
  return (
    <div className="error-note" role="alert">
      <div>
        <strong>{t('failedAt', { n: error.step })}</strong>: {error.key ? t(error.key, error.vars) : detail}
        {error.field && !named && !error.key ? <code className="err-field">{error.field}</code> : null}
      </div>
      {error.key && detail && <div className="muted small">{detail}</div>}
      <div className="muted">
        {t('whatToDo')}: {t(error.hint)}
      </div>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => set({ error: null })}>
        {t('dismiss')}
      </button>
    </div>
  );
}
