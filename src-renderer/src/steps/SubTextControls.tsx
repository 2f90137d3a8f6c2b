// The second text layer in step 3: a sub-headline or call to action, its colour, an optional button
// behind it, its size and where it goes (under the headline, top, bottom; dragging it on the stage
// gives it an exact place). Drawn on the stage at once; Apply renders it into the ad (sub_text).
import { useState } from 'react';
import { SUB_TEXT_POSITIONS, SubTextSchema, type SubText, type SubTextPosition } from '../../../src-main/core/sub-text';
import { useT, type MessageKey } from '../i18n';
import { OptionalColour } from './OptionalColour';
import { useStudio } from '../stores/studio';

const POS_LABEL: Record<SubTextPosition, MessageKey> = { below_headline: 'subPosBelow', top: 'subPosTop', bottom: 'subPosBottom' };
const BLANK: SubText = SubTextSchema.parse({ text: 'x' });

export function SubTextControls() {
  const t = useT();
  const sub = useStudio((s) => s.subText);
  const edit = useStudio((s) => s.edit);
  const cur: SubText = sub ?? { ...BLANK, text: '' };
  // Open by itself when a line is there (a reopened job); the designer opens and closes it otherwise.
  const has = !!sub?.text.trim();
  const [open, setOpen] = useState(has);
  const [hadLine, setHadLine] = useState(has);
  if (has !== hadLine) {
    // Adjusting state while rendering (React's pattern for "when a prop changes"), not in an effect.
    setHadLine(has);
    if (has) setOpen(true);
  }
  // A draft with no text yet keeps its colours and size; only text makes it part of the ad.
  const change = (patch: Partial<SubText>, coalesce?: string) => edit({ subText: { ...cur, ...patch } }, coalesce);
  return (
    <details className="advanced sub-text" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="sub-text">
      <summary>{t('subText')}</summary>
      <div className="fx-row">
        <input
          type="text"
          className="grow"
          maxLength={120}
          value={cur.text}
          placeholder={t('subTextPlaceholder')}
          aria-label={t('subText')}
          onChange={(e) => change({ text: e.target.value.replace(/[\r\n]+/g, ' ') }, 'sub-text')}
          data-testid="sub-text-input"
        />
        <input
          type="color"
          aria-label={t('subTextColour')}
          value={cur.color}
          onChange={(e) => change({ color: e.target.value }, 'sub-color')}
          data-testid="sub-color"
        />
        <OptionalColour
          label={t('subTextButton')}
          colourLabel={t('subTextButtonColour')}
          value={cur.background}
          fallback="#d0103a"
          onChange={(background, co) => change({ background }, co)}
          testIds={{ on: 'sub-button-on', colour: 'sub-button-color' }}
        />
      </div>
      <div className="fx-row">
        <label className="mini grow">
          <span>
            {t('subTextSize')} {Math.round(cur.size * 1000) / 10}%
          </span>
          <input
            type="range"
            min={0.015}
            max={0.15}
            step={0.005}
            value={cur.size}
            onChange={(e) => change({ size: Number(e.target.value) }, 'sub-size')}
            data-testid="sub-size"
          />
        </label>
        <label className="mini">
          <span>{t('subPosition')}</span>
          <select
            value={cur.center ? '' : cur.position}
            onChange={(e) => change({ position: e.target.value as SubTextPosition, center: null })}
            data-testid="sub-position"
          >
            {cur.center && <option value="">{t('posCustom')}</option>}
            {SUB_TEXT_POSITIONS.map((p) => (
              <option key={p} value={p}>
                {t(POS_LABEL[p])}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-ghost btn-sm" disabled={!sub} onClick={() => edit({ subText: null })} data-testid="sub-remove">
          {t('subTextRemove')}
        </button>
      </div>
      <span className="help">{t('subTextHelp')}</span>
    </details>
  );
}
