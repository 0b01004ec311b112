import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { importBundle } from '../../core/bundles/index.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';
import { askTransferPassphrase, withSigint } from './transfer-passphrase.js';

/** redress import-bundle FILE */
export async function importBundleCommand(file: string, opts: GlobalOptions & { acceptSigner?: boolean }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const passphrase = await askTransferPassphrase(out, 'import');
    const labels = { verify: out.t('bundle.progressVerify'), store: out.t('bundle.progressStore'), export: out.t('bundle.progressExport') };
    const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: `{phase} [{bar}] {percentage}%`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(1, 0, { phase: labels.verify });
    let result;
    try {
      result = await withSigint((signal) =>
        importBundle(vault, resolve(file), {
          passphrase,
          acceptSigner: opts.acceptSigner ?? false,
          signal,
          onProgress: (p) => {
            bar?.setTotal(Math.max(1, p.total));
            bar?.update(p.done, { phase: labels[p.phase] });
          },
        }),
      );
    } finally {
      bar?.stop();
    }
    out.result(result);
    const id = result.caseId.slice(0, 8);
    if (result.status === 'unchanged') out.line(out.t('bundle.unchanged', { id }));
    else out.line(out.t(result.status === 'imported' ? 'bundle.imported' : 'bundle.updated', { id, entries: result.entriesAdded, items: result.itemsAdded }));
    const { signer } = result;
    out.line(out.t(`bundle.signer.${signer.status}`, signer.status === 'unsigned' ? {} : { fingerprint: signer.fingerprint, label: signer.status === 'known' ? signer.label : '' }));
  });
}
