// The application menu: studio commands go to the UI as MenuCommand messages; the rest are
// standard roles. Developer tools only in unpackaged builds.
import { app, Menu, shell, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-preload/contract';
import { sendEvent } from './events';

export function installMenu(getWindow: () => BrowserWindow | null, serverUrl: () => string | null): void {
  const send = (command: MenuCommand) => sendEvent(getWindow(), 'menu', command);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Ad', accelerator: 'CmdOrCtrl+N', click: () => send('new-ad') },
        { label: 'History', accelerator: 'CmdOrCtrl+Shift+H', click: () => send('open-history') },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => send('open-settings') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'help',
      submenu: [
        {
          label: 'API Documentation',
          click: () => {
            const url = serverUrl();
            if (url) void shell.openExternal(`${url}/docs`);
          },
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
