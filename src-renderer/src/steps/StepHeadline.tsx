// Step 2: the headline (multi-line, Korean and Latin), a font picker that renders the user's own
// text in every font, a lettering style prompt with material presets, then Generate headline
// (a rerun from the job on screen: the scene is reused, not recomputed).
import { useEffect, useState } from 'react';
import { artifactPath, type FontEntry } from '../../../src-preload/contract';
import { api } from '../api';
import { useLang, useT } from '../i18n';
import { hasArtifact, useStudio } from '../stores/studio';
import { Chips } from '../components/Chips';
import { loadFont, previewFamily } from './fonts';

const MATERIALS = {
  en: [
    ['Gold', 'gold metallic 3D text with glossy bevel, studio lighting'],
    ['Rose gold', 'rose gold metallic 3D letters, polished bevel, soft light'],
    ['Chrome', 'polished chrome 3D text, mirror reflections'],
    ['Silver', 'brushed silver 3D lettering, subtle bevel'],
    ['Neon', 'glowing neon tube letters, vivid pink glow'],
    ['Wood', 'carved wood 3D letters, warm oak grain'],
    ['Marble', 'white marble 3D letters with grey veins'],
    ['Glass', 'clear glass 3D text, refractive, soft highlights'],
    ['Candy', 'glossy candy 3D letters, playful pastel colours'],
    ['Plastic', 'matte plastic 3D text, bold toy-like colours'],
  ],
  ko: [
    ['골드', '금속 광택의 골드 3D 글자, 반짝이는 베벨, 스튜디오 조명'],
    ['로즈골드', '로즈골드 금속 3D 글자, 매끈한 베벨'],
    ['크롬', '거울처럼 반사되는 크롬 3D 글자'],
    ['실버', '브러시드 실버 3D 글자, 은은한 베벨'],
    ['네온', '빛나는 네온 튜브 글자, 선명한 핑크 glow'],
    ['원목', '따뜻한 원목 결의 3D 글자'],
    ['대리석', '회색 결이 있는 흰 대리석 3D 글자'],
    ['유리', '투명한 유리 3D 글자, 굴절과 하이라이트'],
    ['캔디', '반짝이는 캔디 3D 글자, 파스텔 색'],
    ['플라스틱', '무광 플라스틱 3D 글자, 장난감 같은 색'],
  ],
} as const;

function FontPicker({ text }: { text: string }) {
  const t = useT();
  const fontName = useStudio((s) => s.fontName);
  const set = useStudio((s) => s.set);
  const [fonts, setFonts] = useState<FontEntry[]>([]);
  const [ready, setReady] = useState<Record<string, boolean>>({});
  useEffect(() => {
    let alive = true;
    void api.fonts().then((list) => {
      if (!alive) return;
      setFonts(list);
      for (const f of list) void loadFont(f).then(() => alive && setReady((r) => ({ ...r, [f.name]: true })));
      if (!useStudio.getState().fontName && list[0]) set({ fontName: (list.find((f) => /SquareB|Bold/i.test(f.name)) ?? list[0]).name });
    });
    return () => {
      alive = false;
    };
  }, [set]);
  const sample = text.trim() || '헤드라인 Headline';
  return (
    <div className="field">
      <span className="field-label" id="font-label">
        {t('font')}
      </span>
      <div className="font-grid" role="radiogroup" aria-labelledby="font-label">
        {fonts.map((f) => (
          <button
            key={f.name}
            type="button"
            role="radio"
            aria-checked={fontName === f.name}
            className={`font-option ${fontName === f.name ? 'is-selected' : ''}`}
            onClick={() => set({ fontName: f.name })}
            data-font={f.name}
          >
            <span className="font-sample" style={{ fontFamily: ready[f.name] ? `"${previewFamily(f)}", sans-serif` : 'sans-serif' }}>
              {sample}
            </span>
            <span className="font-name">{f.name.split('/').pop()?.replace(/\.(ttf|otf|ttc|woff2?)$/i, '')}</span>
          </button>
        ))}
      </div>
    </div>
  );
}

export function StepHeadline() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const s = useStudio();
  const canRun = hasArtifact(s.current, 'step1') && s.text.trim() !== '' && !s.active;
  const layerJob = s.active?.ready.includes('step2') ? s.active.job.job_id : hasArtifact(s.current, 'step2') ? s.current?.job_id : null;
  return (
    <div className="step-grid">
      <form
        className="panel"
        aria-label={t('step2')}
        onSubmit={(e) => {
          e.preventDefault();
          if (canRun) void s.run('headline');
        }}
      >
        <div className="field">
          <label className="field-label" htmlFor="headline">
            {t('headline')}
          </label>
          <textarea id="headline" rows={3} value={s.text} maxLength={300} onChange={(e) => s.set({ text: e.target.value })} aria-describedby="headline-help" />
          <span id="headline-help" className="help">
            {t('headlineHelp')}
          </span>
        </div>
        <FontPicker text={s.text} />
        <div className="field">
          <label className="field-label" htmlFor="text-style">
            {t('stylePrompt')}
          </label>
          <textarea id="text-style" rows={2} value={s.textPrompt} onChange={(e) => s.set({ textPrompt: e.target.value })} />
          <Chips label={t('materials')} items={MATERIALS[lang].map(([label, value]) => ({ label, value }))} onPick={(v) => s.set({ textPrompt: v })} />
        </div>
        <details className="advanced">
          <summary>{t('advanced')}</summary>
          <div className="field">
            <label className="field-label" htmlFor="text-negative">
              {t('negativePrompt')}
            </label>
            <textarea id="text-negative" rows={2} value={s.textNegative} onChange={(e) => s.set({ textNegative: e.target.value })} />
          </div>
        </details>
        <div className="actions">
          <button type="submit" className="btn btn-primary" disabled={!canRun} data-testid="generate-headline">
            {t('generateHeadline')}
          </button>
          {!hasArtifact(s.current, 'step1') ? <span className="help">{t('needStep1')}</span> : !s.text.trim() ? <span className="help">{t('needText')}</span> : <span className="help">{t('rerunNote')}</span>}
        </div>
      </form>
      <section className="stage-area layered" aria-label={t('step2')}>
        {hasArtifact(s.current, 'step1') && s.current ? <img className="preview-img dim" src={api.assetUrl(artifactPath(s.current.job_id, 'step1'))} alt="" /> : <div className="preview-empty" />}
        {layerJob && <img className="preview-layer checker" src={api.assetUrl(artifactPath(layerJob, 'step2'))} alt={t('headline')} data-testid="preview-step2" />}
      </section>
    </div>
  );
}
