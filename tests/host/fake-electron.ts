import { EventEmitter } from 'node:events';
import type { ElectronApi } from '../../electron/host/electron-api.js';

type Fn = (...args: never[]) => unknown;

/** A stand-in for the parts of Electron the host uses, recording what the host registers. */
export function fakeElectron(options: { userData: string; singleInstance?: boolean }) {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    quitCalled: false,
    sandboxEnabled: false,
    requestSingleInstanceLock: () => options.singleInstance ?? true,
    quit() {
      app.quitCalled = true;
    },
    exit() {},
    enableSandbox() {
      app.sandboxEnabled = true;
    },
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
      return options.userData;
    },
  });
  const windows: FakeWindow[] = [];
  class FakeWindow extends EventEmitter {
    loadedUrl: string | null = null;
    sent: [string, unknown][] = [];
    webContents = { send: (channel: string, payload: unknown) => void this.sent.push([channel, payload]) };
    constructor(readonly options: { webPreferences: Record<string, unknown> } & Record<string, unknown>) {
      super();
      windows.push(this);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    show() {}
    hide() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    getMediaSourceId() {
      return 'window:1:0';
    }
  }
  const handlers = new Map<string, Fn>();
  const ipcMain = { handle: (name: string, fn: Fn) => void handlers.set(name, fn) };
  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  interface Recorded {
    permissionRequest: null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void);
    permissionCheck: null | ((wc: unknown, permission: string) => boolean);
    devicePermission: null | (() => boolean);
    displayMedia: null | ((req: unknown, cb: (streams: unknown) => void) => void);
    beforeRequest: null | ((details: { url: string }, cb: (r: { cancel: boolean }) => void) => void);
    headersReceived: null | ((details: { responseHeaders: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void);
    spellChecker: boolean;
  }
  const recorded: Recorded = { permissionRequest: null, permissionCheck: null, devicePermission: null, displayMedia: null, beforeRequest: null, headersReceived: null, spellChecker: true };
  const session = Object.assign(recorded, {
    setPermissionRequestHandler: (fn: Recorded['permissionRequest']) => void (recorded.permissionRequest = fn),
    setPermissionCheckHandler: (fn: Recorded['permissionCheck']) => void (recorded.permissionCheck = fn),
    setDevicePermissionHandler: (fn: Recorded['devicePermission']) => void (recorded.devicePermission = fn),
    setDisplayMediaRequestHandler: (fn: Recorded['displayMedia']) => void (recorded.displayMedia = fn),
    setSpellCheckerEnabled: (on: boolean) => void (recorded.spellChecker = on),
    webRequest: {
      onBeforeRequest: (fn: Recorded['beforeRequest']) => void (recorded.beforeRequest = fn),
      onHeadersReceived: (fn: Recorded['headersReceived']) => void (recorded.headersReceived = fn),
    },
    protocol: { handle: (scheme: string, fn: (req: Request) => Promise<Response>) => void protocolHandlers.set(scheme, fn) },
  });
  const powerMonitor = new EventEmitter();
  let nextPick: string[] = [];
  const api = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain,
    protocol: { registerSchemesAsPrivileged: (s: unknown[]) => void privileged.push(...s) },
    session: { defaultSession: session },
    dialog: { showOpenDialog: async () => ({ canceled: nextPick.length === 0, filePaths: nextPick }) },
    desktopCapturer: { getSources: async () => [] },
    screen: { getPrimaryDisplay: () => ({ size: { width: 800, height: 600 }, scaleFactor: 1 }) },
    powerMonitor,
  };
  return {
    electron: api as unknown as ElectronApi,
    app,
    windows,
    handlers,
    privileged,
    protocolHandlers,
    session,
    powerMonitor,
    pick: (paths: string[]) => void (nextPick = paths),
  };
}
