// Shell of the studio: top bar (navigation, language, connection), the current view, and the
// job progress bar. Subscribes once to job events, with a slow poll as a fallback for lost events.
import { useEffect, useState } from 'react';
import { api } from './api';
import { useLang, useT, type Lang } from './i18n';
import { useStudio, type View } from './stores/studio';
import { StudioView } from './steps/StudioView';
import { HistoryView } from './history/HistoryView';
import { SettingsView } from './settings/SettingsView';
import { ProgressBar } from './components/ProgressBar';

function useJobEvents(): boolean {
  const handleEvent = useStudio((s) => s.handleEvent);
  const activeId = useStudio((s) => s.active?.job.job_id ?? null);
  const [online, setOnline] = useState(true);
  useEffect(() => api.onEvent(handleEvent), [handleEvent]);
  // Events can be lost across a reconnect: while a job runs, also ask for it once a second.
  useEffect(() => {
    if (!activeId) return;
    const timer = setInterval(() => {
      api
        .getJob(activeId)
        .then((job) => {
          setOnline(true);
          handleEvent({ type: job.status === 'pending' || job.status === 'running' ? 'progress' : 'finished', job });
        })
        .catch(() => setOnline(false));
    }, 1000);
    return () => clearInterval(timer);
  }, [activeId, handleEvent]);
  return online;
}

function useMenu(): void {
  const set = useStudio((s) => s.set);
  const newAd = useStudio((s) => s.newAd);
  useEffect(
    () =>
      api.onMenu((command) => {
        if (command === 'new-ad') newAd();
        else if (command === 'open-history') set({ view: 'history' });
        else if (command === 'open-settings') set({ view: 'settings' });
      }),
    [set, newAd],
  );
}

/**
 * Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) undo and redo studio edits; inside a text field they are the
 * field's own text undo, as everywhere else.
 */
function useUndoKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const k = e.key.toLowerCase();
      if (k !== 'z' && k !== 'y') return;
      const el = e.target as HTMLElement | null;
      if (
        el &&
        (el.isContentEditable ||
          el.tagName === 'TEXTAREA' ||
          (el.tagName === 'INPUT' && !['checkbox', 'radio', 'range', 'button'].includes((el as HTMLInputElement).type)))
      )
        return;
      const st = useStudio.getState();
      if (st.view !== 'studio') return;
      e.preventDefault();
      if (k === 'y' || e.shiftKey) st.redo();
      else st.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App() {
  const t = useT();
  const view = useStudio((s) => s.view);
  const set = useStudio((s) => s.set);
  const newAd = useStudio((s) => s.newAd);
  const { lang, setLang } = useLang();
  const online = useJobEvents();
  useMenu();
  useUndoKeys();
  const tabs: { id: View; label: string }[] = [
    { id: 'studio', label: t('navStudio') },
    { id: 'history', label: t('navHistory') },
    { id: 'settings', label: t('navSettings') },
  ];
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            A
          </span>
          <span>{t('appName')}</span>
        </div>
        <nav className="tabs" aria-label={t('mainNav')}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              className={`tab ${view === tab.id ? 'is-active' : ''}`}
              aria-current={view === tab.id ? 'page' : undefined}
              onClick={() => set({ view: tab.id })}
            >
              {tab.label}
            </button>
          ))}
        </nav>
        <div className="topbar-right">
          <button type="button" className="btn btn-ghost" onClick={newAd}>
            {t('newAd')}
          </button>
          <span className={`conn ${online ? 'ok' : 'bad'}`} role="status">
            <span className="dot" aria-hidden="true" />
            {online ? t('connected') : t('offline')}
          </span>
          <label className="lang">
            <span className="sr-only">{t('language')}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} aria-label={t('language')}>
              <option value="ko">한국어</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
      </header>
      <main className="main">
        {view === 'studio' && <StudioView />}
        {view === 'history' && <HistoryView />}
        {view === 'settings' && <SettingsView />}
      </main>
      <ProgressBar />
    </div>
  );
}
