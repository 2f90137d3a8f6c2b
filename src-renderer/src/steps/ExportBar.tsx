// Export, always in view at the foot of step 3: format (PNG, JPEG, WebP) with quality, size (1024,
// 2048 or a custom long edge up to what the pipeline renders), the finished ad or the product's
// transparent cut-out, and Download. A size larger than the ad on screen is rendered again by the
// pipeline at that size (same seed, prompts and placement), not enlarged.
import { useState } from 'react';
import type { JobRecord } from '../../../src-preload/contract';
import { useT } from '../i18n';
import { EXPORT_SIZES, MAX_LONG_EDGE, MIN_LONG_EDGE, type ExportFormat } from '../lib/export';
import { hasArtifact, useStudio } from '../stores/studio';

export function ExportBar({ job }: { job: JobRecord | null }) {
  const t = useT();
  const active = useStudio((s) => s.active);
  const exportAd = useStudio((s) => s.exportAd);
  const [format, setFormat] = useState<ExportFormat>('png');
  const [quality, setQuality] = useState(90);
  const [size, setSize] = useState<string>('1024');
  const [custom, setCustom] = useState('1600');
  const [what, setWhat] = useState<'final' | 'cutout'>('final');
  const ready = !!job && hasArtifact(job, what === 'final' ? 'final' : 'cutout');
  const longEdge = size === 'custom' ? Math.min(MAX_LONG_EDGE, Math.max(MIN_LONG_EDGE, Number(custom) || 0)) : Number(size);
  const download = () => void exportAd({ what, format, quality: quality / 100, longEdge });
  return (
    <fieldset className="export-bar" data-testid="export-bar">
      <legend className="field-label">{t('export')}</legend>
      <div className="export-row">
        <label className="mini">
          <span>{t('exportWhat')}</span>
          <select value={what} onChange={(e) => setWhat(e.target.value as 'final' | 'cutout')} data-testid="export-what">
            <option value="final">{t('exportFinal')}</option>
            <option value="cutout">{t('exportCutout')}</option>
          </select>
        </label>
        <label className="mini">
          <span>{t('exportFormat')}</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
            <option value="png">PNG</option>
            <option value="jpeg" disabled={what === 'cutout'}>
              JPEG
            </option>
            <option value="webp">WebP</option>
          </select>
        </label>
        <label className="mini">
          <span>{t('exportSize')}</span>
          <select value={size} onChange={(e) => setSize(e.target.value)} disabled={what === 'cutout'} data-testid="export-size">
            {EXPORT_SIZES.map((n) => (
              <option key={n} value={String(n)}>
                {n}px
              </option>
            ))}
            <option value="custom">{t('exportCustom')}</option>
          </select>
        </label>
        {size === 'custom' && what === 'final' && (
          <label className="mini narrow">
            <span>{t('exportLongEdge')}</span>
            <input
              type="number"
              min={MIN_LONG_EDGE}
              max={MAX_LONG_EDGE}
              step={8}
              value={custom}
              onChange={(e) => setCustom(e.target.value)}
              data-testid="export-custom"
            />
          </label>
        )}
      </div>
      <div className="export-row">
        <label className="mini grow">
          <span>
            {t('exportQuality')} {format === 'png' ? '—' : `${quality}%`}
          </span>
          <input
            type="range"
            min={40}
            max={100}
            step={1}
            value={quality}
            disabled={format === 'png'}
            onChange={(e) => setQuality(Number(e.target.value))}
            data-testid="export-quality"
          />
        </label>
        <button type="button" className="btn btn-primary" disabled={!ready || !!active} onClick={download} data-testid="download">
          {t('downloadAs', { format: format === 'jpeg' ? 'JPEG' : format === 'webp' ? 'WebP' : 'PNG' })}
        </button>
      </div>
    </fieldset>
  );
}
