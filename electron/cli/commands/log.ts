import { formatInstant, localZone } from '../../../shared/format.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export async function logCommand(caseRef: string, opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const entries = vault.log(caseId);
    out.result({ caseId, entries });
    const zone = localZone();
    for (const e of entries) {
      const back = e.clockWentBackMs ? `  ⚠ clock went back ${e.clockWentBackMs} ms` : '';
      const subject = typeof e.payload.itemId === 'string' ? ` ${e.payload.itemId.slice(0, 8)}` : '';
      out.line(`#${String(e.seq).padStart(4)}  ${formatInstant(e.time, zone)}  ${e.action}${subject}  ${e.actor}  ${e.hash.slice(0, 16)}${back}`);
    }
  });
}
