import type { CaseFields } from '../../../shared/case-model.js';
import { parseAction, type PayloadOf } from '../custody/actions.js';
import type { CustodyEntryBody } from '../custody/entry.js';

export interface ReplayedItem {
  seq: number;
  kind: string;
  sha256: string;
  size: number;
  objectName: string;
  title: string;
  notes: string;
  tags: string[];
  source: string;
  originalName: string | null;
  mediaType: string;
  captured: { instant: string; offsetMinutes: number; zone: string };
  derivedFrom: string | null;
  excludedReason: string | null;
  /** the time of the entry that excluded it */
  excludedAt: string | null;
}

export interface ReplayedImport {
  seq: number;
  payload: PayloadOf<'records.imported'>;
}

export interface Replayed {
  fields: Partial<CaseFields> | null;
  items: Map<string, ReplayedItem>;
  /** by import id */
  imports: Map<string, ReplayedImport>;
  /** the flag each record named by a flag entry has after the last of them, by record id */
  flags: Map<string, boolean>;
  unrecognised: { seq: number; reason: string }[];
}

/**
 * Rebuilds what the chain says a case and its items should look like now, from the entries that verified. An intact
 * entry whose action is unknown or whose payload does not have its action's shape is reported, not skipped: a chain
 * rewritten with recomputed hashes must not hide an entry from the replay.
 */
export function replay(entries: Map<number, CustodyEntryBody>): Replayed {
  let fields: Partial<CaseFields> | null = null;
  const items = new Map<string, ReplayedItem>();
  const imports = new Map<string, ReplayedImport>();
  const flags = new Map<string, boolean>();
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
        const { instant, offsetMinutes, zone } = p.captured;
        items.set(p.itemId, {
          seq,
          kind: p.kind,
          sha256: p.sha256,
          size: p.size,
          objectName: p.objectName,
          title: p.title,
          notes: p.notes,
          tags: p.tags,
          source: p.source,
          originalName: p.originalName,
          mediaType: p.mediaType,
          captured: { instant, offsetMinutes, zone },
          derivedFrom: p.derivedFrom,
          excludedReason: null,
          excludedAt: null,
        });
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
        if (item) Object.assign(item, { excludedReason: e.payload.reason, excludedAt: body.time });
        break;
      }
      case 'records.imported':
        imports.set(e.payload.importId, { seq, payload: e.payload });
        break;
      case 'records.flagged':
      case 'records.unflagged':
        for (const r of e.payload.records) flags.set(r.id, e.action === 'records.flagged');
        break;
      default:
        // the other actions change no case or item row: their records are checked where they are kept
        break;
    }
  }
  return { fields, items, imports, flags, unrecognised };
}
