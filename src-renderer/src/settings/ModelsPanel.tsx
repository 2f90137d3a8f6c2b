// Settings → Models: every engine model of the catalogue with its state, size, GPU need and
// licence; install with a progress bar (bytes, speed, a countdown ETA) and cancel, remove, and a
// button that frees the GPU memory of the resident diffusion engine. Installs run in the main
// process and resume where they stopped; this panel polls their progress while one runs.
import { useEffect, useState } from 'react';
import type { ModelInfo } from '../../../src-main/core/service';
import { api } from '../api';
import { useLang, type Lang } from '../i18n';
import { formatBytes } from '../../../src-main/core/format';

const TEXT = {
  en: {
    title: 'Engine models',
    intro: 'Diffusion models make the scene from the whole prompt. Without one, the built-in procedural engine paints one of 16 looks from keywords.',
    auto: 'Jobs with bg_engine "auto" use: {engine}',
    install: 'Install',
    cancel: 'Cancel',
    remove: 'Remove',
    free: 'Free GPU memory',
    freed: 'Released: {ids}',
    nothingLoaded: 'No diffusion engine was loaded.',
    state_installed: 'Installed',
    state_unverified: 'Installed (not verified)',
    state_outdated: 'Installed (other revision)',
    state_partial: 'Partly downloaded',
    state_missing: 'Not installed',
    state_bundled: 'Built in',
    vram: 'needs ~{gb} GB GPU memory',
    overBudget: 'over the VRAM budget',
    licence: 'Licence: {l}',
    eta: '{left} left',
    failed: 'Install failed',
    cancelled: 'Install cancelled (the downloaded part is kept and resumes next time)',
    confirmRemove: 'Remove {id} and its files?',
    manual: 'Not downloadable here: place its ONNX file in the models folder (see its manifest).',
  },
  ko: {
    title: '엔진 모델',
    intro: '디퓨전 모델은 프롬프트 전체로 배경을 만듭니다. 모델이 없으면 내장 절차적 엔진이 키워드로 16가지 분위기 중 하나를 그립니다.',
    auto: 'bg_engine "auto" 작업에 쓰이는 엔진: {engine}',
    install: '설치',
    cancel: '취소',
    remove: '삭제',
    free: 'GPU 메모리 비우기',
    freed: '해제됨: {ids}',
    nothingLoaded: '불러온 디퓨전 엔진이 없습니다.',
    state_installed: '설치됨',
    state_unverified: '설치됨 (검증 전)',
    state_outdated: '설치됨 (다른 리비전)',
    state_partial: '일부만 내려받음',
    state_missing: '설치 안 됨',
    state_bundled: '내장',
    vram: 'GPU 메모리 약 {gb} GB 필요',
    overBudget: 'VRAM 예산 초과',
    licence: '라이선스: {l}',
    eta: '{left} 남음',
    failed: '설치 실패',
    cancelled: '설치 취소됨 (받은 부분은 남아 있어 다음에 이어 받습니다)',
    confirmRemove: '{id} 모델과 파일을 삭제할까요?',
    manual: '여기서 내려받을 수 없습니다: ONNX 파일을 models 폴더에 직접 넣으세요 (매니페스트 참고).',
  },
} as const;
type Key = keyof (typeof TEXT)['en'];

function useText(): (key: Key, vars?: Record<string, string | number>) => string {
  const { lang } = useLang();
  return (key, vars = {}) => TEXT[lang as Lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

function seconds(s: number): string {
  const n = Math.max(0, Math.ceil(s));
  return n >= 3600 ? `${Math.floor(n / 3600)}h ${Math.floor((n % 3600) / 60)}m` : n >= 60 ? `${Math.floor(n / 60)}m ${n % 60}s` : `${n}s`;
}

export function ModelsPanel() {
  const t = useText();
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const [auto, setAuto] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Bumped after every action so the list is read again.
  const [version, setVersion] = useState(0);
  const running = models?.some((m) => m.install?.status === 'running') ?? false;

  useEffect(() => {
    let alive = true;
    const read = () =>
      Promise.all([api.models(), api.health()]).then(
        ([list, health]) => {
          if (!alive) return;
          setModels(list);
          setAuto(health.background_engines?.auto ?? null);
          setError(null);
        },
        (err: unknown) => alive && setError(err instanceof Error ? err.message : String(err)),
      );
    void read();
    // Progress comes from the main process; poll while an install runs.
    const timer = running ? setInterval(() => void read(), 700) : null;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [running, version]);

  const act = async (run: () => Promise<unknown>) => {
    try {
      setNote(null);
      await run();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
    setVersion((v) => v + 1);
  };

  return (
    <section className="panel models-panel" aria-labelledby="s-engine-models">
      <h2 id="s-engine-models" className="h2">
        {t('title')}
      </h2>
      <p className="muted small">{t('intro')}</p>
      {auto && <p data-testid="auto-engine">{t('auto', { engine: auto })}</p>}
      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      <ul className="engine-models">
        {models
          ?.filter((m) => m.roles.includes('background') || m.roles.includes('lettering') || m.role === 'segment')
          .map((m) => {
            const inst = m.install;
            const pct = inst?.percent ?? 0;
            return (
              <li key={m.id} className="engine-model" data-testid={`model-${m.id}`}>
                <div className="engine-model-head">
                  <strong>{m.name}</strong>
                  <span className={`badge badge-${m.state}`}>{t(`state_${m.state}` as Key)}</span>
                </div>
                <div className="muted small">
                  {(m.usable ? m.bytes_present : m.bytes_expected) > 0 && <span>{formatBytes(m.usable ? m.bytes_present : m.bytes_expected)} · </span>}
                  {m.min_vram_gb !== null && <span>{t('vram', { gb: m.min_vram_gb })} · </span>}
                  {!m.fits_budget && <span className="warn">{t('overBudget')} · </span>}
                  <span>{t('licence', { l: m.license })}</span>
                </div>
                {inst?.status === 'running' && (
                  <div className="model-progress">
                    <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(pct)} aria-label={m.name}>
                      <div className="bar-fill" style={{ width: `${pct}%` }} />
                    </div>
                    <span className="small mono" role="status">
                      {Math.round(pct)}% · {formatBytes(inst.bytes_done)} / {formatBytes(inst.bytes_total)}
                      {inst.bytes_per_second > 0 && ` · ${formatBytes(inst.bytes_per_second)}/s`}
                      {inst.eta_seconds !== null && ` · ${t('eta', { left: seconds(inst.eta_seconds) })}`}
                    </span>
                  </div>
                )}
                {inst?.status === 'failed' && (
                  <div className="error-note small" role="alert">
                    {t('failed')}: {inst.error}
                  </div>
                )}
                {inst?.status === 'cancelled' && <p className="muted small">{t('cancelled')}</p>}
                {m.distribution === 'manual' && !m.usable && <p className="muted small">{t('manual')}</p>}
                <div className="engine-model-actions">
                  {m.distribution === 'hub' && !m.usable && inst?.status !== 'running' && (
                    <button type="button" className="btn btn-primary" onClick={() => void act(() => api.installModel(m.id))}>
                      {t('install')}
                    </button>
                  )}
                  {inst?.status === 'running' && (
                    <button type="button" className="btn" onClick={() => void act(() => api.cancelModelInstall(m.id))}>
                      {t('cancel')}
                    </button>
                  )}
                  {m.distribution === 'hub' && m.state !== 'missing' && inst?.status !== 'running' && (
                    <button
                      type="button"
                      className="btn"
                      onClick={() => {
                        if (window.confirm(t('confirmRemove', { id: m.id }))) void act(() => api.removeModel(m.id));
                      }}
                    >
                      {t('remove')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
      </ul>
      <button
        type="button"
        className="btn"
        onClick={() =>
          void act(async () => {
            const r = await api.freeEngines();
            setNote(r.released.length ? t('freed', { ids: r.released.join(', ') }) : t('nothingLoaded'));
          }).then(() => undefined)
        }
      >
        {t('free')}
      </button>
      {note && (
        <p className="muted small" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
