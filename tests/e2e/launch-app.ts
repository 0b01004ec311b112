import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import mime from 'mime-types';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { wireName } from '../../shared/ipc/contract.js';
import { PREVIEW_HEADERS } from '../../electron/core/app-service/preview.js';
import type { ScreenCapturer } from '../../electron/core/app-service/service.js';
import { CoreClient } from '../../electron/core/worker/core-client.js';
import { contentSecurityPolicy } from '../../electron/host/security.js';
import { TEST_KDF } from '../helpers/vault.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIST = join(root, 'renderer', 'dist');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface LaunchOptions {
  dataDir: string;
  /** UI locale of the browser (navigator.language), default en-US */
  locale?: string;
  viewport?: { width: number; height: number };
}

export interface LaunchedApp {
  page: Page;
  close(): Promise<void>;
  /** the core worker the page talks to, as the Electron host does (for tests that reach behind the UI, e.g. auto-lock timing) */
  core: CoreClient;
  /** what the next "Add files…" dialog returns, as the user's pick in the main process would */
  setNextFiles(paths: string[]): void;
  /** what the next folder dialog (a packet's output) returns; null = the user cancelled */
  setNextFolder(path: string | null): void;
  /** what the next save dialog (bundle, statistics export) returns; null = the user cancelled */
  setNextSave(path: string | null): void;
  /** what the next "open a case bundle" dialog returns; null = the user cancelled */
  setNextBundle(path: string | null): void;
  /** Content-Security-Policy violations the page reported */
  cspViolations: string[];
  /** injects axe-core (served from the app's own origin, so the CSP stays on) and returns serious/critical violations */
  axe(): Promise<{ id: string; impact: string; help: string; nodes: string[] }[]>;
}

/**
 * Runs the built renderer (renderer/dist) in Debian's Chromium against the real core: the page gets the same
 * window.redress API the Electron preload exposes, and each call is forwarded to an AppService on a real vault in
 * dataDir, through the same dispatch (schema validation both ways) as the Electron IPC handlers. The renderer is
 * served over a local origin with the app's CSP, so a CSP violation shows up here as it would in the app.
 */
export async function launchApp(options: LaunchOptions): Promise<LaunchedApp> {
  if (!existsSync(join(RENDERER_DIST, 'index.html'))) throw new Error('renderer/dist is missing: run "npm run build:renderer" first');
  let page: Page | null = null;
  let nextFiles: string[] = [];
  let nextFolder: string | null = null;
  let nextSave: string | null = null;
  let nextBundle: string | null = null;
  const capturer = fakeCapturer();
  const core = await CoreClient.start({
    dataDir: join(options.dataDir, 'data'),
    prefsFile: join(options.dataDir, 'prefs.json'),
    actor: 'e2e test',
    kdf: TEST_KDF,
    platform: 'test',
    canCapture: true,
    previewUrlPrefix: '/__item/',
    host: {
      pickFiles: async () => {
        const picked = nextFiles;
        nextFiles = [];
        return picked;
      },
      pickFolder: async () => {
        const picked = nextFolder;
        nextFolder = null;
        return picked;
      },
      saveFile: async () => {
        const picked = nextSave;
        nextSave = null;
        return picked;
      },
      pickBundle: async () => {
        const picked = nextBundle;
        nextBundle = null;
        return picked;
      },
      captureSources: () => capturer.sources(),
      capture: (sourceId) => capturer.capture(sourceId),
    },
    onEvent: (event, payload) => {
      void page?.evaluate(([name, data]) => (globalThis as unknown as { __redressEmit(n: string, d: unknown): void }).__redressEmit(name, data), [wireName(event), payload] as const).catch(() => undefined);
    },
  });
  const server = await serve(core);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 1280, height: 840 }, timezoneId: 'Asia/Shanghai' });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });

  await page.exposeBinding('__redressInvoke', async (_source, channel: string, request: unknown) => {
    core.touch();
    // as a JSON string: Playwright's own value serializer takes seconds for a 10,000-item list, JSON.parse milliseconds
    return JSON.stringify(await core.invoke(channel, decodeBytes(request)));
  });
  await page.addInitScript(BRIDGE_SCRIPT);
  await page.goto(`${origin}/index.html`);
  await page.locator('h1, h2').first().waitFor();

  return {
    page,
    core,
    cspViolations,
    setNextFiles: (paths) => void (nextFiles = paths),
    setNextFolder: (path) => void (nextFolder = path),
    setNextSave: (path) => void (nextSave = path),
    setNextBundle: (path) => void (nextBundle = path),
    async axe() {
      await page!.addScriptTag({ url: `${origin}/__test/axe.min.js` });
      const result = (await page!.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run(opts: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
        const r = await axe.run({ resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
      })) as { id: string; impact: string; help: string; nodes: string[] }[];
      return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    },
    async close() {
      await browser.close().catch(() => undefined);
      await new Promise<void>((r) => server.close(() => r()));
      await core.close();
    },
  };
}

/**
 * The page side of the bridge: the same { invoke, on } object the Electron preload exposes. Bytes (paste, drop)
 * travel as base64 because the binding carries JSON; the Electron IPC carries them natively.
 */
const BRIDGE_SCRIPT = `(() => {
  const listeners = new Map();
  const encode = (value) => {
    if (value instanceof Uint8Array) {
      let s = '';
      for (let i = 0; i < value.length; i += 0x8000) s += String.fromCharCode.apply(null, value.subarray(i, i + 0x8000));
      return { __bytes: btoa(s) };
    }
    if (Array.isArray(value)) return value.map(encode);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
    return value;
  };
  window.__redressEmit = (name, payload) => { for (const l of listeners.get(name) ?? []) l(payload); };
  window.redress = Object.freeze({
    invoke: (channel, request) => window.__redressInvoke(channel, encode(request)).then((json) => JSON.parse(json)),
    on: (event, listener) => {
      const name = 'redress:' + event;
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(listener);
      return () => listeners.get(name).delete(listener);
    },
  });
})();`;

function decodeBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeBytes);
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if (typeof v.__bytes === 'string' && Object.keys(v).length === 1) return new Uint8Array(Buffer.from(v.__bytes, 'base64'));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeBytes(x)]));
  }
  return value;
}

async function serve(core: Pick<CoreClient, 'readPreview'>): Promise<Server> {
  const dist = resolve(RENDERER_DIST);
  const csp = contentSecurityPolicy("'self'");
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/__item/')) {
      const preview = await core.readPreview(decodeURIComponent(url.pathname.slice('/__item/'.length))).catch(() => null);
      if (!preview) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': preview.mediaType, ...PREVIEW_HEADERS });
      return void res.end(preview.data);
    }
    if (url.pathname === '/__test/axe.min.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' });
      return void res.end(await readFile(AXE_PATH));
    }
    const file = resolve(dist, '.' + decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    if (!file.startsWith(dist + sep) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': mime.contentType(extname(file)) || 'application/octet-stream', 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return server;
}

/** Stands in for desktopCapturer: one screen and one window, captured as a generated image. */
function fakeCapturer(): ScreenCapturer {
  const sources = [
    { id: 'screen:0:0', name: 'Entire screen', kind: 'screen' as const, thumbnail: null },
    { id: 'window:42:0', name: 'WeChat — chat with "Agent Li"', kind: 'window' as const, thumbnail: null },
  ];
  return {
    sources: async () => sources,
    capture: async (id) => {
      const source = sources.find((s) => s.id === id);
      if (!source) throw new Error('no such source');
      const png = await sharp({ create: { width: 640, height: 400, channels: 3, background: { r: 40, g: 90, b: 160 } } }).png().toBuffer();
      return { png, name: source.name, kind: source.kind };
    },
  };
}
