import type { IpcMain, IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { errorValue } from '../../shared/errors.js';
import { CHANNEL_NAMES, wireName, type Result } from '../../shared/ipc/contract.js';
import { isAppUrl } from './protocol.js';

/** Only the app's own top-level page may call the vault: not an iframe, not a page that got navigated elsewhere. */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined): boolean {
  if (!frame || frame.parent) return false;
  return isAppUrl(frame.url);
}

/** The core worker's client: requests go to it unparsed, its dispatch validates them against the contract. */
export interface IpcTarget {
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  touch(): void;
}

/** Registers one handler per channel of the contract; each validates the sender, then the request (in dispatch). */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, service: IpcTarget): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(wireName(channel), async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event.senderFrame)) return { ok: false, error: errorValue('INVALID_INPUT', { field: 'sender', reason: 'untrusted frame' }) };
      service.touch();
      return service.invoke(channel, request);
    });
  }
}
