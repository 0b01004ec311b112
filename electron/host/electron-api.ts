import type { App, BrowserWindow, DesktopCapturer, Dialog, IpcMain, PowerMonitor, Protocol, Screen, Session } from 'electron';

/**
 * The parts of Electron the host uses, passed in rather than imported, so that the host's security wiring can be
 * unit-tested in plain Node against a fake (tests/host). main.ts passes the real module.
 */
export interface ElectronApi {
  app: App;
  BrowserWindow: typeof BrowserWindow;
  ipcMain: IpcMain;
  protocol: Protocol;
  session: { defaultSession: Session };
  dialog: Dialog;
  desktopCapturer: DesktopCapturer;
  screen: Screen;
  powerMonitor: PowerMonitor;
}
