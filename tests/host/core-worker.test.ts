// The core in its worker thread, as the Electron host and the e2e harness reach it.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMainThread, Worker } from 'node:worker_threads';
import { CoreClient } from '../../electron/core/worker/core-client.js';
import type { HostCalls } from '../../electron/core/worker/protocol.js';
import { noHost } from '../helpers/host-calls.js';
import { TEST_KDF, tempDir } from '../helpers/vault.js';

describe('the core worker', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: CoreClient;
  const events: [string, unknown][] = [];
  let pickFiles: HostCalls['pickFiles'] = async () => [];
  before(async () => {
    dir = await tempDir();
    core = await CoreClient.start({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'worker test',
      kdf: TEST_KDF,
      canCapture: false,
      previewUrlPrefix: 'redress-item://item/',
      host: noHost({ pickFiles: () => pickFiles() }),
      onEvent: (event, payload) => events.push([event, payload]),
    });
  });
  after(async () => {
    await core.close();
    await dir.cleanup();
  });

  it('serves the contract from another thread', async () => {
    assert.equal(isMainThread, true);
    assert.equal(core.startFailure, null);
    assert.deepEqual(await core.call('vault.status', {}), { exists: false, unlocked: false });
    const info = await core.call('app.info', {});
    assert.equal(info.canCapture, false);
  });

  it('validates in the worker: an unknown channel or a bad payload is a typed error value', async () => {
    const unknown = await core.invoke('vault.delete', {});
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.error.code, 'INVALID_INPUT');
    const bad = await core.invoke('cases.create', { title: 42 });
    assert.equal(!bad.ok && bad.error.messageKey, 'errors.invalidInput');
  });

  it('asks the host for dialogs, and a failing dialog is an error, not a hang', async () => {
    await core.call('vault.create', { passphrase: 'a passphrase long enough' });
    const kase = await core.call('cases.create', { title: 'x', incidentType: 'other' });
    const file = join(dir.path, 'note.txt');
    await writeFile(file, 'evidence');
    pickFiles = async () => [file];
    const added = await core.call('items.pickAndAdd', { caseId: kase.id });
    assert.equal(added.added.length, 1);
    pickFiles = async () => {
      throw new Error('dialog failed');
    };
    const failed = await core.invoke('items.pickAndAdd', { caseId: kase.id });
    assert.equal(failed.ok, false);
  });

  it('locks on the host\'s word and tells the window', async () => {
    assert.equal(await core.unlocked(), true);
    await core.lock('system');
    assert.equal(await core.unlocked(), false);
    assert.deepEqual(events.at(-1), ['vault.locked', { reason: 'system' }]);
    assert.equal(await core.readPreview('00000000-0000-0000-0000-000000000000'), null);
  });

  it('a stopped core answers with an error value instead of leaving the window waiting', async () => {
    const other = await CoreClient.start({
      dataDir: join(dir.path, 'data2'),
      prefsFile: join(dir.path, 'prefs2.json'),
      actor: 't',
      canCapture: false,
      previewUrlPrefix: 'x:',
      host: noHost(),
      onEvent: () => undefined,
    });
    await other.close();
    const r = await other.invoke('vault.status', {});
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.error.code, 'INTERNAL');
  });

  it('a native module that fails to load in the worker is NATIVE_MODULE_BROKEN for every request, not a crash or a hang', async () => {
    const broken = join(dir.path, 'broken.node');
    await writeFile(broken, Buffer.from('not a shared object'));
    // the worker's module loading fails the way a binary built for another system does: dlopen refuses it
    const spawn = () => new Worker(`process.dlopen({ exports: {} }, ${JSON.stringify(broken)});`, { eval: true });
    const other = await CoreClient.start(
      {
        dataDir: join(dir.path, 'data3'),
        prefsFile: join(dir.path, 'prefs3.json'),
        actor: 't',
        canCapture: false,
        previewUrlPrefix: 'x:',
        host: noHost(),
        onEvent: () => undefined,
      },
      spawn,
    );
    assert.equal(other.startFailure?.code, 'NATIVE_MODULE_BROKEN');
    assert.equal(other.startFailure?.messageKey, 'errors.nativeModuleBroken');
    const r = await other.invoke('vault.status', {});
    assert.equal(!r.ok && r.error.code, 'NATIVE_MODULE_BROKEN');
    await other.close();
  });
});
