import type { ItemRecord } from '../../../shared/case-model.js';
import { RedressError } from '../errors.js';
import type { ReadableVault } from '../vault/reader.js';

export const REDACTED_TAG = 'redacted';

export interface SelectedItem {
  item: ItemRecord;
  /** set when a redacted copy travels instead of the original */
  redactedFrom: ItemRecord | null;
}

/**
 * Which items a packet carries: the chosen ids (or every item not excluded), with each original that has a redacted
 * copy replaced by its newest redacted copy, so the unredacted pixels never leave by default.
 */
export function selectItems(vault: ReadableVault, caseId: string, itemIds?: string[]): SelectedItem[] {
  const all = vault.items.list(caseId);
  const byId = new Map(all.map((i) => [i.id, i]));
  const redactedCopy = new Map<string, ItemRecord>();
  for (const item of all) {
    if (item.excluded || !item.derivedFrom || !item.tags.includes(REDACTED_TAG)) continue;
    redactedCopy.set(item.derivedFrom, item); // list() is in capture order: the newest copy wins
  }
  // an older redacted copy (the user redacted again, with more boxes) must not slip out with the default selection
  const superseded = (i: ItemRecord) => !!i.derivedFrom && i.tags.includes(REDACTED_TAG) && redactedCopy.get(i.derivedFrom)?.id !== i.id;
  const chosen = itemIds?.length
    ? itemIds.map((ref) => {
        const item = vault.items.get(vault.items.resolve(ref));
        if (item.caseId !== caseId) throw new RedressError('ITEM_NOT_FOUND', { ref });
        return item;
      })
    : all.filter((i) => !i.excluded && !superseded(i));
  const out: SelectedItem[] = [];
  const seen = new Set<string>();
  for (const item of chosen) {
    // a copy may itself have been redacted again: follow to the last one
    let use = item;
    for (let hops = 0; redactedCopy.has(use.id) && hops < 100; hops++) use = redactedCopy.get(use.id)!;
    if (seen.has(use.id)) continue;
    seen.add(use.id);
    const origin = use.tags.includes(REDACTED_TAG) && use.derivedFrom ? (byId.get(use.derivedFrom) ?? null) : null;
    out.push({ item: use, redactedFrom: origin });
  }
  return out;
}
