import { formatInstant, localZone } from '../../shared/format.js';
import type { Vault } from '../core/vault/vault.js';
import type { Output } from './output.js';

/** What an open found and did, for a person: on stderr, before the command's own output. */
export function noteOpenFindings(vault: Vault, out: Output): void {
  const { partialFilesRemoved, quarantined, restored } = vault.recovery;
  if (partialFilesRemoved) out.note(out.t('cli.partialRemoved', { count: partialFilesRemoved }));
  if (restored) out.note(out.t('cli.quarantineRestored', { count: restored }));
  const zone = localZone();
  if (quarantined.count) {
    out.note(
      out.t('cli.quarantined', {
        count: quarantined.count,
        size: formatSize(quarantined.bytes),
        from: quarantined.oldest ? formatInstant(quarantined.oldest, zone) : '?',
        to: quarantined.newest ? formatInstant(quarantined.newest, zone) : '?',
      }),
    );
  }
  const rollback = vault.rollback;
  if (rollback?.unreadable) out.note(out.t('cli.rollbackUnreadable'));
  else if (rollback) {
    out.note(out.t('cli.rollbackWarning', { seenAt: rollback.seen ? formatInstant(rollback.seen.at, zone) : '?', entries: rollback.entriesMissing, cases: rollback.cases.length }));
  }
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
