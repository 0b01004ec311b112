import type { Db } from '../vault/database.js';
import type { CustodyAction, PayloadOf } from './actions.js';
import { canonicalJson, entryHash, GENESIS_HASH, newSalts, type CustodyEntry, type CustodyEntryBody } from './entry.js';

export interface Clock {
  now(): Date;
  offsetMinutes(at: Date): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  offsetMinutes: (at) => -at.getTimezoneOffset(),
};

/**
 * Appends one entry to a case's chain. Must run inside the same transaction as the change it records, so
 * the record and its custody entry commit together or not at all.
 */
export function appendEntry<A extends CustodyAction>(
  db: Db,
  clock: Clock,
  actor: string,
  caseId: string,
  action: A,
  payload: PayloadOf<A> & Record<string, unknown>,
): CustodyEntry {
  const last = db.prepare('SELECT seq, body, hash FROM custody WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(caseId) as
    | { seq: number; body: string; hash: string }
    | undefined;
  const at = clock.now();
  const body: CustodyEntryBody = {
    v: 2,
    caseId,
    seq: (last?.seq ?? 0) + 1,
    time: at.toISOString(),
    offsetMinutes: clock.offsetMinutes(at),
    actor,
    action,
    payload,
    prev: last?.hash ?? GENESIS_HASH,
    salts: newSalts(payload),
  };
  if (last) {
    // A clock that went backwards is recorded in the entry itself (and so covered by its hash), never corrected.
    const previousTime = Date.parse((JSON.parse(last.body) as CustodyEntryBody).time);
    if (at.getTime() < previousTime) body.clockWentBackMs = previousTime - at.getTime();
  }
  const hash = entryHash(body);
  db.prepare('INSERT INTO custody (case_id, seq, body, hash) VALUES (?, ?, ?, ?)').run(caseId, body.seq, canonicalJson(body), hash);
  db.prepare('UPDATE cases SET head_seq = ?, head_hash = ?, updated_at = ? WHERE id = ?').run(body.seq, hash, body.time, caseId);
  return { ...body, hash };
}

export function readEntries(db: Db, caseId: string): CustodyEntry[] {
  const rows = db.prepare('SELECT body, hash FROM custody WHERE case_id = ? ORDER BY seq').all(caseId) as { body: string; hash: string }[];
  return rows.map((row) => ({ ...(JSON.parse(row.body) as CustodyEntryBody), hash: row.hash }));
}
