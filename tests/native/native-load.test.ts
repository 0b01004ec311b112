// A native module that cannot load is an installation problem, never a damaged vault.
import assert from 'node:assert/strict';
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import en from '../../shared/i18n/en.json' with { type: 'json' };
import zh from '../../shared/i18n/zh-CN.json' with { type: 'json' };
import { exitCodeFor } from '../../electron/cli/exit-codes.js';
import { RedressError } from '../../electron/core/errors.js';
import { isNativeLoadFailure } from '../../electron/core/native/native-error.js';
import { openDatabase } from '../../electron/core/vault/database.js';
import { tempDir } from '../helpers/vault.js';

const prebuild = fileURLToPath(new URL(`../../node_modules/better-sqlite3-multiple-ciphers/prebuilds/${process.platform}-${process.arch}.node`, import.meta.url));
const key = Buffer.alloc(32, 7);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return err instanceof RedressError ? err.code : `not a RedressError: ${String(err)}`;
  }
  return 'no error';
}

describe('a native module that fails to load', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  before(async () => (dir = await tempDir()));
  after(() => dir.cleanup());

  it('a garbage binding is NATIVE_MODULE_BROKEN, not VAULT_CORRUPT', async () => {
    const binding = join(dir.path, 'better_sqlite3.node');
    await writeFile(binding, 'this is not a shared object');
    assert.equal(codeOf(() => openDatabase(join(dir.path, 'a.db'), key, { nativeBinding: binding })), 'NATIVE_MODULE_BROKEN');
  });

  it("a binding built for another system (the Windows prebuild on this machine) is NATIVE_MODULE_BROKEN", () => {
    const other = fileURLToPath(new URL(`../../node_modules/better-sqlite3-multiple-ciphers/prebuilds/${process.platform === 'win32' ? 'linux' : 'win32'}-x64.node`, import.meta.url));
    assert.equal(codeOf(() => openDatabase(join(dir.path, 'b.db'), key, { nativeBinding: other })), 'NATIVE_MODULE_BROKEN');
  });

  it('a missing binding is NATIVE_MODULE_BROKEN', () => {
    assert.equal(codeOf(() => openDatabase(join(dir.path, 'c.db'), key, { nativeBinding: join(dir.path, 'nowhere.node') })), 'NATIVE_MODULE_BROKEN');
  });

  it('the working binding still opens, and a damaged database file is still VAULT_CORRUPT', async () => {
    const real = prebuild;
    const copy = join(dir.path, 'ok.node');
    await copyFile(real, copy);
    openDatabase(join(dir.path, 'd.db'), key, { nativeBinding: copy }).close();
    await writeFile(join(dir.path, 'e.db'), Buffer.alloc(8192, 0x5a));
    assert.equal(codeOf(() => openDatabase(join(dir.path, 'e.db'), key)), 'VAULT_CORRUPT');
  });

  it('SQLite errors are never mistaken for a broken installation', () => {
    const sqliteError = Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
    assert.equal(isNativeLoadFailure(sqliteError), false);
    const abi = new Error("The module 'x.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 145.");
    assert.equal(isNativeLoadFailure(abi), true);
  });

  it('has its own message in both languages and its own exit code', () => {
    const enText = (en as { errors: Record<string, string> }).errors.nativeModuleBroken;
    const zhText = (zh as { errors: Record<string, string> }).errors.nativeModuleBroken;
    assert.match(enText ?? '', /reinstall/i);
    assert.match(zhText ?? '', /重新安装/);
    assert.doesNotMatch((zhText ?? '').replaceAll('{{module}}', '').replaceAll('Redress', ''), /[A-Za-z]/, 'no English in the Chinese message but the product name');
    assert.equal(exitCodeFor('NATIVE_MODULE_BROKEN'), 8);
  });
});
