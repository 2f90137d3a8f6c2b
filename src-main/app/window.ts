// The main window, locked down: sandboxed renderer, context isolation, no Node, navigation only
// within adforge://app, new windows and external links handed to the system browser.
import { BrowserWindow, shell, type WebContents } from 'electron';
import { APP_ORIGIN } from '../../src-preload/contract';

const isExternal = (url: string) => /^https?:\/\//i.test(url);

/** Applied to every web contents the app creates (also webviews, which are refused outright). */
export function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  const keepInApp = (event: { preventDefault: () => void }, url: string) => {
    if (url.startsWith(`${APP_ORIGIN}/`)) return;
    event.preventDefault();
    if (isExternal(url)) void shell.openExternal(url);
  };
  contents.on('will-navigate', keepInApp);
  contents.on('will-redirect', keepInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // The studio needs no camera, microphone, geolocation or notifications.
  contents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 920,
    minWidth: 1024,
    minHeight: 680,
    show: false,
    title: 'AdForge Studio',
    backgroundColor: '#16171b',
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
