// Settings and status: engines and execution provider in use, models found in models/, the data
// folder, the local server (port, on/off in the desktop app) and the API key, and the language.
import { useEffect, useState } from 'react';
import type { HealthInfo, StudioSettings } from '../../../src-preload/contract';
import { api } from '../api';
import { saveToken, readToken } from '../api/http';
import { useLang, useT, type Lang, type MessageKey } from '../i18n';
import { ModelsPanel } from './ModelsPanel';
import { formatBytes } from '../../../src-main/core/format';

export function SettingsView() {
  const t = useT();
  const { lang, setLang } = useLang();
  const [health, setHealth] = useState<HealthInfo | null>(null);
  const [settings, setSettings] = useState<StudioSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [port, setPort] = useState('');
  const [enabled, setEnabled] = useState(true);
  const [token, setToken] = useState(() => (api.shell === 'browser' ? (readToken() ?? '') : ''));
  const [saved, setSaved] = useState(false);
  const [cutoutEngine, setCutoutEngine] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      Promise.all([api.health(), api.settings()])
        .then(([h, s]) => {
          setHealth(h);
          setSettings(s);
          setPort(String(s.server.port));
          setEnabled(s.server.enabled);
          setError(null);
        })
        .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    void load();
    // The engine that cut out the most recent photo that needed it.
    void api
      .listJobs({ limit: 50 })
      .then((page) => setCutoutEngine(page.jobs.map((j) => j.engines.segment).find((e) => !!e && e !== 'input-alpha') ?? null))
      .catch(() => undefined);
    const timer = setInterval(
      () =>
        void api
          .health()
          .then(setHealth)
          .catch(() => undefined),
      5000,
    );
    return () => clearInterval(timer);
  }, []);

  const saveServer = async () => {
    try {
      const next = await api.updateSettings({ serverEnabled: enabled, port: Number(port) });
      setSettings(next);
      setPort(String(next.server.port));
      setEnabled(next.server.enabled);
      setSaved(true);
      setTimeout(() => setSaved(false), 2000);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const m = health?.system_metrics;
  return (
    <div className="settings">
      <h1 className="h1">{t('settings')}</h1>
      {error && (
        <div className="error-note" role="alert">
          {error}
        </div>
      )}
      <div className="settings-grid">
        <section className="panel" aria-labelledby="s-engines">
          <h2 id="s-engines" className="h2">
            {t('engines')}
          </h2>
          <dl className="kv">
            {health &&
              Object.entries(health.engines).map(([role, engine]) => (
                <div key={role}>
                  <dt>{t(`role_${role}` as MessageKey)}</dt>
                  <dd data-testid={`engine-${role}`}>
                    {role === 'segment' && engine === 'input-alpha' ? (
                      // The last photo came with its own transparency, so no engine ran: show the
                      // engine that cuts out photos (the last one that did), not "input-alpha".
                      <>
                        {cutoutEngine ?? t('segmentDefault')}
                        <span className="muted small"> · {t('lastPhotoHadAlpha')}</span>
                      </>
                    ) : (
                      engine
                    )}
                  </dd>
                </div>
              ))}
            <div>
              <dt>{t('provider')}</dt>
              <dd>{health?.execution_provider ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('version')}</dt>
              <dd data-testid="version">{health?.version ?? settings?.version ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('system')}</dt>
              <dd>{m ? `${t('cpu')} ${Math.round(m.cpu_percent)}% · ${t('ram')} ${m.ram_used_gb.toFixed(1)} / ${m.ram_total_gb.toFixed(1)} GB` : '—'}</dd>
            </div>
            {m?.gpu_info.map((g) => (
              <div key={g.index}>
                <dt>GPU {g.index}</dt>
                <dd>
                  {g.name} · {g.vram_used_gb.toFixed(1)} / {g.vram_total_gb.toFixed(1)} GB
                </dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="panel" aria-labelledby="s-models">
          <h2 id="s-models" className="h2">
            {t('models')}
          </h2>
          <p className="muted mono">{settings?.modelsDir}</p>
          {settings && settings.models.length === 0 ? (
            <p className="muted">{t('noModels')}</p>
          ) : (
            <ul className="model-list">
              {settings?.models.map((f) => (
                <li key={f.name}>
                  <span className="mono">{f.name}</span>
                  <span className="muted">{formatBytes(f.bytes)}</span>
                </li>
              ))}
            </ul>
          )}
          <h2 className="h2">{t('dataFolder')}</h2>
          <p className="mono">{settings?.dataDir}</p>
        </section>
        <ModelsPanel />
        <section className="panel" aria-labelledby="s-server">
          <h2 id="s-server" className="h2">
            {t('server')}
          </h2>
          <dl className="kv">
            <div>
              <dt>{t('serverUrl')}</dt>
              <dd className="mono">{settings?.server.url ?? t('serverOff')}</dd>
            </div>
            <div>
              <dt>{t('apiKey')}</dt>
              <dd>{settings?.server.apiKeySet ? t('apiKeySet') : t('apiKeyNone')}</dd>
            </div>
          </dl>
          {settings?.server.error && (
            <div className="error-note" role="alert">
              {settings.server.error}
            </div>
          )}
          {api.shell === 'electron' ? (
            <form
              className="server-form"
              onSubmit={(e) => {
                e.preventDefault();
                void saveServer();
              }}
            >
              <label className="check">
                <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
                <span>{t('serverEnabled')}</span>
              </label>
              <div className="field">
                <label className="field-label" htmlFor="server-port">
                  {t('serverPort')}
                </label>
                <input id="server-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value.replace(/\D/g, ''))} />
              </div>
              <button type="submit" className="btn btn-primary">
                {saved ? t('saved') : t('save')}
              </button>
            </form>
          ) : (
            <form
              className="server-form"
              onSubmit={(e) => {
                e.preventDefault();
                saveToken(token || null);
                setSaved(true);
                setTimeout(() => setSaved(false), 2000);
              }}
            >
              <div className="field">
                <label className="field-label" htmlFor="api-key">
                  {t('apiKeyBrowser')}
                </label>
                <input id="api-key" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
              </div>
              <button type="submit" className="btn btn-primary">
                {saved ? t('saved') : t('save')}
              </button>
            </form>
          )}
        </section>
        <section className="panel" aria-labelledby="s-lang">
          <h2 id="s-lang" className="h2">
            {t('language')}
          </h2>
          <div className="segmented" role="radiogroup" aria-labelledby="s-lang">
            {(['ko', 'en'] as Lang[]).map((l) => (
              <label key={l} className={`seg ${lang === l ? 'is-on' : ''}`}>
                <input type="radio" name="lang" checked={lang === l} onChange={() => setLang(l)} />
                {l === 'ko' ? '한국어' : 'English'}
              </label>
            ))}
          </div>
          <p className="muted">{api.shell === 'electron' ? t('shellElectron') : t('shellBrowser')}</p>
        </section>
      </div>
    </div>
  );
}
