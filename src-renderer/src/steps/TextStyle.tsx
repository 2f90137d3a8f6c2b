// Text controls for the headline on the compose stage: fill colour or a two-colour gradient (the 3D
// shading kept), outline colour and width, and drop-shadow strength. Shown on the canvas at once;
// Apply renders them into the final ad.
import { useT } from '../i18n';
import { NO_FX, type TextFx } from '../lib/textfx';
import { useStudio } from '../stores/studio';

export function TextStyle() {
  const t = useT();
  const fx = useStudio((s) => s.textFx);
  const edit = useStudio((s) => s.edit);
  const change = (patch: Partial<TextFx>, coalesce?: string) => edit({ textFx: { ...fx, ...patch } }, coalesce);
  return (
    <fieldset className="field text-style">
      <legend className="field-label">{t('textStyle')}</legend>
      <div className="fx-row">
        <label className="check">
          <input
            type="checkbox"
            checked={!!fx.fill}
            onChange={(e) => change({ fill: e.target.checked ? '#ffffff' : null, fill_to: e.target.checked ? fx.fill_to : null })}
            data-testid="fx-fill-on"
          />
          <span>{t('fxFill')}</span>
        </label>
        <input
          type="color"
          aria-label={t('fxFillColour')}
          value={fx.fill ?? '#ffffff'}
          disabled={!fx.fill}
          onChange={(e) => change({ fill: e.target.value }, 'fx-fill')}
          data-testid="fx-fill"
        />
        <label className="check">
          <input
            type="checkbox"
            checked={!!fx.fill_to}
            disabled={!fx.fill}
            onChange={(e) => change({ fill_to: e.target.checked ? '#ffb347' : null })}
            data-testid="fx-gradient-on"
          />
          <span>{t('fxGradient')}</span>
        </label>
        <input
          type="color"
          aria-label={t('fxGradientColour')}
          value={fx.fill_to ?? '#ffb347'}
          disabled={!fx.fill_to}
          onChange={(e) => change({ fill_to: e.target.value }, 'fx-fill2')}
          data-testid="fx-fill2"
        />
      </div>
      <div className="fx-row">
        <label className="check">
          <input
            type="checkbox"
            checked={!!fx.outline}
            onChange={(e) => change({ outline: e.target.checked ? '#1b1b1f' : null })}
            data-testid="fx-outline-on"
          />
          <span>{t('fxOutline')}</span>
        </label>
        <input
          type="color"
          aria-label={t('fxOutlineColour')}
          value={fx.outline ?? '#1b1b1f'}
          disabled={!fx.outline}
          onChange={(e) => change({ outline: e.target.value }, 'fx-outline')}
          data-testid="fx-outline"
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
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => edit({ textFx: NO_FX })} disabled={fx === NO_FX}>
          {t('fxReset')}
        </button>
      </div>
    </fieldset>
  );
}
