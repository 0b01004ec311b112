import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { CHANNEL_NAMES, CHANNELS, EVENTS, wireName, type Result } from '../../shared/ipc/contract.js';
import { startApp } from '../../electron/host/app.js';
import { contentSecurityPolicy } from '../../electron/host/security.js';
import { tempDir } from '../helpers/vault.js';
import { fakeElectron } from './fake-electron.js';

const trusted = { senderFrame: { url: 'app://renderer/index.html', parent: null } };

describe('Electron host (faked electron module)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let fake: ReturnType<typeof fakeElectron>;
  let started: Awaited<ReturnType<typeof startApp>>;
  const invoke = async (channel: string, request: unknown, event: unknown = trusted) => {
    const handler = fake.handlers.get(wireName(channel as never));
    assert.ok(handler, `no handler for ${channel}`);
    return (await (handler as (e: unknown, r: unknown) => Promise<Result<unknown>>)(event, request)) as Result<Record<string, unknown>>;
  };

  before(async () => {
    dir = await tempDir('redress-host-');
    fake = fakeElectron({ userData: dir.path });
    started = await startApp(fake.electron, { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_TEST_KDF: '1', REDRESS_ACTOR: 'host test' });
  });
  after(async () => {
    await started?.core.close();
    await dir.cleanup();
  });

  test('the window follows the security checklist and loads the app scheme', () => {
    assert.equal(fake.windows.length, 1);
    const prefs = fake.windows[0]!.options.webPreferences;
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.allowRunningInsecureContent, false);
    assert.equal(prefs.webviewTag, false);
    assert.equal(prefs.spellcheck, false, 'the spellchecker would download dictionaries');
    assert.match(String(prefs.preload), /preload\.cjs$/);
    assert.equal(fake.windows[0]!.loadedUrl, 'app://renderer/index.html');
    assert.equal(fake.app.sandboxEnabled, true);
  });

  test('the app and item schemes are registered as privileged before ready', () => {
    const schemes = fake.privileged as { scheme: string; privileges: Record<string, boolean> }[];
    assert.deepEqual(schemes.map((s) => s.scheme).sort(), ['app', 'redress-item']);
    assert.equal(schemes.find((s) => s.scheme === 'app')!.privileges.secure, true);
  });

  test('CSP: only the app itself, no remote origin, no inline or eval script', () => {
    const csp = contentSecurityPolicy();
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'self'"]);
    assert.deepEqual(directives['object-src'], ["'none'"]);
    assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|https?:|\*/);
    const headers: Record<string, string[]> = {};
    fake.session.headersReceived!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => Object.assign(headers, r.responseHeaders));
    assert.deepEqual(headers['Content-Security-Policy'], [csp]);
  });

  test('navigation, redirects, new windows and webviews are blocked', () => {
    const contents = Object.assign(new EventEmitter(), { openHandler: null as null | ((d: unknown) => { action: string }), setWindowOpenHandler(fn: (d: unknown) => { action: string }) { contents.openHandler = fn; } });
    fake.app.emit('web-contents-created', {}, contents);
    const attempt = (event: string, url?: string) => {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    assert.equal(attempt('will-navigate', 'https://example.com/phish'), true);
    assert.equal(attempt('will-navigate', 'file:///etc/passwd'), true);
    assert.equal(attempt('will-redirect', 'http://127.0.0.1:8080/'), true);
    assert.equal(attempt('will-navigate', 'app://renderer/index.html'), false);
    assert.equal(attempt('will-attach-webview'), true);
    assert.deepEqual(contents.openHandler!({ url: 'https://example.com' }), { action: 'deny' });
  });

  test('permission requests are denied except the clipboard write a feature needs', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'display-capture', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial', 'usb']) {
      let granted: boolean | null = null;
      fake.session.permissionRequest!({}, permission, (ok) => (granted = ok));
      assert.equal(granted, false, permission);
      assert.equal(fake.session.permissionCheck!({}, permission), false, permission);
    }
    let granted: boolean | null = null;
    fake.session.permissionRequest!({}, 'clipboard-sanitized-write', (ok) => (granted = ok));
    assert.equal(granted, true);
    assert.equal(fake.session.devicePermission!(), false);
    let streams: unknown = 'unset';
    fake.session.displayMedia!({}, (s) => (streams = s));
    assert.deepEqual(streams, {});
    assert.equal(fake.session.spellChecker, false);
  });

  test('every network request from the session is refused; only the app schemes load', () => {
    const cancelled = (url: string) => {
      let result: boolean | null = null;
      fake.session.beforeRequest!({ url }, (r) => (result = r.cancel));
      return result;
    };
    for (const url of ['https://example.com/', 'http://127.0.0.1:3000/', 'ws://localhost/', 'wss://x.y/', 'file:///etc/passwd', 'ftp://a/b', 'app://other-host/index.html', 'not a url']) {
      assert.equal(cancelled(url), true, url);
    }
    for (const url of ['app://renderer/index.html', 'app://renderer/assets/index.js', 'redress-item://item/abc', 'data:image/png;base64,AA==']) {
      assert.equal(cancelled(url), false, url);
    }
  });

  test('a second instance quits at once and focuses nothing new', async () => {
    const second = fakeElectron({ userData: dir.path, singleInstance: false });
    assert.equal(await startApp(second.electron, { REDRESS_DATA_DIR: join(dir.path, 'vault2') }), null);
    assert.equal(second.app.quitCalled, true);
    assert.equal(second.windows.length, 0);
    assert.ok(fake.app.listenerCount('second-instance') > 0);
  });

  test('every channel of the contract is registered, and nothing else', () => {
    assert.deepEqual([...fake.handlers.keys()].sort(), CHANNEL_NAMES.map((c) => wireName(c)).sort());
  });

  test('every channel rejects invalid payloads with a typed error before the core runs', async () => {
    for (const channel of CHANNEL_NAMES) {
      for (const bad of [42, 'x', [], { unexpected: true }]) {
        const r = await invoke(channel, bad);
        assert.equal(r.ok, false, `${channel} accepted ${JSON.stringify(bad)}`);
        if (!r.ok) {
          assert.equal(r.error.code, 'INVALID_INPUT', channel);
          assert.equal(r.error.messageKey, 'errors.invalidInput');
          assert.doesNotMatch(JSON.stringify(r.error), /at .*\.(ts|js):\d+/, 'no stack trace');
        }
      }
    }
    // a file path is never accepted: adding from disk takes only a case id
    const withPath = await invoke('items.pickAndAdd', { caseId: 'abc', path: '/etc/passwd' });
    assert.equal(withPath.ok, false);
  });

  test('requests from a frame other than the app page are refused', async () => {
    for (const senderFrame of [{ url: 'https://evil.example/', parent: null }, { url: 'app://renderer/index.html', parent: {} }, null]) {
      const r = await invoke('vault.status', {}, { senderFrame });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.params.field, 'sender');
    }
    const ok = await invoke('vault.status', {});
    assert.deepEqual(ok, { ok: true, value: { exists: false, unlocked: false } });
  });

  test('the renderer is served from the app scheme with the CSP; nothing outside its folder', async () => {
    const serve = fake.protocolHandlers.get('app')!;
    const index = await serve(new Request('app://renderer/index.html'));
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('Content-Security-Policy'), contentSecurityPolicy());
    assert.match(await index.text(), /<div id="root">/);
    for (const url of ['app://renderer/%2e%2e%2f%2e%2e%2fpackage.json', 'app://renderer/..%2f..%2fpackage.json', 'app://elsewhere/index.html']) {
      assert.notEqual((await serve(new Request(url))).status, 200, url);
    }
  });

  test('previews are served only for image items of the open vault', async () => {
    const serveItem = fake.protocolHandlers.get('redress-item')!;
    const created = await invoke('vault.create', { passphrase: 'host test passphrase' });
    assert.equal(created.ok, true);
    const kase = await invoke('cases.create', { title: 'Host', incidentType: 'phishing' });
    assert.ok(kase.ok);
    const caseId = (kase as unknown as { value: { id: string } }).value.id;
    const png = join(dir.path, 'shot.png');
    const txt = join(dir.path, 'note.txt');
    await writeFile(png, await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } }).png().toBuffer());
    await writeFile(txt, 'hello');
    fake.pick([png, txt]);
    const added = await invoke('items.pickAndAdd', { caseId });
    assert.ok(added.ok);
    const [image, text] = (added as unknown as { value: { added: { id: string; mediaType: string }[] } }).value.added;
    assert.equal(image!.mediaType, 'image/png');
    const res = await serveItem(new Request(`redress-item://item/${image!.id}`));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'image/png');
    assert.equal(res.headers.get('X-Content-Type-Options'), 'nosniff');
    assert.equal((await serveItem(new Request(`redress-item://item/${text!.id}`))).status, 404, 'non-image items are not rendered');
    assert.equal((await serveItem(new Request('redress-item://item/00000000-0000-0000-0000-000000000000'))).status, 404);
    assert.equal((await serveItem(new Request('redress-item://item/..%2fvault.json'))).status, 404);

    // locking (here: the screen locks) closes the vault, tells the renderer, and previews stop
    fake.powerMonitor.emit('lock-screen');
    for (let i = 0; i < 200 && (await started!.core.unlocked()); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await started!.core.unlocked(), false);
    assert.deepEqual(fake.windows[0]!.sent.at(-1), [wireName('vault.locked'), { reason: 'system' }]);
    assert.equal((await serveItem(new Request(`redress-item://item/${image!.id}`))).status, 404);
  });

  test('the preload exposes only invoke/on, forwarding contract channels and nothing else', () => {
    const require = createRequire(import.meta.url);
    const exposed: Record<string, unknown> = {};
    const calls: unknown[][] = [];
    const listeners: string[] = [];
    const electronPath = require.resolve('electron');
    require.cache[electronPath] = {
      exports: {
        contextBridge: { exposeInMainWorld: (key: string, value: unknown) => void (exposed[key] = value) },
        ipcRenderer: {
          invoke: (...args: unknown[]) => (calls.push(args), Promise.resolve({ ok: true, value: null })),
          on: (name: string) => void listeners.push(name),
          removeListener: () => undefined,
        },
      },
    } as never;
    try {
      const preload = require('../../electron/host/preload.cts') as { CHANNELS: string[]; EVENTS: string[] };
      assert.deepEqual([...preload.CHANNELS].sort(), [...CHANNEL_NAMES].sort());
      assert.deepEqual([...preload.EVENTS].sort(), Object.keys(EVENTS).sort());
      assert.deepEqual(Object.keys(exposed), ['redress']);
      const bridge = exposed.redress as Record<string, (...a: unknown[]) => unknown>;
      assert.deepEqual(Object.keys(bridge).sort(), ['invoke', 'on']);
      void bridge.invoke!('cases.list', { search: 'x' });
      assert.deepEqual(calls, [['redress:cases.list', { search: 'x' }]]);
      void bridge.invoke!('ipcRenderer.send', {});
      assert.equal(calls.length, 1, 'unknown channels never reach ipcRenderer');
      bridge.on!('vault.locked', () => undefined);
      bridge.on!('not-an-event', () => undefined);
      assert.deepEqual(listeners, ['redress:vault.locked']);
    } finally {
      delete require.cache[electronPath];
    }
  });

  test('the contract has a request and a response schema for every channel', () => {
    for (const [name, spec] of Object.entries(CHANNELS)) {
      assert.equal(typeof spec.request.safeParse, 'function', name);
      assert.equal(typeof spec.response.safeParse, 'function', name);
    }
  });
});
