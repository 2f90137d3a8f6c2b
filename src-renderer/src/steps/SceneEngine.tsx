// Which engine made the scene on screen and what it took from the prompt: with the procedural
// engine only a look (beach, marble, …) and a light side come from the words, so the designer sees
// why the rest of the prompt changed nothing; a diffusion engine shows the prompt it was given.
import { useEffect, useState } from 'react';
import { artifactPath } from '../../../src-preload/contract';
import { api } from '../api';
import { useT, type MessageKey } from '../i18n';
import { hasArtifact, useStudio } from '../stores/studio';

interface SceneInfo {
  look?: string;
  lightDir?: { x: number; y: number };
}

const LOOKS = [
  'studio',
  'marble',
  'wood',
  'concrete',
  'pastel',
  'neon',
  'sunset',
  'beach',
  'garden',
  'kitchen',
  'office',
  'nightcity',
  'linen',
  'water',
  'snow',
  'brick',
];

export function SceneEngine() {
  const t = useT();
  const job = useStudio((s) => s.current);
  const [scene, setScene] = useState<{ jobId: string; info: SceneInfo } | null>(null);
  const jobId = job && hasArtifact(job, 'scene') ? job.job_id : null;
  useEffect(() => {
    if (!jobId) return;
    let alive = true;
    fetch(api.assetUrl(artifactPath(jobId, 'scene')))
      .then((r) => (r.ok ? (r.json() as Promise<SceneInfo>) : {}))
      .then((info) => alive && setScene({ jobId, info }))
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [jobId]);
  if (!job || !hasArtifact(job, 'step1')) return null;
  const report = job.engine_reports?.background ?? null;
  const text = job.engine_reports?.text ?? null;
  const engine = report ? `${report.engine}${report.provider ? ` · ${report.provider}` : ''}` : (job.engines.background ?? '—');
  const procedural = /procedural/i.test(engine);
  const info = scene?.jobId === job.job_id ? scene.info : null;
  const look = info?.look && LOOKS.includes(info.look) ? t(`look_${info.look}` as MessageKey) : info?.look;
  const side = info?.lightDir ? (info.lightDir.x < -0.2 ? t('lightLeft') : info.lightDir.x > 0.2 ? t('lightRight') : t('lightFront')) : null;
  return (
    <div className="engine-note" data-testid="scene-engine">
      <div>
        <strong>{t('sceneBy', { engine })}</strong>
      </div>
      {procedural ? (
        <>
          {look && <div>{t('sceneUnderstood', { look, light: side ?? '' })}</div>}
          {!!report?.understood?.length && (
            <div data-testid="scene-understood">
              {t('wordsUnderstood')}: {report.understood.join(', ')}
            </div>
          )}
          <div className="muted">{t('proceduralNote')}</div>
        </>
      ) : (
        <div className="muted" data-testid="scene-prompt-used">
          {t('promptUsed')}: “{report?.prompt_used ?? job.parameters.bg_prompt}”
        </div>
      )}
      {!!report?.ignored?.length && (
        <div className="muted" data-testid="scene-ignored">
          {t('paramsIgnored')}: {report.ignored.join(', ')}
        </div>
      )}
      {report?.note && (
        <div className="muted" data-testid="scene-note">
          {report.note}
        </div>
      )}
      {text && (
        <div data-testid="lettering-engine">
          {t('letteringBy', { engine: `${text.engine}${text.provider ? ` · ${text.provider}` : ''}` })}
          {text.note ? ` — ${text.note}` : ''}
        </div>
      )}
    </div>
  );
}
