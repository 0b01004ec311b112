import { formatInstant, localZone } from '../../../shared/format.js';
import { RedressError } from '../../core/errors.js';
import { formatSize } from '../open-notes.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

/**
 * Stored originals that no record refers to (after a crash, a restored backup, a lost WAL) are moved to quarantine
 * on open, never deleted: `quarantine list` shows them, `reattach` makes one an item of a case again (recorded on its
 * custody chain), `discard` deletes the named ones for good, only with --yes.
 */
export async function quarantineListCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const entries = await vault.quarantined({ inspect: true });
    const bytes = entries.reduce((a, e) => a + (e.size ?? 0), 0);
    out.result({ count: entries.length, bytes, entries });
    if (entries.length === 0) {
      out.line(out.t('cli.quarantineEmpty'));
      return;
    }
    const zone = localZone();
    out.line(out.t('cli.quarantineHeader', { count: entries.length, size: formatSize(bytes) }));
    for (const e of entries) {
      out.line(
        out.t('cli.quarantineLine', {
          id: e.id.slice(0, 12),
          size: e.size === null ? '?' : formatSize(e.size),
          storedAt: formatInstant(e.storedAt, zone),
          quarantinedAt: formatInstant(e.quarantinedAt, zone),
          mediaType: e.mediaType ?? '?',
          status: out.t(e.intact ? 'cli.quarantineIntact' : 'cli.quarantineDamaged'),
        }),
      );
    }
    out.line(out.t('cli.quarantineHint'));
  });
}

export async function quarantineReattachCommand(ref: string, opts: GlobalOptions & { case: string; title?: string; note?: string }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(opts.case);
    const result = await vault.reattachQuarantined(ref, caseId, { ...(opts.title ? { title: opts.title } : {}), ...(opts.note ? { notes: opts.note } : {}) });
    out.result(result);
    const params = { id: result.item.id.slice(0, 8), caseId: caseId.slice(0, 8), sha256: result.item.sha256 };
    out.line(out.t(result.duplicate ? 'cli.quarantineReattachedDuplicate' : 'cli.quarantineReattached', params));
  });
}

export async function quarantineDiscardCommand(refs: string[], opts: GlobalOptions & { yes?: boolean }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    if (!opts.yes) {
      // resolve first, so that the refusal names exactly what --yes would delete
      const ids: string[] = [];
      for (const ref of refs) ids.push((await vault.resolveQuarantined(ref)).id.slice(0, 12));
      throw new RedressError('USAGE', { detail: out.t('cli.quarantineDiscardNeedsYes', { ids: ids.join(', ') }) });
    }
    const discarded = await vault.discardQuarantined(refs);
    out.result({ discarded });
    out.line(out.t('cli.quarantineDiscarded', { count: discarded.length }));
  });
}
