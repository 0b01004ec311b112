import { defaultActor } from '../../core/data-dir.js';
import { Vault } from '../../core/vault/vault.js';
import type { Output } from '../output.js';
import { askPassphrase } from '../passphrase.js';
import { CLI_ACTOR_TOOL, dataDirOf, type GlobalOptions } from '../session.js';
import { RedressError } from '../../core/errors.js';

export async function initCommand(opts: GlobalOptions, out: Output): Promise<void> {
  const dataDir = dataDirOf(opts);
  if (await Vault.exists(dataDir)) throw new RedressError('VAULT_EXISTS', { dir: dataDir });
  const passphrase = await askPassphrase(out, { confirm: true });
  const { vault, recoveryCode } = await Vault.create(dataDir, passphrase, { actor: defaultActor(CLI_ACTOR_TOOL), ...testKdf() });
  const vaultId = vault.keyFile.vaultId;
  await vault.close();
  out.result({ dataDir, vaultId, recoveryCode });
  out.line(out.t('cli.initDone', { dir: dataDir }));
  out.line();
  out.line(out.t('cli.recoveryCodeTitle'));
  out.line(`    ${recoveryCode}`);
  out.line(out.t('cli.recoveryCodeHint'));
}

/**
 * The test suite creates hundreds of vaults; REDRESS_TEST_KDF=1 makes each take milliseconds instead of half a
 * second. It only lowers the cost of vaults created while it is set and is documented as test-only.
 */
function testKdf() {
  return process.env.REDRESS_TEST_KDF === '1' ? { kdf: { name: 'scrypt' as const, N: 2 ** 10, r: 8, p: 1 } } : {};
}
