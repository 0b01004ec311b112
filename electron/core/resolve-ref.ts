import type { Db } from './vault/database.js';
import { RedressError } from './errors.js';

/** Lets a user type a unique prefix of an id (as with git commits) instead of a whole UUID. */
export function resolveRef(db: Db, table: 'cases' | 'items', ref: string): string {
  const kind = table === 'cases' ? 'CASE' : 'ITEM';
  const trimmed = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]{4,36}$/.test(trimmed)) throw new RedressError(`${kind}_NOT_FOUND`, { ref });
  const rows = db.prepare(`SELECT id FROM ${table} WHERE id >= ? AND id < ? ORDER BY id LIMIT 6`).all(trimmed, trimmed + '\uffff') as { id: string }[];
  if (rows.length === 0) throw new RedressError(`${kind}_NOT_FOUND`, { ref });
  const exact = rows.find((r) => r.id === trimmed);
  if (exact) return exact.id;
  if (rows.length > 1) throw new RedressError(`${kind}_AMBIGUOUS`, { ref, matches: rows.map((r) => r.id.slice(0, 8)).join(', ') });
  return rows[0]!.id;
}
