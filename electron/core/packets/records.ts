import type { MessageRecord, TransactionRecord } from '../../../shared/records.js';
import { RecordRepo } from '../records/record-repo.js';
import type { ReadableVault } from '../vault/reader.js';

/** What a packet reproduces of the importers' structured records. */
export interface PacketRecords {
  messages: MessageRecord[];
  transactions: TransactionRecord[];
}

function hasTable(vault: ReadableVault, table: string): boolean {
  return !!vault.context.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
}

/**
 * A case's imported messages and transactions (empty when a vault predates the importers' tables). The records the
 * user flagged as evidence are included; when none is flagged, all are.
 */
export function loadPacketRecords(vault: ReadableVault, caseId: string): PacketRecords {
  const repo = new RecordRepo(vault.context);
  const pick = <T>(list: (flagged?: boolean) => T[]): T[] => {
    const flagged = list(true);
    return flagged.length ? flagged : list();
  };
  return {
    messages: hasTable(vault, 'messages') ? pick((flagged) => repo.listMessages(caseId, flagged === undefined ? {} : { flagged })) : [],
    transactions: hasTable(vault, 'transactions') ? pick((flagged) => repo.listTransactions(caseId, flagged === undefined ? {} : { flagged })) : [],
  };
}
