// Registers the IPC handlers: one ipcMain.handle per contract channel, and only for frames of our
// own adforge://app origin (a navigated-away or injected frame gets nothing).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { APP_ORIGIN, INVOKE_CHANNELS, type InvokeMethod } from '../../src-preload/contract';
import type { IpcHandlers } from './ipc-handlers';

function fromApp(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function registerIpc(handlers: IpcHandlers): void {
  for (const method of Object.keys(INVOKE_CHANNELS) as InvokeMethod[]) {
    ipcMain.handle(INVOKE_CHANNELS[method], (event, ...args: unknown[]) => {
      if (!fromApp(event)) return { ok: false, status: 403, detail: 'IPC is only answered for the studio page' };
      return handlers[method](...args);
    });
  }
}
