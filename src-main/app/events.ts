// The one way main sends to the renderer: a contract event on its derived channel, typed by name.
import type { BrowserWindow } from 'electron';
import { eventChannel, type StudioEventName, type StudioEvents } from '../../src-preload/contract';

export function sendEvent<E extends StudioEventName>(win: BrowserWindow | null | undefined, event: E, payload: StudioEvents[E]): void {
  win?.webContents.send(eventChannel(event), payload);
}
