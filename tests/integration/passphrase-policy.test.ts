import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Result } from '../../shared/ipc/contract.js';
import { dispatch } from '../../electron/core/app-service/dispatch.js';
import { AppService } from '../../electron/core/app-service/service.js';
import { exportBundle } from '../../electron/core/bundles/index.js';
import { RedressError } from '../../electron/core/errors.js';
import { changeVaultPassphrase } from '../../electron/core/vault/change-passphrase.js';
import { wrapKey, unwrapKey } from '../../electron/core/vault/keys.js';
import { keyAad, readKeyFile, writeKeyFile } from '../../electron/core/vault/keyfile.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { PASSPHRASE, TEST_KDF, newVault, openVault, tempDir } from '../helpers/vault.js';

const weak = (reason: string) => (e: unknown) => {
  assert.ok(e instanceof RedressError, String(e));
  assert.equal(e.code, 'PASSPHRASE_WEAK');
  assert.equal(e.value.params.reason, reason);
  return true;
};
const STRONG = 'plaza tumble oyster quantum';
const STRONGER = '外婆家门口的老槐树开花了';

describe('the core enforces the passphrase rule wherever a passphrase is set', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => (dir = await tempDir('redress-pass-')));
  afterEach(() => dir.cleanup());

  for (const [passphrase, reason] of [
    ['12345678', 'common'],
    ['password', 'common'],
    ['        ', 'guessable'],
    ['woaini1314', 'common'],
    ['13800138000', 'digits'],
  ] as const) {
    test(`Vault.create refuses ${JSON.stringify(passphrase)} and writes nothing`, async () => {
      const dataDir = join(dir.path, 'data');
      await assert.rejects(Vault.create(dataDir, passphrase, { actor: 't', kdf: TEST_KDF }), weak(reason));
      assert.equal(await Vault.exists(dataDir), false);
    });
  }

  test('Vault.recover refuses a weak new passphrase and leaves the old one working', async () => {
    const { vault, recoveryCode } = await newVault(dir.path);
    await vault.close();
    await assert.rejects(Vault.recover(dir.path, recoveryCode, 'password1', { actor: 't' }), weak('common'));
    (await openVault(dir.path)).close();
  });

  test('an existing vault whose passphrase is weak still opens: the rule is for setting, not unlocking', async () => {
    const { vault } = await newVault(dir.path);
    const kase = vault.cases.create({ title: 'before the rule', incidentType: 'phishing' });
    await vault.close();
    // what a vault created by an older version (length >= 8 only) holds
    const keyFile = (await readKeyFile(dir.path))!;
    const master = (await unwrapKey(keyFile.passphrase, PASSPHRASE, keyFile.kdf, keyAad(keyFile.vaultId, 'passphrase')))!;
    await writeKeyFile(dir.path, { ...keyFile, passphrase: await wrapKey(master, '12345678', keyFile.kdf, keyAad(keyFile.vaultId, 'passphrase')) });
    const old = await Vault.open(dir.path, '12345678', { actor: 't' });
    assert.equal(old.cases.get(kase.id).title, 'before the rule');
    // and it can move to a strong passphrase
    await changeVaultPassphrase(old, '12345678', STRONG);
    await old.close();
    (await Vault.open(dir.path, STRONG, { actor: 't' })).close();
  });

  test('change passphrase: checks the current one, refuses a weak new one, and the recovery code keeps working', async () => {
    const { vault, recoveryCode } = await newVault(dir.path);
    const kase = vault.cases.create({ title: '冒充客服', incidentType: 'impersonation' });
    // the vault records the new custody head in vault.json in the background (vault/heads.ts): let it land first
    await vault.recordHeads();
    const before = await readFile(join(dir.path, 'vault.json'), 'utf8');
    await assert.rejects(changeVaultPassphrase(vault, 'not the passphrase', STRONG), (e: unknown) => e instanceof RedressError && e.code === 'WRONG_PASSPHRASE');
    await assert.rejects(changeVaultPassphrase(vault, PASSPHRASE, 'woaini1314'), weak('common'));
    await assert.rejects(changeVaultPassphrase(vault, PASSPHRASE, '        '), weak('guessable'));
    assert.equal(await readFile(join(dir.path, 'vault.json'), 'utf8'), before, 'a refused change writes nothing');

    await changeVaultPassphrase(vault, PASSPHRASE, STRONG);
    // the open handle's key file is the new one (workers attached later get it)
    assert.deepEqual(vault.keyFile, await readKeyFile(dir.path));
    const after = JSON.parse(await readFile(join(dir.path, 'vault.json'), 'utf8'));
    const old = JSON.parse(before);
    assert.deepEqual(after.recovery, old.recovery, 'the recovery slot is untouched');
    assert.notDeepEqual(after.passphrase, old.passphrase);
    assert.equal(after.vaultId, old.vaultId);
    await vault.close();

    await assert.rejects(openVault(dir.path), (e: unknown) => e instanceof RedressError && e.code === 'WRONG_PASSPHRASE');
    const reopened = await Vault.open(dir.path, STRONG, { actor: 't' });
    assert.equal(reopened.cases.get(kase.id).title, '冒充客服');
    await reopened.close();

    const recovered = await Vault.recover(dir.path, recoveryCode, STRONGER, { actor: 't' });
    assert.equal(recovered.cases.get(kase.id).title, '冒充客服');
    await recovered.close();
    await assert.rejects(Vault.open(dir.path, STRONG, { actor: 't' }), (e: unknown) => e instanceof RedressError && e.code === 'WRONG_PASSPHRASE');
    (await Vault.open(dir.path, STRONGER, { actor: 't' })).close();
  });

  test('a bundle is never sealed with a weak transfer passphrase', async () => {
    const { vault } = await newVault(dir.path);
    const kase = vault.cases.create({ title: 'x', incidentType: 'phishing' });
    const out = join(dir.path, 'case.redress');
    await assert.rejects(exportBundle(vault, kase.id, { out, passphrase: '12345678', kdf: TEST_KDF }), weak('common'));
    await assert.rejects(exportBundle(vault, kase.id, { out, passphrase: '5201314520', kdf: TEST_KDF }), weak('common'));
    await assert.rejects(readFile(out), /ENOENT/);
    assert.deepEqual(vault.log(kase.id).map((e) => e.action), ['case.created'], 'no export entry for a refused passphrase');
    await vault.close();
  });
});

describe('AppService: vault.changePassphrase and the transfer passphrase of bundle.exportStart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: AppService;
  const call = async (channel: string, request: unknown = {}) => (await dispatch(service.handlers, channel, request)) as Result<Record<string, unknown>>;
  const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code);

  beforeEach(async () => {
    dir = await tempDir('redress-pass-service-');
    service = new AppService({
      dataDir: join(dir.path, 'data'),
      prefsFile: join(dir.path, 'prefs.json'),
      actor: 'service test',
      kdf: TEST_KDF,
      pickFiles: async () => [],
      saveFile: async () => assert.fail('no dialog for a refused passphrase'),
      capturer: null,
      previewUrl: (id) => `redress-item://item/${id}`,
      emit: () => undefined,
    });
    await service.init();
  });
  afterEach(async () => {
    await service.lock('system');
    await dir.cleanup();
  });

  test('vault.create refuses "password" with the reason as a parameter', async () => {
    const r = await call('vault.create', { passphrase: 'password' });
    assert.equal(code(r), 'PASSPHRASE_WEAK');
    assert.equal(!r.ok && r.error.params.reason, 'common');
  });

  test('vault.changePassphrase: locked, mismatch, wrong current, weak, then changed; the recovery code still opens', async () => {
    assert.equal(code(await call('vault.changePassphrase', { current: STRONG, next: STRONGER, nextRepeat: STRONGER })), 'VAULT_LOCKED');
    const created = await call('vault.create', { passphrase: STRONG });
    assert.ok(created.ok);
    const recoveryCode = created.value.recoveryCode as string;
    assert.equal(code(await call('vault.changePassphrase', { current: STRONG, next: STRONGER, nextRepeat: STRONGER + 'x' })), 'PASSPHRASE_MISMATCH');
    assert.equal(code(await call('vault.changePassphrase', { current: 'not it at all', next: STRONGER, nextRepeat: STRONGER })), 'WRONG_PASSPHRASE');
    assert.equal(code(await call('vault.changePassphrase', { current: STRONG, next: '5201314520', nextRepeat: '5201314520' })), 'PASSPHRASE_WEAK');
    assert.equal(code(await call('vault.changePassphrase', { current: STRONG, next: STRONGER, nextRepeat: STRONGER })), 'ok');
    assert.equal(code(await call('cases.list', {})), 'ok', 'the vault stays unlocked');
    await call('vault.lock');
    assert.equal(code(await call('vault.unlock', { passphrase: STRONG })), 'WRONG_PASSPHRASE');
    assert.equal(code(await call('vault.unlock', { passphrase: STRONGER })), 'ok');
    await call('vault.lock');
    assert.equal(code(await call('vault.recover', { recoveryCode, newPassphrase: 'uncover gravy stiffen oxidant' })), 'ok');
  });

  test('bundle.exportStart refuses a weak transfer passphrase before the save dialog', async () => {
    await call('vault.create', { passphrase: STRONG });
    const kase = await call('cases.create', { title: 'x', incidentType: 'phishing' });
    assert.ok(kase.ok);
    const r = await call('bundle.exportStart', { caseId: kase.value.id, passphrase: '12345678', passphraseRepeat: '12345678' });
    assert.equal(code(r), 'PASSPHRASE_WEAK');
    assert.equal(!r.ok && r.error.params.reason, 'common');
  });
});
