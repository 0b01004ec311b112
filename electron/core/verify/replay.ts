import type { CaseFields } from '../../../shared/case-model.js';
import { parseAction } from '../custody/actions.js';
import type { CustodyEntryBody } from '../custody/entry.js';

export interface ReplayedItem {
  seq: number;
  sha256: string;
  size: number;
  objectName: string;
  title: string;
  notes: string;
  tags: string[];
  excludedReason: string | null;
}

/**
 * Rebuilds what the chain says a case and its items should look like now, from the entries that verified. An intact
 * entry whose action is unknown or whose payload does not have its action's shape is reported, not skipped: a chain
 * rewritten with recomputed hashes must not hide an entry from the replay.
 */
export function replay(entries: Map<number, CustodyEntryBody>): { fields: Partial<CaseFields> | null; items: Map<string, ReplayedItem>; unrecognised: { seq: number; reason: string }[] } {
  let fields: Partial<CaseFields> | null = null;
  const items = new Map<string, ReplayedItem>();
  const unrecognised: { seq: number; reason: string }[] = [];
  const seqs = [...entries.keys()].sort((a, b) => a - b);
  for (const seq of seqs) {
    const body = entries.get(seq)!;
    const parsed = parseAction(body.action, body.payload);
    if (!parsed.ok) {
      unrecognised.push({ seq, reason: parsed.reason });
      continue;
    }
    const e = parsed.entry;
    switch (e.action) {
      case 'case.created':
        fields = { ...(e.payload.fields as Partial<CaseFields>) };
        break;
      case 'case.updated':
        if (fields) fields = Object.assign({}, fields, e.payload.changes as Partial<CaseFields>);
        break;
      case 'item.added': {
        const p = e.payload;
        items.set(p.itemId, { seq, sha256: p.sha256, size: p.size, objectName: p.objectName, title: p.title, notes: p.notes, tags: p.tags, excludedReason: null });
        break;
      }
      case 'item.annotated': {
        const item = items.get(e.payload.itemId);
        const { title, notes, tags } = e.payload.changes;
        if (item) Object.assign(item, title === undefined ? {} : { title }, notes === undefined ? {} : { notes }, tags === undefined ? {} : { tags });
        break;
      }
      case 'item.excluded': {
        const item = items.get(e.payload.itemId);
        if (item) item.excludedReason = e.payload.reason;
        break;
      }
      default:
        // the other actions change no case or item row: their records are checked where they are kept
        break;
    }
  }
  return { fields, items, unrecognised };
}
