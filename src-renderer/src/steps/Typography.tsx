// Headline typography for step 2: letter spacing, line height and alignment. They shape the layout
// the lettering engine draws (and, with the ControlNet engine, the edge map it letters over), so
// they apply when the headline is generated; the note says so when they differ from the layer on screen.
import { DEFAULT_LINE_HEIGHT, type TextAlign } from '../../../src-main/core/params';
import { useT, type MessageKey } from '../i18n';
import { typographyChanged } from '../stores/requests';
import { useStudio } from '../stores/studio';

const ALIGN_LABEL: Record<TextAlign, MessageKey> = { left: 'alignLeft', center: 'alignCenter', right: 'alignRight' };
/** As on the page: left, centre, right (the schema lists the default first). */
const ALIGN_ORDER: readonly TextAlign[] = ['left', 'center', 'right'];

export function Typography() {
  const t = useT();
  const s = useStudio();
  const pending = typographyChanged(s, DEFAULT_LINE_HEIGHT);
  return (
    <fieldset className="field text-style" data-testid="typography">
      <legend className="field-label">{t('typography')}</legend>
      <div className="fx-row">
        <label className="mini grow">
          <span>
            {t('letterSpacing')} {s.letterSpacing.toFixed(2)} em
          </span>
          <input
            type="range"
            min={-0.1}
            max={0.5}
            step={0.02}
            value={s.letterSpacing}
            onChange={(e) => s.edit({ letterSpacing: Number(e.target.value) }, 'letter-spacing')}
            data-testid="letter-spacing"
          />
        </label>
        <label className="mini grow">
          <span>
            {t('lineHeight')} {s.lineHeight.toFixed(2)}
          </span>
          <input
            type="range"
            min={0.8}
            max={2.5}
            step={0.02}
            value={s.lineHeight}
            onChange={(e) => s.edit({ lineHeight: Number(e.target.value) }, 'line-height')}
            data-testid="line-height"
          />
        </label>
      </div>
      <div className="segmented" role="radiogroup" aria-label={t('textAlign')}>
        {ALIGN_ORDER.map((a) => (
          <label key={a} className={`seg ${s.align === a ? 'is-on' : ''}`}>
            <input type="radio" name="text-align" value={a} checked={s.align === a} onChange={() => s.edit({ align: a })} data-testid={`align-${a}`} />
            {t(ALIGN_LABEL[a])}
          </label>
        ))}
      </div>
      {pending && (
        <span className="help" role="status" data-testid="typography-pending">
          {t('typographyPending')}
        </span>
      )}
    </fieldset>
  );
}
