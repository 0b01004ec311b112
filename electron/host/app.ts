import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow } from 'electron';
import { wireName } from '../../shared/ipc/contract.js';
import { CoreClient } from '../core/worker/core-client.js';
import { defaultActor } from '../core/data-dir.js';
import { createCapturer } from './capture.js';
import { pickBundleFile, pickEvidenceFiles, pickOutputFolder, pickSavePath } from './dialogs.js';
import type { ElectronApi } from './electron-api.js';
import { registerIpc } from './ipc.js';
import { itemUrl, registerProtocols, registerSchemes } from './protocol.js';
import { ensureSingleInstance, hardenSession, hardenWebContents } from './security.js';
import { createMainWindow } from './window.js';

const here = fileURLToPath(new URL('.', import.meta.url));
export const PRELOAD_PATH = join(here, 'preload.cjs');
/** The project root: three levels up from dist/electron/host when built, two from electron/host when run from source. */
const projectRoot = basename(dirname(dirname(here))) === 'dist' ? join(here, '..', '..', '..') : join(here, '..', '..');
export const RENDERER_DIR = join(projectRoot, 'renderer', 'dist');

/** Wires the desktop app together. Everything Electron is passed in, so tests can run it against a fake. */
export async function startApp(e: ElectronApi, env: NodeJS.ProcessEnv = process.env): Promise<{ core: CoreClient; window: () => BrowserWindow | null } | null> {
  registerSchemes(e.protocol);
  let win: BrowserWindow | null = null;
  const focus = () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  if (!ensureSingleInstance(e.app, focus)) return null;
  e.app.enableSandbox();
  hardenWebContents(e.app);
  await e.app.whenReady();

  const ses = e.session.defaultSession;
  hardenSession(ses);
  const userData = e.app.getPath('userData');
  const capturer = createCapturer(e.desktopCapturer, e.screen, () => win);
  // The core runs in a worker thread: this process keeps only windows, dialogs, capture, power events and IPC, so a
  // long import or packet never freezes a window.
  const core = await CoreClient.start({
    dataDir: env.REDRESS_DATA_DIR || join(userData, 'data'),
    prefsFile: join(userData, 'prefs.json'),
    actor: defaultActor('redress-app', env),
    ...(env.REDRESS_TEST_KDF === '1' ? { kdf: { name: 'scrypt' as const, N: 2 ** 10, r: 8, p: 1 } } : {}),
    canCapture: true,
    previewUrlPrefix: itemUrl(''),
    host: {
      pickFiles: () => pickEvidenceFiles(e.dialog, win),
      pickFolder: () => pickOutputFolder(e.dialog, win),
      pickBundle: () => pickBundleFile(e.dialog, win),
      saveFile: (name, extensions) => pickSavePath(e.dialog, win, name, extensions),
      captureSources: () => capturer.sources(),
      capture: (sourceId) => capturer.capture(sourceId),
    },
    onEvent: (event, payload) => win?.webContents.send(wireName(event), payload),
  });
  registerProtocols(ses.protocol, RENDERER_DIR, core);
  registerIpc(e.ipcMain, core);

  // Locking the screen or suspending locks the vault too: the evidence should not be readable on a walked-away machine.
  // Nobody awaits these: a lock the core can no longer answer (it stopped, or is being closed) has nothing left to
  // lock, and must not become an unhandled rejection.
  const lockNow = () => void core.lock('system').catch(() => undefined);
  e.powerMonitor.on('lock-screen', lockNow);
  e.powerMonitor.on('suspend', lockNow);
  e.app.on('window-all-closed', () => {
    void core.close().catch(() => undefined).finally(() => e.app.quit());
  });

  win = createMainWindow(e, PRELOAD_PATH);
  win.on('closed', () => (win = null));
  return { core, window: () => win };
}
