// Text controls for the headline on the compose stage: fill colour or a two-colour gradient (the 3D
// shading kept), outline colour and width, and drop-shadow strength. Shown on the canvas at once;
// Apply renders them into the final ad.
import { useT } from '../i18n';
import { hasFx, NO_FX, type TextFx } from '../lib/textfx';
import { useStudio } from '../stores/studio';
import { OptionalColour } from './OptionalColour';

export function TextStyle() {
  const t = useT();
  const fx = useStudio((s) => s.textFx);
  const edit = useStudio((s) => s.edit);
  const change = (patch: Partial<TextFx>, coalesce?: string) => edit({ textFx: { ...fx, ...patch } }, coalesce);
  return (
    <fieldset className="field text-style">
      <legend className="field-label">{t('textStyle')}</legend>
      <div className="fx-row">
        <OptionalColour
          label={t('fxFill')}
          colourLabel={t('fxFillColour')}
          value={fx.fill}
          fallback="#ffffff"
          // Switching the fill off switches its gradient off too.
          onChange={(fill, co) => change({ fill, fill_to: fill ? fx.fill_to : null }, co)}
          testIds={{ on: 'fx-fill-on', colour: 'fx-fill' }}
        />
        <OptionalColour
          label={t('fxGradient')}
          colourLabel={t('fxGradientColour')}
          value={fx.fill_to}
          fallback="#ffb347"
          disabled={!fx.fill}
          onChange={(fill_to, co) => change({ fill_to }, co)}
          testIds={{ on: 'fx-gradient-on', colour: 'fx-fill2' }}
        />
      </div>
      <div className="fx-row">
        <OptionalColour
          label={t('fxOutline')}
          colourLabel={t('fxOutlineColour')}
          value={fx.outline}
          fallback="#1b1b1f"
          onChange={(outline, co) => change({ outline }, co)}
          testIds={{ on: 'fx-outline-on', colour: 'fx-outline' }}
        />
        <label className="mini grow">
          <span>{t('fxOutlineWidth')}</span>
          <input
            type="range"
            min={0.005}
            max={0.05}
            step={0.005}
            value={fx.outline_width}
            disabled={!fx.outline}
            onChange={(e) => change({ outline_width: Number(e.target.value) }, 'fx-outline-width')}
            data-testid="fx-outline-width"
          />
        </label>
      </div>
      <div className="fx-row">
        <label className="mini grow">
          <span>
            {t('fxShadow')} {Math.round(fx.shadow * 100)}%
          </span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={fx.shadow}
            onChange={(e) => change({ shadow: Number(e.target.value) }, 'fx-shadow')}
            data-testid="fx-shadow"
          />
        </label>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => edit({ textFx: NO_FX })} disabled={!hasFx(fx)}>
          {t('fxReset')}
        </button>
      </div>
    </fieldset>
  );
}
