import type { BrowserWindow, WebPreferences } from 'electron';
import type { ElectronApi } from './electron-api.js';
import { APP_ENTRY } from './protocol.js';

/** Electron's security checklist, as web preferences. Tests assert each of these. */
export function webPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools,
  };
}

export function createMainWindow(e: Pick<ElectronApi, 'BrowserWindow' | 'app'>, preload: string): BrowserWindow {
  const win = new e.BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Redress',
    backgroundColor: '#f6f7f9',
    webPreferences: webPreferences(preload, !e.app.isPackaged),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}
