import type { CaseFields } from '../../../shared/case-model.js';
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

/** Rebuilds what the chain says a case and its items should look like now, from the entries that verified. */
export function replay(entries: Map<number, CustodyEntryBody>): { fields: Partial<CaseFields> | null; items: Map<string, ReplayedItem> } {
  let fields: Partial<CaseFields> | null = null;
  const items = new Map<string, ReplayedItem>();
  const seqs = [...entries.keys()].sort((a, b) => a - b);
  for (const seq of seqs) {
    const e = entries.get(seq)!;
    const p = e.payload as Record<string, unknown>;
    switch (e.action) {
      case 'case.created':
        fields = { ...(p.fields as Partial<CaseFields>) };
        break;
      case 'case.updated':
        if (fields) fields = Object.assign({}, fields, p.changes as Partial<CaseFields>);
        break;
      case 'item.added':
        items.set(p.itemId as string, {
          seq,
          sha256: p.sha256 as string,
          size: p.size as number,
          objectName: p.objectName as string,
          title: p.title as string,
          notes: p.notes as string,
          tags: p.tags as string[],
          excludedReason: null,
        });
        break;
      case 'item.annotated': {
        const item = items.get(p.itemId as string);
        const changes = p.changes as Partial<ReplayedItem>;
        if (item) Object.assign(item, changes);
        break;
      }
      case 'item.excluded': {
        const item = items.get(p.itemId as string);
        if (item) item.excludedReason = p.reason as string;
        break;
      }
    }
  }
  return { fields, items };
}
