import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { newRecoveryCode, normalizeRecoveryCode, unwrapKey, wrapKey } from '../../electron/core/vault/keys.js';
import { TEST_KDF } from '../helpers/vault.js';

describe('keys', () => {
  it('wraps and unwraps the master key; a wrong secret or a different vault gives null', async () => {
    const master = randomBytes(32);
    const wrapped = await wrapKey(master, 'passphrase one', TEST_KDF, 'vault-a');
    assert.deepEqual(await unwrapKey(wrapped, 'passphrase one', TEST_KDF, 'vault-a'), master);
    assert.equal(await unwrapKey(wrapped, 'passphrase two', TEST_KDF, 'vault-a'), null);
    assert.equal(await unwrapKey(wrapped, 'passphrase one', TEST_KDF, 'vault-b'), null);
  });

  it('treats NFC and NFD forms of a passphrase as the same', async () => {
    const master = randomBytes(32);
    const wrapped = await wrapKey(master, 'café密码', TEST_KDF, 'v');
    assert.deepEqual(await unwrapKey(wrapped, 'cafe\u0301密码', TEST_KDF, 'v'), master);
  });

  it('recovery codes are 26 Crockford characters and survive hand copying', () => {
    const code = newRecoveryCode();
    assert.match(code, /^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$/);
    const typed = code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    assert.equal(normalizeRecoveryCode(typed), code);
    assert.throws(() => normalizeRecoveryCode('ABCD'), /WRONG_RECOVERY_CODE/);
  });
});
