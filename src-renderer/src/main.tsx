// Entry of the studio UI (same bundle in Electron and in the browser).
import './zod-csp';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useLang } from './i18n';
import './styles.css';

document.documentElement.lang = useLang.getState().lang;
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
