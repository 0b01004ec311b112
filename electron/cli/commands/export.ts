import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { exportBundle } from '../../core/bundles/index.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';
import { askTransferPassphrase, testKdf, withSigint } from './transfer-passphrase.js';

/** redress export CASE --out FILE.redress */
export async function exportCommand(caseRef: string, opts: GlobalOptions & { out: string }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const passphrase = await askTransferPassphrase(out, 'export');
    const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: `${out.t('bundle.progressExport')} [{bar}] {percentage}%`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(1, 0);
    let result;
    try {
      result = await withSigint((signal) =>
        exportBundle(vault, caseId, {
          out: resolve(opts.out),
          passphrase,
          signal,
          ...testKdf(),
          onProgress: (p) => {
            bar?.setTotal(Math.max(1, p.total));
            bar?.update(p.done);
          },
        }),
      );
    } finally {
      bar?.stop();
    }
    out.result(result);
    out.line(out.t('bundle.exported', { id: result.caseId.slice(0, 8), items: result.items, entries: result.entries, file: result.file, bytes: result.bytes, sha256: result.sha256 }));
    out.note(out.t('bundle.exportHint'));
  });
}
