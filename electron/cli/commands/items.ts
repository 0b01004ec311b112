import { formatInstant, localZone } from '../../../shared/format.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export async function itemsCommand(caseRef: string, opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const items = vault.items.list(caseId);
    out.result({ caseId, items });
    if (items.length === 0) out.line(out.t('cli.noItems'));
    const zone = localZone();
    for (const i of items) {
      const excluded = i.excluded ? `  (${out.t('cli.excluded', { reason: i.excluded.reason })})` : '';
      out.line(`${i.id.slice(0, 8)}  ${formatInstant(i.captured.instant, zone)}  ${i.kind.padEnd(10)} ${String(i.size).padStart(10)}  ${i.sha256}  ${i.title}${excluded}`);
    }
  });
}
