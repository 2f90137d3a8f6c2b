// Step 1: the product photo (drop, pick or paste), the background prompt with example chips and a
// negative prompt, then Generate. The cut-out appears as soon as the running job has written it.
import { useEffect, useRef, useState } from 'react';
import { ASPECT_RATIOS, type AspectRatio } from '../../../src-main/core/params';
import { artifactPath } from '../../../src-preload/contract';
import { api } from '../api';
import { useLang, useT } from '../i18n';
import { hasArtifact, useStudio } from '../stores/studio';
import { Chips } from '../components/Chips';

const EXAMPLES = {
  en: [
    ['Marble', 'white marble countertop, soft window light from the left, luxury'],
    ['Wood', 'warm oak wooden table, rustic kitchen, morning light'],
    ['Beach', 'sandy beach at golden hour, ocean in the distance'],
    ['Garden', 'green garden with leaves and soft daylight'],
    ['Neon', 'neon glow, cyberpunk club, purple and blue light'],
    ['Pastel', 'pastel pink studio sweep, playful and cute'],
    ['Snow', 'snowy winter scene, christmas, soft light'],
    ['Studio', 'minimalist studio with a soft seamless sweep, gentle daylight from the left'],
  ],
  ko: [
    ['대리석', '하얀 대리석 위, 왼쪽 창가의 부드러운 빛, 고급스러운 분위기'],
    ['원목', '따뜻한 원목 테이블, 아침 햇살이 드는 부엌'],
    ['해변', '노을 지는 해변, 멀리 보이는 바다'],
    ['정원', '초록 식물과 나뭇잎이 있는 정원, 부드러운 햇빛'],
    ['네온', '네온 조명, 사이버펑크 클럽, 보라와 파랑 빛'],
    ['파스텔', '파스텔 핑크 스튜디오, 귀여운 분위기'],
    ['겨울', '눈 덮인 겨울 풍경, 크리스마스, 은은한 빛'],
    ['스튜디오', '미니멀 스튜디오, 부드러운 배경지, 왼쪽에서 오는 자연광'],
  ],
} as const;

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

function ProductDrop() {
  const t = useT();
  const product = useStudio((s) => s.product);
  const set = useStudio((s) => s.set);
  const active = useStudio((s) => s.active);
  const current = useStudio((s) => s.current);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const take = async (file: File | undefined | null) => {
    if (!file || !file.type.startsWith('image/')) return;
    set({ product: { dataUrl: await readAsDataUrl(file), name: file.name }, error: null });
  };
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const file = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
      if (file) void take(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  });
  // The running job's cut-out, else the one of the job on screen.
  const cutoutJob = active?.ready.includes('cutout') ? active.job.job_id : hasArtifact(current, 'cutout') && !active ? current?.job_id : null;
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
        aria-labelledby="product-label"
      >
        {product ? (
          <div className="drop-pair">
            <figure>
              <img src={product.dataUrl} alt={product.name} />
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
          <p className="drop-hint">{t('dropHint')}</p>
        )}
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => input.current?.click()}>
          {product ? t('replacePhoto') : t('pickFile')}
        </button>
        <input
          ref={input}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/avif,image/tiff,image/gif"
          className="sr-only"
          aria-label={t('productPhoto')}
          data-testid="product-input"
          onChange={(e) => void take(e.target.files?.[0])}
        />
      </div>
    </div>
  );
}

export function StepPreview({ artifact }: { artifact: 'step1' | 'final' }) {
  const current = useStudio((s) => s.current);
  const active = useStudio((s) => s.active);
  const jobId = active?.ready.includes(artifact) ? active.job.job_id : hasArtifact(current, artifact) ? current?.job_id : null;
  if (!jobId) return <div className="preview-empty" aria-hidden="true" />;
  return <img className="preview-img" src={api.assetUrl(artifactPath(jobId, artifact))} alt={artifact} data-testid={`preview-${artifact}`} />;
}

export function StepProduct() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const s = useStudio();
  const busy = !!s.active;
  return (
    <div className="step-grid">
      <form
        className="panel"
        aria-label={t('step1')}
        onSubmit={(e) => {
          e.preventDefault();
          void s.run('scene');
        }}
      >
        <ProductDrop />
        <div className="field">
          <label className="field-label" htmlFor="bg-prompt">
            {t('bgPrompt')}
          </label>
          <textarea id="bg-prompt" rows={3} value={s.bgPrompt} onChange={(e) => s.set({ bgPrompt: e.target.value })} aria-describedby="bg-help" />
          <span id="bg-help" className="help">
            {t('bgPromptHelp')}
          </span>
          <Chips label={t('examples')} items={EXAMPLES[lang].map(([label, value]) => ({ label, value }))} onPick={(v) => s.set({ bgPrompt: v })} />
        </div>
        <details className="advanced">
          <summary>{t('advanced')}</summary>
          <div className="field">
            <label className="field-label" htmlFor="bg-negative">
              {t('negativePrompt')}
            </label>
            <textarea id="bg-negative" rows={2} value={s.bgNegative} onChange={(e) => s.set({ bgNegative: e.target.value })} />
          </div>
          <div className="row">
            <div className="field">
              <label className="field-label" htmlFor="aspect">
                {t('aspect')}
              </label>
              <select id="aspect" value={s.aspect} onChange={(e) => s.set({ aspect: e.target.value as AspectRatio })}>
                {ASPECT_RATIOS.map((a) => (
                  <option key={a}>{a}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field-label" htmlFor="product-scale">
                {t('productScale')} {Math.round(s.productScale * 100)}%
              </label>
              <input id="product-scale" type="range" min={0.2} max={0.9} step={0.05} value={s.productScale} onChange={(e) => s.set({ productScale: Number(e.target.value) })} />
            </div>
            <div className="field">
              <label className="field-label" htmlFor="seed">
                {t('seed')}
              </label>
              <input id="seed" inputMode="numeric" placeholder={t('seedRandom')} value={s.seed} onChange={(e) => s.set({ seed: e.target.value.replace(/\D/g, '') })} />
            </div>
          </div>
        </details>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="generate-scene">
            {t('generateScene')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={busy || !s.text.trim()} onClick={() => void s.run('all')} title={s.text.trim() ? undefined : t('needText')}>
            {t('generateAll')}
          </button>
        </div>
      </form>
      <section className="stage-area" aria-label={t('step1')}>
        <StepPreview artifact="step1" />
      </section>
    </div>
  );
}
