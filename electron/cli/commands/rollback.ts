import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

/**
 * The database is older than the last state the vault recorded (a restored backup, a lost WAL) and the user has no
 * newer copy: continue with it knowingly. Recorded on every case's custody chain; the warning stops.
 */
export async function acknowledgeRollbackCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const result = await vault.acknowledgeRollback();
    out.result(result);
    out.line(result.acknowledged ? out.t('cli.rollbackAcknowledged', { count: result.recordedOn }) : out.t('cli.rollbackNothing'));
  });
}
