// Step 1: the product photo (drop, pick or paste; checked in the page before anything is sent), the
// background prompt with example chips and a negative prompt, then Generate (one scene, or four
// variations to pick from). The cut-out appears as soon as the running job has written it, and the
// studio says which engine made the scene and what it understood of the prompt.
import { useEffect, useRef, useState } from 'react';
import { ASPECT_RATIOS, type AspectRatio } from '../../../src-main/core/params';
import { artifactPath } from '../../../src-preload/contract';
import { api } from '../api';
import { useLang, useT } from '../i18n';
import { PhotoError, takePhoto } from '../lib/photo';
import { hasArtifact, useStudio } from '../stores/studio';
import { canMakeScene } from '../stores/requests';
import { Chips } from '../components/Chips';
import { EXAMPLES } from './presets';
import { SceneEngine } from './SceneEngine';
import { Picks } from './Picks';

function ProductDrop() {
  const t = useT();
  const product = useStudio((s) => s.product);
  const set = useStudio((s) => s.set);
  const active = useStudio((s) => s.active);
  const photoNote = useStudio((s) => s.photoNote);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [reading, setReading] = useState(false);
  const take = async (file: File | undefined | null) => {
    if (!file) return;
    setReading(true);
    try {
      const { product: next, note } = await takePhoto(file, useStudio.getState().productScale);
      set({ product: next, photoNote: note, error: null });
    } catch (err) {
      const e = err instanceof PhotoError ? err : new PhotoError('photoUnreadable', { name: file.name });
      // A refused file leaves the previous photo as it was, and says why in the UI language.
      set({ error: { step: 1, message: '', key: e.key, vars: e.vars, hint: 'hintPhoto' } });
    } finally {
      setReading(false);
      if (input.current) input.current.value = '';
    }
  };
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = [...(e.clipboardData?.files ?? [])][0];
      if (file) void take(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  });
  // The running job's cut-out (when it was started with this photo), else the cut-out of the job
  // that was made from this photo: a replaced photo shows no stale cut-out.
  const runningCutout = active?.ready.includes('cutout') && active.product && product && active.product.dataUrl === product.dataUrl ? active.job.job_id : null;
  const cutoutJob = runningCutout ?? (!active && product?.jobId ? product.jobId : null);
  return (
    <div className="field">
      <span className="field-label" id="product-label">
        {t('productPhoto')}
      </span>
      <div
        className={`drop ${over ? 'is-over' : ''} ${product ? 'has-image' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void take(e.dataTransfer.files[0]);
        }}
        role="group"
        aria-labelledby="product-label"
      >
        {product ? (
          <div className="drop-pair">
            <figure>
              <img src={product.dataUrl} alt={product.name} data-testid="product-original" />
              <figcaption>{t('original')}</figcaption>
            </figure>
            {cutoutJob && (
              <figure className="checker">
                <img src={api.assetUrl(artifactPath(cutoutJob, 'cutout', { width: 320 }))} alt={t('cutoutReady')} data-testid="cutout" />
                <figcaption>{t('cutoutReady')}</figcaption>
              </figure>
            )}
          </div>
        ) : (
          <p className="drop-hint">{reading ? t('readingPhoto') : t('dropHint')}</p>
        )}
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => input.current?.click()}
          aria-describedby={photoNote ? 'photo-note' : undefined}
        >
          {product ? t('replacePhoto') : t('pickFile')}
        </button>
        {/* Reached through the button above: the input itself is no Tab stop. */}
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/avif,image/tiff,image/gif"
          className="sr-only"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="product-input"
          onChange={(e) => void take(e.target.files?.[0])}
        />
      </div>
      {photoNote && (
        <p id="photo-note" className="photo-note" role="status" data-testid="photo-note">
          {t(photoNote.key, photoNote.vars)}
        </p>
      )}
    </div>
  );
}

export function StepPreview({ artifact }: { artifact: 'step1' | 'final' }) {
  const t = useT();
  const current = useStudio((s) => s.current);
  const active = useStudio((s) => s.active);
  const makingScene = !!active && (active.kind === 'scene' || active.kind === 'all');
  // While a new scene is being made, the previous one is not shown as if it were the result.
  if (makingScene && !active.ready.includes(artifact)) {
    return (
      <div className="preview-empty pending" data-testid="scene-pending" role="status">
        <span>{t('makingScene')}</span>
      </div>
    );
  }
  const jobId = active?.ready.includes(artifact) ? active.job.job_id : hasArtifact(current, artifact) ? current?.job_id : null;
  if (!jobId) return <div className="preview-empty" aria-hidden="true" />;
  return <img className="preview-img" src={api.assetUrl(artifactPath(jobId, artifact))} alt={t('sceneAlt')} data-testid={`preview-${artifact}`} />;
}

export function StepProduct() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const s = useStudio();
  const busy = !!s.active;
  const ready = canMakeScene(s);
  const variations = () => {
    const base = /^\d+$/.test(s.seed) ? Number(s.seed) : Math.floor(Math.random() * 2 ** 31);
    void s.runBatch(
      'scenes',
      'scene',
      [0, 1, 2, 3].map((i) => ({ seed: base + i * 7919 })),
    );
  };
  return (
    <div className="step-grid">
      <form
        className="panel"
        aria-label={t('step1')}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !busy) void s.run('scene');
        }}
      >
        <div className="panel-body scroll-hint">
          <ProductDrop />
          <div className="field">
            <label className="field-label" htmlFor="bg-prompt">
              {t('bgPrompt')}
            </label>
            <textarea
              id="bg-prompt"
              rows={3}
              value={s.bgPrompt}
              onChange={(e) => s.edit({ bgPrompt: e.target.value }, 'bgPrompt')}
              aria-describedby="bg-help"
            />
            <span id="bg-help" className="help">
              {t('bgPromptHelp')}
            </span>
            <Chips label={t('examples')} items={EXAMPLES[lang].map(([label, value]) => ({ label, value }))} onPick={(v) => s.edit({ bgPrompt: v })} />
          </div>
          <SceneEngine />
          <details className="advanced">
            <summary>{t('advanced')}</summary>
            <div className="field">
              <label className="field-label" htmlFor="bg-negative">
                {t('negativePrompt')}
              </label>
              <textarea id="bg-negative" rows={2} value={s.bgNegative} onChange={(e) => s.edit({ bgNegative: e.target.value }, 'bgNegative')} />
            </div>
            <div className="row">
              <div className="field">
                <label className="field-label" htmlFor="aspect">
                  {t('aspect')}
                </label>
                <select id="aspect" value={s.aspect} onChange={(e) => s.edit({ aspect: e.target.value as AspectRatio })}>
                  {ASPECT_RATIOS.map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label className="field-label" htmlFor="product-scale">
                  {t('productScale')} {Math.round(s.productScale * 100)}%
                </label>
                <input
                  id="product-scale"
                  type="range"
                  min={0.2}
                  max={0.9}
                  step={0.05}
                  value={s.productScale}
                  onChange={(e) => s.edit({ productScale: Number(e.target.value) }, 'productScale')}
                />
              </div>
              <div className="field">
                <label className="field-label" htmlFor="seed">
                  {t('seed')}
                </label>
                <input
                  id="seed"
                  inputMode="numeric"
                  placeholder={t('seedRandom')}
                  value={s.seed}
                  onChange={(e) => s.set({ seed: e.target.value.replace(/\D/g, '') })}
                />
              </div>
            </div>
          </details>
        </div>
        <div className="actions sticky-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy || !ready}
            data-testid="generate-scene"
            aria-describedby={ready ? undefined : 'need-photo'}
          >
            {t('generateScene')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={busy || !ready} onClick={variations} data-testid="scene-variations">
            {t('fourVariations')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy || !ready || !s.text.trim()}
            onClick={() => void s.run('all')}
            title={s.text.trim() ? undefined : t('needText')}
          >
            {t('generateAll')}
          </button>
          {!ready && (
            <span id="need-photo" className="help">
              {t('needPhoto')}
            </span>
          )}
        </div>
      </form>
      <section className="stage-area" aria-label={t('step1')}>
        {s.picks?.kind === 'scenes' ? <Picks /> : <StepPreview artifact="step1" />}
      </section>
    </div>
  );
}
