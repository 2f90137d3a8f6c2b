// Step 2: the headline (multi-line, Korean and Latin; what the lettering cannot draw or keep is said
// before generating), a font picker that renders the user's own text in every font, a lettering
// style prompt with material presets, then Generate headline (a rerun from the job on screen: the
// scene is reused, not recomputed) or four headline styles at once to pick from.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_TEXT_CHARS } from '../../../src-main/core/params';
import { artifactPath, type FontEntry } from '../../../src-preload/contract';
import { api } from '../api';
import { useLang, useT } from '../i18n';
import { findEmoji, stripEmoji } from '../lib/photo';
import { hasArtifact, useStudio } from '../stores/studio';
import { Chips } from '../components/Chips';
import { fontList, loadFont, previewFamily } from './fonts';
import { MATERIAL_CHIPS } from './presets';
import { Picks } from './Picks';
import { Typography } from './Typography';
import { LetteringEngineNote } from './LetteringEngineNote';

function FontPicker({ text }: { text: string }) {
  const t = useT();
  const fontName = useStudio((s) => s.fontName);
  const set = useStudio((s) => s.set);
  const edit = useStudio((s) => s.edit);
  const [fonts, setFonts] = useState<FontEntry[]>([]);
  const [ready, setReady] = useState<Record<string, boolean>>({});
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let alive = true;
    void fontList().then((list) => {
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
  const selected = fonts.findIndex((f) => f.name === fontName);
  // One Tab stop for the whole group; arrow keys move the choice, as in a native radio group.
  const onKey = (e: KeyboardEvent) => {
    const moves: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let next = -1;
    if (e.key in moves) next = (Math.max(0, selected) + moves[e.key] + fonts.length) % fonts.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = fonts.length - 1;
    if (next < 0) return;
    e.preventDefault();
    edit({ fontName: fonts[next].name });
    grid.current?.querySelectorAll<HTMLElement>('[role="radio"]')[next]?.focus();
  };
  return (
    <div className="field">
      <span className="field-label" id="font-label">
        {t('font')}
      </span>
      <div className="font-grid" role="radiogroup" aria-labelledby="font-label" ref={grid} onKeyDown={onKey}>
        {fonts.map((f, i) => (
          <button
            key={f.name}
            type="button"
            role="radio"
            aria-checked={fontName === f.name}
            tabIndex={i === Math.max(0, selected) ? 0 : -1}
            className={`font-option ${fontName === f.name ? 'is-selected' : ''}`}
            onClick={() => edit({ fontName: f.name })}
            data-font={f.name}
          >
            <span className="font-sample" style={{ fontFamily: ready[f.name] ? `"${previewFamily(f)}", sans-serif` : 'sans-serif' }}>
              {sample}
            </span>
            <span className="font-name">
              {f.name
                .split('/')
                .pop()
                ?.replace(/\.(ttf|otf|ttc|woff2?)$/i, '')}
            </span>
          </button>
        ))}
      </div>
    </div>
  );
}

function HeadlineField() {
  const t = useT();
  const text = useStudio((s) => s.text);
  const edit = useStudio((s) => s.edit);
  const [cut, setCut] = useState(0);
  const emoji = findEmoji(text);
  return (
    <div className="field">
      <div className="label-row">
        <label className="field-label" htmlFor="headline">
          {t('headline')}
        </label>
        <span className={`counter ${text.length >= MAX_TEXT_CHARS ? 'is-full' : ''}`} data-testid="headline-count" aria-live="polite">
          {text.length} / {MAX_TEXT_CHARS}
        </span>
      </div>
      {/* No maxLength: the browser would drop pasted text silently; the cut is said below instead. */}
      <textarea
        id="headline"
        rows={3}
        value={text}
        onChange={(e) => {
          const v = e.target.value;
          setCut(Math.max(0, v.length - MAX_TEXT_CHARS));
          edit({ text: v.slice(0, MAX_TEXT_CHARS) }, 'text');
        }}
        aria-describedby="headline-help"
      />
      <span id="headline-help" className="help">
        {t('headlineHelp')}
      </span>
      {cut > 0 && (
        <p className="warn-note" role="status" data-testid="headline-cut">
          {t('headlineCut', { n: cut, max: MAX_TEXT_CHARS })}
        </p>
      )}
      {emoji.length > 0 && (
        <div className="warn-note" role="status" data-testid="emoji-warning">
          <span>{t('emojiWarning', { chars: emoji.join(' ') })}</span>
          <button type="button" className="btn btn-secondary btn-sm" onClick={() => edit({ text: stripEmoji(text) })}>
            {t('removeEmoji')}
          </button>
        </div>
      )}
    </div>
  );
}

export function StepHeadline() {
  const t = useT();
  const lang = useLang((s) => s.lang);
  const s = useStudio();
  const canRun = hasArtifact(s.current, 'step1') && s.text.trim() !== '' && !s.active;
  const layerJob = s.active?.ready.includes('step2') ? s.active.job.job_id : hasArtifact(s.current, 'step2') ? s.current?.job_id : null;
  const styles = () => {
    // Four styles: the one in the field and three other materials.
    const others = MATERIAL_CHIPS[lang].map(([, v]) => v as string).filter((v) => v !== s.textPrompt);
    const picked = [s.textPrompt, ...others.sort(() => Math.random() - 0.5).slice(0, 3)];
    void s.runBatch(
      'headlines',
      'headline',
      picked.map((textPrompt) => ({ textPrompt })),
    );
  };
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
        <div className="panel-body">
          <HeadlineField />
          <FontPicker text={s.text} />
          <Typography />
          <div className="field">
            <label className="field-label" htmlFor="text-style">
              {t('stylePrompt')}
            </label>
            <textarea id="text-style" rows={2} value={s.textPrompt} onChange={(e) => s.edit({ textPrompt: e.target.value }, 'textPrompt')} />
            <Chips label={t('materials')} items={MATERIAL_CHIPS[lang].map(([label, value]) => ({ label, value }))} onPick={(v) => s.edit({ textPrompt: v })} />
            <LetteringEngineNote />
          </div>
          <details className="advanced">
            <summary>{t('advanced')}</summary>
            <div className="field">
              <label className="field-label" htmlFor="text-negative">
                {t('negativePrompt')}
              </label>
              <textarea id="text-negative" rows={2} value={s.textNegative} onChange={(e) => s.edit({ textNegative: e.target.value }, 'textNegative')} />
            </div>
          </details>
        </div>
        <div className="actions sticky-actions">
          <button type="submit" className="btn btn-primary" disabled={!canRun} data-testid="generate-headline">
            {t('generateHeadline')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={!canRun} onClick={styles} data-testid="headline-variations">
            {t('fourStyles')}
          </button>
          {!hasArtifact(s.current, 'step1') ? (
            <span className="help">{t('needStep1')}</span>
          ) : !s.text.trim() ? (
            <span className="help">{t('needText')}</span>
          ) : (
            <span className="help">{t('rerunNote')}</span>
          )}
        </div>
      </form>
      <section className="stage-area" aria-label={t('step2')}>
        {s.picks?.kind === 'headlines' ? (
          <Picks />
        ) : hasArtifact(s.current, 'step1') && s.current ? (
          // The layer is drawn inside the scene's frame, so a long headline never spills past it.
          <div className="scene-frame">
            <img className="preview-img dim" src={api.assetUrl(artifactPath(s.current.job_id, 'step1'))} alt="" />
            {layerJob && (
              <img className="preview-layer checker" src={api.assetUrl(artifactPath(layerJob, 'step2'))} alt={t('headline')} data-testid="preview-step2" />
            )}
          </div>
        ) : (
          <div className="preview-empty" />
        )}
      </section>
    </div>
  );
}
