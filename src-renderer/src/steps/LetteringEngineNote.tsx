// Step 2: which lettering engine the headline will be drawn by (the studio asks for text_engine
// auto, so: what /health says auto picks now) and which of the step-2 settings it uses and which it
// ignores. Used and ignored come from the table GET /help/parameters serves (core/lettering-
// parameters.ts), so the studio and the API say the same; only the wording is the studio's. After
// a headline ran, the job's own record for its lettering: engine, provider, what it ignored, and
// the legibility guard's fallback note.
import { useEffect, useState } from 'react';
import { letteringFieldUse, type LetteringEngineId, type Step2Field } from '../../../src-main/core/lettering-parameters';
import { api } from '../api';
import { useT, type MessageKey } from '../i18n';
import { hasArtifact, useStudio } from '../stores/studio';

/** The studio's name for each step-2 field. */
const FIELD_LABEL: Record<Step2Field, MessageKey> = {
  text_model_prompt: 'stylePrompt',
  negative_prompt: 'negativePrompt',
  num_inference_steps: 'fieldSteps',
  guidance_scale: 'fieldGuidance',
  seed: 'seed',
};

/** What a field does for an engine, where a few words help. */
const HOW: Partial<Record<LetteringEngineId, Partial<Record<Step2Field, MessageKey>>>> = {
  'procedural-lettering': { text_model_prompt: 'lnHowProcStyle', negative_prompt: 'lnHowProcNegative', seed: 'lnHowProcSeed' },
  'sdxl-controlnet-canny': { text_model_prompt: 'lnHowCnStyle', negative_prompt: 'lnHowCnNegative', seed: 'lnHowCnSeed' },
};

const ENGINE_NAME: Record<LetteringEngineId, MessageKey> = {
  'procedural-lettering': 'lnEngineProcedural',
  'sdxl-controlnet-canny': 'lnEngineControlNet',
};

const isEngine = (id: string | null | undefined): id is LetteringEngineId => id === 'procedural-lettering' || id === 'sdxl-controlnet-canny';

export function LetteringEngineNote() {
  const t = useT();
  const job = useStudio((s) => s.current);
  const [auto, setAuto] = useState<LetteringEngineId | null>(null);
  // Read again when the job on screen changes: a model installed meanwhile changes what auto picks.
  const jobId = job?.job_id ?? null;
  useEffect(() => {
    let alive = true;
    api.health().then(
      (h) => alive && setAuto(isEngine(h.lettering_engines?.auto) ? h.lettering_engines.auto : 'procedural-lettering'),
      () => alive && setAuto((a) => a ?? 'procedural-lettering'),
    );
    return () => {
      alive = false;
    };
  }, [jobId]);
  if (!auto) return null;
  const { uses, ignores } = letteringFieldUse(auto);
  const field = (f: Step2Field) => {
    const how = HOW[auto]?.[f];
    return how ? `${t(FIELD_LABEL[f])} (${t(how)})` : t(FIELD_LABEL[f]);
  };
  // What the job on screen recorded for its lettering (only once it has a text layer).
  const report = job && hasArtifact(job, 'step2') ? (job.engine_reports?.text ?? null) : null;
  const recorded = report ? `${report.engine}${report.provider ? ` · ${report.provider}` : ''}` : null;
  return (
    <div className="engine-note lettering-note" data-testid="lettering-note" data-engine={auto}>
      <div>
        <strong>{t('lnWillRun', { engine: t(ENGINE_NAME[auto]) })}</strong>{' '}
        <span className="muted" style={{ whiteSpace: 'nowrap' }}>
          ({auto})
        </span>
      </div>
      <div data-testid="lettering-uses">
        {t('lnUses')}: {uses.map(field).join(' · ')}
      </div>
      <div className="muted" data-testid="lettering-ignored">
        {t('paramsIgnored')}: {ignores.length ? ignores.map((f) => t(FIELD_LABEL[f])).join(', ') : t('lnNothingIgnored')}
      </div>
      {report && (
        <div data-testid="lettering-recorded">
          {t('lnLastHeadline', { engine: recorded ?? '' })}
          {!!report.ignored?.length && (
            <span className="muted">
              {' '}
              · {t('paramsIgnored')}: {report.ignored.join(', ')}
            </span>
          )}
          {report.note && <div data-testid="lettering-fallback">{report.note}</div>}
        </div>
      )}
    </div>
  );
}
