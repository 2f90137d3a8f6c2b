// Electron main process: the composition root only. One instance; the StudioService (with its
// pipeline worker) lives here; the UI talks to it over IPC, and the embedded HTTP/WS server can
// serve other tools from the same service. All real work is in modules without Electron.
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, shell } from 'electron';
import { desktopUserDataOverride, resolveConfig } from '../config';
import type { StudioSettings } from '../core/studio-api';
import { createRuntime } from '../runtime/runtime';
import type { ExportProgressMessage } from '../../src-preload/contract';
import { loadDesktopSettings, saveDesktopSettings, type DesktopSettings } from './desktop-settings';
import { createEmbeddedServer } from './embedded-server';
import { sendEvent } from './events';
import { createIpcHandlers } from './ipc-handlers';
import { registerIpc } from './ipc';
import { installMenu } from './menu';
import { handleAppProtocol, registerAppScheme } from './protocol';
import { createMainWindow, lockDown } from './window';

const here = fileURLToPath(new URL('.', import.meta.url));
// Tests and portable installs can keep everything in one folder.
const userDataOverride = desktopUserDataOverride(process.env);
if (userDataOverride) app.setPath('userData', userDataOverride);

registerAppScheme();

let mainWindow: BrowserWindow | null = null;

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const appRoot = app.getAppPath();
  const config = resolveConfig({
    flags: {},
    env: process.env,
    cwd: appRoot,
    appRoot,
    // A packaged app ships fonts/ and models/ as extra resources outside the asar archive.
    resourcesDir: app.isPackaged ? process.resourcesPath : appRoot,
    defaultDataDir: join(userData, 'data'),
    workerScript: join(here, 'worker.js'),
  });
  const runtime = await createRuntime(config);
  const { service } = runtime;
  let settings: DesktopSettings = await loadDesktopSettings(userData);
  const server = createEmbeddedServer(service, config);
  await server.apply(settings);

  const studioSettings = async (): Promise<StudioSettings> => ({
    shell: 'electron',
    version: app.getVersion(),
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    models: await service.modelFiles(),
    server: server.status(),
  });

  handleAppProtocol(service, join(here, '..', 'renderer'));
  registerIpc(
    createIpcHandlers({
      service,
      settings: studioSettings,
      async updateSettings(update) {
        settings = { ...settings, ...update };
        await saveDesktopSettings(userData, settings);
        await server.apply(settings);
        return studioSettings();
      },
      async saveExport(zip, exportId) {
        const win = mainWindow;
        const choice = win
          ? await dialog.showSaveDialog(win, { defaultPath: join(app.getPath('downloads'), zip.fileName), filters: [{ name: 'ZIP', extensions: ['zip'] }] })
          : { canceled: true, filePath: undefined };
        if (choice.canceled || !choice.filePath) return { fileName: zip.fileName, bytes: 0, saved: false };
        const target = choice.filePath;
        const temp = `${target}.partial`;
        let last = 0;
        try {
          const bytes = zip.open(({ bytesDone, bytesTotal }) => {
            // A few updates a second are plenty for a progress bar.
            const now = Date.now();
            if (now - last < 100 && bytesDone < bytesTotal) return;
            last = now;
            const message: ExportProgressMessage = { exportId, bytesDone, bytesTotal };
            sendEvent(win, 'exportProgress', message);
          });
          await pipeline(bytes, createWriteStream(temp));
          await rename(temp, target);
          return { fileName: target, bytes: (await stat(target)).size, saved: true };
        } catch (err) {
          await rm(temp, { force: true });
          throw err;
        }
      },
      openExternal: (url) => shell.openExternal(url),
    }),
  );
  service.onEvent((event) => sendEvent(mainWindow, 'job', event));
  installMenu(
    () => mainWindow,
    () => server.status().url,
  );

  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  const open = () => {
    mainWindow = createMainWindow(join(here, '..', 'preload', 'index.cjs'));
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Stop the server and the worker (a running job is stopped cleanly) before exiting.
    event.preventDefault();
    quitting = true;
    void server
      .stop()
      .catch(() => undefined)
      .then(() => runtime.close())
      .finally(() => app.quit());
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusWindow);
  start().catch((err: unknown) => {
    dialog.showErrorBox('AdForge Studio could not start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });
}
