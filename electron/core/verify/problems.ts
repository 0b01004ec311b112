/** What verification can find. Each problem names the case and the item or entry it concerns. */
export type ProblemKind =
  | 'entry-altered' // an entry's content no longer matches its hash
  | 'entry-missing' // a sequence number is absent from the chain
  | 'entry-reordered' // an intact entry stored at another position than the one it was recorded at
  | 'entry-unrecognised' // an intact entry whose action is unknown or whose payload lacks its action's shape
  | 'chain-broken' // an entry does not link to the one before it (an entry was rewritten with a new hash)
  | 'chain-truncated' // the chain ends before the head recorded for the case
  | 'case-record-altered' // the case row differs from what its chain records
  | 'item-record-altered' // an item row differs from what its chain records
  | 'item-unrecorded' // an item row with no custody entry
  | 'item-record-missing' // a custody entry for an item whose row is gone
  | 'item-file-missing' // the stored original is gone
  | 'item-file-altered'; // the stored original fails authentication or hashes differently

export interface Problem {
  kind: ProblemKind;
  caseId: string;
  seq?: number;
  itemId?: string;
  detail: string;
}

export interface Warning {
  kind: 'clock-went-back';
  caseId: string;
  seq: number;
  detail: string;
  behindMs: number;
}

export interface CaseReport {
  caseId: string;
  title: string;
  entries: number;
  items: number;
  head: { seq: number; hash: string };
  problems: Problem[];
  warnings: Warning[];
  ok: boolean;
}

export interface VerifyReport {
  ok: boolean;
  checkedAt: string;
  cases: CaseReport[];
  /** files or rows not belonging to any case, found while checking */
  problems: Problem[];
}
