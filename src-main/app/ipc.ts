// Registers the IPC handlers: one ipcMain.handle per contract method on its derived channel, and
// only for frames of our own adforge://app origin (a navigated-away or injected frame gets nothing).
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { STUDIO_METHODS } from '../core/studio-api';
import { APP_ORIGIN, invokeChannel, type IpcHandlers } from '../../src-preload/contract';

function fromApp(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

export function registerIpc(handlers: IpcHandlers): void {
  for (const method of STUDIO_METHODS) {
    ipcMain.handle(invokeChannel(method), (event, ...args: unknown[]) => {
      if (!fromApp(event)) return { ok: false, status: 403, detail: 'IPC is only answered for the studio page' };
      return handlers[method](...args);
    });
  }
}
