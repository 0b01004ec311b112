import { entryHash, GENESIS_HASH, type CustodyEntryBody } from '../custody/entry.js';
import type { Problem, Warning } from './problems.js';

export interface StoredEntryRow {
  seq: number;
  body: string;
  hash: string;
}

export interface ChainCheck {
  problems: Problem[];
  warnings: Warning[];
  /** entries whose content verified, by the seq they were recorded at: later checks replay these */
  intact: Map<number, CustodyEntryBody>;
}

/**
 * Recomputes a case's chain from its stored rows (in stored order) and names each failure precisely, so that
 * a deleted, edited, swapped or cut-off entry is reported as such rather than as a generic "chain invalid".
 */
export function verifyChain(caseId: string, rows: readonly StoredEntryRow[], head: { seq: number; hash: string }): ChainCheck {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const intact = new Map<number, CustodyEntryBody>();
  const contentOk: boolean[] = [];
  const bodies: (CustodyEntryBody | null)[] = [];
  const seqOfHash = new Map<string, number>();

  rows.forEach((row) => {
    let body: CustodyEntryBody | null = null;
    try {
      body = JSON.parse(row.body) as CustodyEntryBody;
    } catch {
      // not JSON: altered, as below
    }
    // A body of another case, or JSON that is no object (null, a number, a string), has no caseId of this case.
    const ok = body?.caseId === caseId && entryHash(body) === row.hash;
    bodies.push(body);
    contentOk.push(ok);
    if (ok) {
      seqOfHash.set(row.hash, body!.seq);
      intact.set(body!.seq, body!);
    }
  });

  let expectedSeq = 1;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const body = bodies[i];
    if (row.seq > expectedSeq) {
      problems.push({ kind: 'entry-missing', caseId, seq: expectedSeq, detail: row.seq - expectedSeq === 1 ? `entry ${expectedSeq} is missing` : `entries ${expectedSeq}–${row.seq - 1} are missing` });
    }
    const gapBefore = row.seq > expectedSeq;
    expectedSeq = row.seq + 1;
    if (!contentOk[i]) {
      problems.push({ kind: 'entry-altered', caseId, seq: row.seq, detail: `entry ${row.seq} does not match its hash: its content was changed` });
      continue;
    }
    if (body!.seq !== row.seq) {
      problems.push({ kind: 'entry-reordered', caseId, seq: row.seq, detail: `position ${row.seq} holds the entry recorded as number ${body!.seq}` });
      continue;
    }
    const prevRow = rows[i - 1]; // undefined for the first row
    const expectedPrev = prevRow && !gapBefore ? prevRow.hash : row.seq === 1 ? GENESIS_HASH : undefined;
    if (expectedPrev !== undefined && body!.prev !== expectedPrev) {
      const linkedSeq = seqOfHash.get(body!.prev);
      if (linkedSeq !== undefined && linkedSeq !== row.seq - 1) {
        problems.push({ kind: 'entry-reordered', caseId, seq: row.seq, detail: `entry ${row.seq} follows entry ${linkedSeq}, not the entry stored before it` });
      } else if (!(prevRow && !contentOk[i - 1])) {
        problems.push({ kind: 'chain-broken', caseId, seq: row.seq, detail: `entry ${row.seq} does not link to entry ${row.seq - 1}: entry ${row.seq - 1} was rewritten or replaced` });
      }
    }
    if (body!.clockWentBackMs) {
      warnings.push({ kind: 'clock-went-back', caseId, seq: row.seq, behindMs: body!.clockWentBackMs, detail: `the clock went back ${formatMs(body!.clockWentBackMs)} before entry ${row.seq}` });
    }
  }

  const last = rows[rows.length - 1];
  if (!last || last.seq < head.seq) {
    const from = (last?.seq ?? 0) + 1;
    problems.push({ kind: 'chain-truncated', caseId, seq: from, detail: `the chain ends at entry ${last?.seq ?? 0} but the case recorded ${head.seq} entries` });
  } else if (last.seq === head.seq && last.hash !== head.hash) {
    problems.push({ kind: 'chain-broken', caseId, seq: last.seq, detail: `the last entry is not the head recorded for the case` });
  } else if (last.seq > head.seq) {
    problems.push({ kind: 'chain-broken', caseId, seq: head.seq + 1, detail: `entries after ${head.seq} were added outside Redress` });
  }
  return { problems, warnings, intact };
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}
