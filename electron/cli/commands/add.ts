import { stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { ItemKind, ItemRecord } from '../../../shared/case-model.js';
import type { ErrorValue } from '../../../shared/errors.js';
import { toErrorValue } from '../../core/errors.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface AddOptions extends GlobalOptions {
  kind?: ItemKind;
  note?: string;
  title?: string;
  tag?: string[];
  source?: string;
}

/** A file that cannot be read is reported and the others still go in; Ctrl-C keeps every file finished before it. */
export async function addCommand(caseRef: string, files: string[], opts: AddOptions, out: Output): Promise<number> {
  return withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const sizes = await Promise.all(files.map((f) => stat(f).then((s) => (s.isFile() ? s.size : 0), () => 0)));
    const totalBytes = sizes.reduce((a, b) => a + b, 0);
    const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: `${out.t('cli.progressAdd')} [{bar}] {percentage}% | {file}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(Math.max(totalBytes, 1), 0, { file: '' });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    const added: ItemRecord[] = [];
    const duplicates: ItemRecord[] = [];
    const failed: { file: string; error: ErrorValue & { message: string } }[] = [];
    let done = 0;
    try {
      await vault.items.addFiles(
        caseId,
        files,
        {
          ...(opts.kind ? { kind: opts.kind } : {}),
          ...(opts.note ? { notes: opts.note } : {}),
          ...(opts.title && files.length === 1 ? { title: opts.title } : {}),
          ...(opts.tag?.length ? { tags: opts.tag } : {}),
          ...(opts.source ? { source: opts.source } : {}),
        },
        {
          signal: controller.signal,
          onBytes: (n) => bar?.update((done += n)),
          onResult: (r) => {
            bar?.update(done, { file: r.path });
            if (r.error) {
              const value = toErrorValue(r.error);
              failed.push({ file: r.path, error: { ...value, message: out.t(value.messageKey, value.params) } });
            } else (r.duplicate ? duplicates : added).push(r.item);
          },
        },
      );
    } finally {
      process.off('SIGINT', onSigint);
      bar?.stop();
    }
    out.result({ caseId, added, duplicates, failed });
    out.line(out.t('cli.added', { count: added.length }));
    for (const item of added) out.line(`  ${item.id.slice(0, 8)}  ${item.sha256}  ${item.title}`);
    if (duplicates.length) out.line(out.t('cli.duplicates', { count: duplicates.length }));
    if (failed.length) {
      out.note(out.t('cli.failed', { count: failed.length }));
      for (const f of failed) out.note(`  ${f.error.message}`);
    }
    return failed.length ? 7 : 0;
  });
}
