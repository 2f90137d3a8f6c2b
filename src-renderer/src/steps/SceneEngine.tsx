// Which engine made the scene on screen and what it took from the prompt: with the procedural
// engine only a look (beach, marble, …) and a light side come from the words, so the designer sees
// why the rest of the prompt changed nothing; a diffusion engine shows the prompt it was given.
// The gist (engine, look, light) is one short block; the long part (words understood, parameters
// ignored, the prompt used, notes) opens on demand, so the note fits the step-1 panel at 1280×800.
// A new scene's note, and the long part when opened, scroll into view inside the panel.
import { useEffect, useRef, useState } from 'react';
import { artifactPath, type JobRecord } from '../../../src-preload/contract';
import { api } from '../api';
import { useT, type MessageKey } from '../i18n';
import { hasArtifact, useStudio } from '../stores/studio';
import { useSceneJson } from '../canvas/useHtmlImage';

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

/**
 * The light side as the designer says it. scene.json's lightDir points from the key light into the
 * scene (image space), so a light from the left points right (x > 0).
 */
function lightSide(dir: { x: number; y: number } | undefined): 'left' | 'right' | 'front' | null {
  if (!dir) return null;
  return dir.x > 0.2 ? 'left' : dir.x < -0.2 ? 'right' : 'front';
}

/**
 * The job whose step 1 made the scene on screen: a headline or Apply run reuses its source's scene
 * (from_job_id), so the engine report lives there. Followed a few links back; null until found.
 */
function useSceneMaker(job: JobRecord | null): JobRecord | null {
  const [found, setFound] = useState<{ for: string; job: JobRecord } | null>(null);
  const reused = !!job && job.start_step > 1 && !!job.parameters.from_job_id;
  useEffect(() => {
    if (!job || !reused) return;
    let alive = true;
    void (async () => {
      let j: JobRecord = job;
      for (let hops = 0; hops < 8 && j.start_step > 1 && j.parameters.from_job_id; hops++) j = await api.getJob(j.parameters.from_job_id);
      if (alive && j.start_step === 1) setFound({ for: job.job_id, job: j });
    })().catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [job, reused]);
  if (!job) return null;
  if (!reused) return job;
  return found?.for === job.job_id ? found.job : null;
}

export function SceneEngine() {
  const t = useT();
  const current = useStudio((s) => s.current);
  // The report of the run that painted the scene (this job, or the one it reused step 1 from).
  const maker = useSceneMaker(current);
  const job = current;
  const jobId = job && hasArtifact(job, 'scene') ? job.job_id : null;
  const info = useSceneJson(jobId ? api.assetUrl(artifactPath(jobId, 'scene')) : null);
  const note = useRef<HTMLDivElement>(null);
  const shown = job && hasArtifact(job, 'step1') ? job.job_id : null;
  const loaded = !!shown && !!info;
  // A new scene's note (and again once its look is known) is brought into the panel's view: the
  // panel scrolls only as far as needed, and not at all when the note is already in view.
  useEffect(() => {
    if (shown) note.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [shown, loaded]);
  if (!job || !hasArtifact(job, 'step1')) return null;
  const report = maker?.engine_reports?.background ?? null;
  const text = job.engine_reports?.text ?? null;
  const engine = report ? `${report.engine}${report.provider ? ` · ${report.provider}` : ''}` : (maker?.engines.background ?? '—');
  const procedural = /procedural/i.test(engine);
  const look = info?.look && LOOKS.includes(info.look) ? t(`look_${info.look}` as MessageKey) : info?.look;
  const sideOf = lightSide(info?.lightDir);
  const side = sideOf === 'left' ? t('lightLeft') : sideOf === 'right' ? t('lightRight') : sideOf === 'front' ? t('lightFront') : null;
  const more = procedural ? `${t('wordsUnderstood')} · ${t('paramsIgnored')}` : `${t('promptUsed')} · ${t('paramsIgnored')}`;
  return (
    <div className="engine-note scene-engine-note" data-testid="scene-engine" ref={note}>
      <div className="engine-note-gist">
        <strong>{t('sceneBy', { engine })}</strong>
        {procedural && look && <span data-testid="scene-look"> · {t('sceneUnderstood', { look, light: side ?? '' })}</span>}
      </div>
      <details
        className="engine-note-more"
        data-testid="scene-details"
        onToggle={(e) => {
          if (e.currentTarget.open) note.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        }}
      >
        <summary>{more}</summary>
        {procedural ? (
          <>
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
      </details>
    </div>
  );
}
