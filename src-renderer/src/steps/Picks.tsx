// The results of several runs at once, side by side: four scenes or four headline styles to pick
// from (the pick goes on screen and the flow continues from it), or the ad in every format with a
// download per format and one for all of them.
import { useState } from 'react';
import { artifactPath, type JobRecord } from '../../../src-preload/contract';
import { api } from '../api';
import { useT } from '../i18n';
import { downloadJob, type ExportOptions } from '../lib/export';
import { useStudio } from '../stores/studio';

export function Picks() {
  const t = useT();
  const picks = useStudio((s) => s.picks);
  const pick = useStudio((s) => s.pick);
  const set = useStudio((s) => s.set);
  const [saving, setSaving] = useState(false);
  if (!picks) return null;
  const formats = picks.kind === 'formats';
  const artifact = picks.kind === 'scenes' ? 'step1' : picks.kind === 'headlines' ? 'step2' : 'final';
  const title = picks.kind === 'scenes' ? t('pickScene') : picks.kind === 'headlines' ? t('pickHeadline') : t('allFormatsReady');
  const label = (j: JobRecord, i: number) =>
    formats ? j.parameters.aspect_ratio : picks.kind === 'headlines' ? j.parameters.text_model_prompt.split(',')[0] : t('variationN', { n: i + 1 });
  const saveAll = async () => {
    setSaving(true);
    const o: ExportOptions = { what: 'final', format: 'png', quality: 0.92, longEdge: 4096 };
    try {
      const names: string[] = [];
      for (const j of picks.jobs) names.push(await downloadJob(j, o));
      set({ notice: { key: 'savedFiles', vars: { n: names.length } } });
    } finally {
      setSaving(false);
    }
  };
  return (
    <div className="picks" data-testid={`picks-${picks.kind}`}>
      <div className="picks-head">
        <h2 className="h2">{title}</h2>
        {formats && (
          <button type="button" className="btn btn-primary btn-sm" onClick={() => void saveAll()} disabled={saving} data-testid="download-all-formats">
            {t('downloadAll')}
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => set({ picks: null })}>
          {t('close')}
        </button>
      </div>
      <ul className={`picks-grid ${formats ? 'formats' : ''}`}>
        {picks.jobs.map((j, i) => (
          <li key={j.job_id}>
            <button
              type="button"
              className="pick"
              onClick={() => pick(j)}
              data-testid="pick"
              data-job-id={j.job_id}
              aria-label={`${t('useThis')}: ${label(j, i)}`}
            >
              <span className={`pick-img ${artifact === 'step2' ? 'checker' : ''}`}>
                <img src={api.assetUrl(artifactPath(j.job_id, artifact, { width: 480 }))} alt="" />
              </span>
              <span className="pick-label">{label(j, i)}</span>
            </button>
            {formats && (
              <button
                type="button"
                className="btn btn-secondary btn-sm"
                onClick={() => void downloadJob(j, { what: 'final', format: 'png', quality: 0.92, longEdge: 4096 })}
                aria-label={`${t('download')} ${j.parameters.aspect_ratio}`}
              >
                {t('download')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
