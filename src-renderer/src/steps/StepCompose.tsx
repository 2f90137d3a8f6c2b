// Step 3: the compose stage (drawn as Apply will composite: Behind puts the product in front), the
// composition mode and position presets (a preset shows where step 3 would put the headline;
// dragging makes it a custom box, held inside the picture), the box as numbers, Apply (renders the
// final ad in the pipeline at full resolution from that box; nothing to apply when nothing changed),
// every format at once, and the export bar, which stays in view.
import { useEffect, useMemo, useState } from 'react';
import { COMPOSITION_MODES, GenerateRequestSchema, TEXT_POSITIONS, type CompositionMode, type TextBox } from '../../../src-main/core/params';
import { artifactPath } from '../../../src-preload/contract';
import { api } from '../api';
import { useT, type MessageKey } from '../i18n';
import { hasArtifact, useStudio, type Placement } from '../stores/studio';
import { productMoved } from '../stores/requests';
import { ComposeStage } from '../canvas/ComposeStage';
import { useHtmlImage, useImagePixels, useSceneJson } from '../canvas/useHtmlImage';
import { blendLayer } from '../lib/blend';
import { applyTextFx, hasFx } from '../lib/textfx';
import { TextStyle } from './TextStyle';
import { SubTextControls } from './SubTextControls';
import { useSubTextLayer } from './useSubTextLayer';
import { placeSubText } from '../../../src-main/core/sub-text';
import { clampBox } from '../canvas/snap';
import { ExportBar } from './ExportBar';
import { Picks } from './Picks';

const MODE_LABEL: Record<CompositionMode, MessageKey> = { overlay: 'modeOverlay', blend: 'modeBlend', behind: 'modeBehind' };
const POS_LABEL: Record<Placement, MessageKey> = { top: 'posTop', center: 'posCenter', bottom: 'posBottom', auto: 'posAuto', custom: 'posCustom' };
const FORMATS = ['1:1', '4:5', '9:16', '16:9', '1.91:1'] as const;
/** composition_strength the studio sends (the schema's default): how strongly Blend tints. */
const BLEND_STRENGTH = GenerateRequestSchema.shape.composition_strength.parse(undefined);

function BoxFields({ box, onChange }: { box: TextBox; onChange: (b: TextBox) => void }) {
  const t = useT();
  const fields: { key: keyof TextBox; label: MessageKey }[] = [
    { key: 'x', label: 'boxX' },
    { key: 'y', label: 'boxY' },
    { key: 'width', label: 'boxW' },
    { key: 'height', label: 'boxH' },
    { key: 'rotation', label: 'boxRotation' },
  ];
  return (
    <div className="box-fields">
      {fields.map((f) => (
        <div className="field" key={f.key}>
          <label className="field-label" htmlFor={`box-${f.key}`}>
            {t(f.label)}
          </label>
          <input
            id={`box-${f.key}`}
            type="number"
            step={1}
            value={Math.round(box[f.key] ?? 0)}
            data-testid={`box-${f.key}`}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (!Number.isFinite(v)) return;
              if ((f.key === 'width' || f.key === 'height') && v <= 0) return;
              // Width and height keep the layer's aspect, like the canvas handles do.
              if (f.key === 'width') onChange({ ...box, width: v, height: (box.height * v) / box.width });
              else if (f.key === 'height') onChange({ ...box, height: v, width: (box.width * v) / box.height });
              else onChange({ ...box, [f.key]: v });
            }}
          />
        </div>
      ))}
    </div>
  );
}

export function StepCompose() {
  const t = useT();
  const s = useStudio();
  const ready = hasArtifact(s.current, 'step1') && hasArtifact(s.current, 'step2');
  const { refreshPlacement } = s;
  const jobId = s.current?.job_id;
  useEffect(() => {
    if (ready && !s.box) void refreshPlacement();
  }, [ready, jobId, s.box, refreshPlacement]);

  const setPlacement = (placement: Placement) => {
    s.edit({ placement });
    if (placement !== 'custom') void useStudio.getState().refreshPlacement();
  };
  const setMode = (mode: CompositionMode) => {
    s.edit({ mode });
    if (s.placement !== 'custom') void useStudio.getState().refreshPlacement();
  };
  const canvas = s.preview?.canvas;
  // The product as step 1 placed it (scene.json), or where the designer has moved it since.
  const scene = useSceneJson(ready && s.current && hasArtifact(s.current, 'scene') ? api.assetUrl(artifactPath(s.current.job_id, 'scene')) : null);
  const placedBox = scene?.productBox ?? null;
  const productBox = s.productBox ?? (placedBox ? { x: placedBox.x, y: placedBox.y, width: placedBox.width, flip: !!scene?.productFlip } : null);
  const product =
    productBox && placedBox && s.current && hasArtifact(s.current, 'cutout')
      ? { cutoutUrl: api.assetUrl(artifactPath(s.current.job_id, 'cutout')), box: productBox, height: (placedBox.height * productBox.width) / placedBox.width }
      : null;
  const onProduct = (b: NonNullable<typeof productBox>) => s.edit({ productBox: b });
  // Every move is held inside the picture: off it, Apply would render an ad without its headline.
  const onBox = (box: TextBox, coalesce?: string) => s.edit({ box: canvas ? clampBox(box, canvas) : box, placement: 'custom' }, coalesce);
  const finalJob = hasArtifact(s.current, 'final') ? s.current : null;
  const applied = s.isApplied();
  const [compare, setCompare] = useState(false);
  // The version before this one: the latest final on the undo stack that is not the one on screen.
  const previous = [...s.past].reverse().find((p) => p.current && hasArtifact(p.current, 'final') && p.current.job_id !== s.current?.job_id)?.current ?? null;
  const comparing = compare && !!previous && !!finalJob;
  // The engine's own layer, styled in the page when text effects are on (what Apply will send).
  const layerJob = s.layerJob ?? s.current?.job_id ?? null;
  const rawLayer = useHtmlImage(layerJob && ready ? api.assetUrl(artifactPath(layerJob, 'step2')) : null);
  const fx = s.textFx;
  const styled = useMemo(() => (rawLayer && hasFx(fx) ? applyTextFx(rawLayer, fx) : null), [rawLayer, fx]);
  const layerPad = styled && rawLayer ? (styled.width - rawLayer.naturalWidth) / 2 : 0;
  // Blend: lit and tinted by the scene where the box puts it, as step 3 will (redrawn when the box is let go).
  const scenePixels = useImagePixels(useHtmlImage(s.mode === 'blend' && ready && s.current ? api.assetUrl(artifactPath(s.current.job_id, 'step1')) : null));
  const box = s.box;
  const blended = useMemo(() => {
    const base = styled ?? rawLayer;
    if (s.mode !== 'blend' || !base || !scenePixels || !box) return null;
    return blendLayer(base, layerPad, box, scenePixels, { color: scene?.lightColor, dir: scene?.lightDir }, BLEND_STRENGTH);
  }, [s.mode, styled, rawLayer, scenePixels, box, layerPad, scene]);
  // The second line, drawn as step 3 will draw it, where step 3 will put it.
  const subImage = useSubTextLayer(s.subText, s.fontName, canvas?.height ?? 0);
  const sub =
    subImage && canvas && s.subText ? { image: subImage, ...placeSubText(canvas, { width: subImage.width, height: subImage.height }, s.subText, s.box) } : null;
  const onSub = (centre: { x: number; y: number }, coalesce?: string) => {
    if (s.subText) s.edit({ subText: { ...s.subText, center: { x: Math.round(centre.x), y: Math.round(centre.y) } } }, coalesce);
  };
  // Each format is laid out again from step 1 (same seed), with the same effects and second line.
  const formats = () =>
    void s.runBatch(
      'formats',
      'all',
      FORMATS.map((aspect) => ({ aspect, seed: s.sceneSeed ?? s.current?.parameters.seed, lineage: s.current?.job_id })),
    );

  return (
    <div className="step-grid">
      <form
        className="panel"
        aria-label={t('step3')}
        onSubmit={(e) => {
          e.preventDefault();
          if (ready && !s.active && !applied) void s.run('apply');
        }}
      >
        <div className="panel-body">
          <fieldset className="field">
            <legend className="field-label">{t('compositionMode')}</legend>
            <div className="segmented">
              {COMPOSITION_MODES.map((m) => (
                <label key={m} className={`seg ${s.mode === m ? 'is-on' : ''}`}>
                  <input type="radio" name="mode" value={m} checked={s.mode === m} onChange={() => setMode(m)} />
                  {t(MODE_LABEL[m])}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="field">
            <legend className="field-label">{t('position')}</legend>
            <div className="segmented">
              {([...TEXT_POSITIONS, 'custom'] as Placement[]).map((p) => (
                <label key={p} className={`seg ${s.placement === p ? 'is-on' : ''} ${p === 'custom' && s.placement !== 'custom' ? 'is-disabled' : ''}`}>
                  <input
                    type="radio"
                    name="position"
                    value={p}
                    checked={s.placement === p}
                    disabled={p === 'custom' && !s.box}
                    onChange={() => setPlacement(p)}
                    data-testid={`position-${p}`}
                  />
                  {t(POS_LABEL[p])}
                </label>
              ))}
            </div>
            {s.placement !== 'custom' && ready && <span className="help">{t('autoShows')}</span>}
          </fieldset>
          {s.box && <BoxFields box={s.box} onChange={(b) => onBox(b, 'box-fields')} />}
          {product && (
            <div className="field">
              <button
                type="button"
                className="btn btn-ghost"
                aria-pressed={product.box.flip}
                onClick={() => onProduct({ ...product.box, flip: !product.box.flip })}
                data-testid="product-flip"
                // The how-to stays a tooltip: at 1280×800 the text style must fit above the actions.
                title={t('productHelp')}
              >
                {t('flipProduct')}
              </button>
            </div>
          )}
          {ready && <TextStyle />}
          {ready && <SubTextControls />}
          {finalJob && (
            <div className="final-card">
              <span className="field-label">{t('final')}</span>
              <img
                src={api.assetUrl(artifactPath(finalJob.job_id, 'final', { width: 480 }))}
                alt={t('final')}
                data-testid="final-thumb"
                data-job-id={finalJob.job_id}
              />
            </div>
          )}
        </div>
        <div className="sticky-actions">
          <div className="actions">
            <button type="submit" className="btn btn-primary" disabled={!ready || !!s.active || applied} data-testid="apply">
              {applied ? t('applied') : t('apply')}
            </button>
            <button type="button" className="btn btn-secondary" disabled={!ready || !!s.active || !s.text.trim()} onClick={formats} data-testid="all-formats">
              {t('allFormats')}
            </button>
            <button
              type="button"
              className="btn btn-ghost"
              aria-pressed={comparing}
              disabled={!previous || !finalJob}
              onClick={() => setCompare(!compare)}
              data-testid="compare"
            >
              {t('compare')}
            </button>
            <span className="help">
              {applied ? t('appliedHelp') : ready ? t('applyHelp') : hasArtifact(s.current, 'step1') ? t('needStep2') : t('needStep1')}
            </span>
          </div>
          <ExportBar job={finalJob} />
        </div>
      </form>
      <section className="stage-area" aria-label={t('step3')}>
        {s.picks?.kind === 'formats' ? (
          <Picks />
        ) : comparing && previous && finalJob ? (
          <div className="compare" data-testid="compare-view">
            {(
              [
                [previous, t('before')],
                [finalJob, t('now')],
              ] as const
            ).map(([job, label]) => (
              <figure key={job.job_id} data-job-id={job.job_id}>
                <img src={api.assetUrl(artifactPath(job.job_id, 'final'))} alt={`${t('final')}: ${label}`} />
                <figcaption>{label}</figcaption>
              </figure>
            ))}
          </div>
        ) : ready && s.current && s.box && s.preview ? (
          <ComposeStage
            backgroundUrl={api.assetUrl(artifactPath(s.current.job_id, 'step1'))}
            layerUrl={api.assetUrl(artifactPath(layerJob ?? s.current.job_id, 'step2'))}
            layerImage={blended ?? styled}
            layerPad={layerPad}
            occluder={
              s.mode === 'behind' && hasArtifact(s.current, 'mask')
                ? { sceneUrl: api.assetUrl(artifactPath(s.current.job_id, 'step1')), maskUrl: api.assetUrl(artifactPath(s.current.job_id, 'mask')) }
                : null
            }
            vacatedMaskUrl={productMoved(s) && hasArtifact(s.current, 'mask') ? api.assetUrl(artifactPath(s.current.job_id, 'mask')) : null}
            canvas={s.preview.canvas}
            box={s.box}
            onChange={(b) => onBox(b)}
            onNudge={(b) => onBox(b, 'box-keys')}
            label={t('step3')}
            help={t('stageHelp')}
            subHelp={t('stageHelpSub')}
            product={product}
            onProduct={onProduct}
            sub={sub}
            onSub={onSub}
          />
        ) : (
          <div className="preview-empty" />
        )}
      </section>
    </div>
  );
}
