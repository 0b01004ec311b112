import type { z } from 'zod';
import type { TimelineEntrySchema } from '../../../shared/ipc/schemas.js';
import type { Db } from '../vault/database.js';

export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

interface Row {
  source: 'item' | 'message' | 'transaction';
  id: string;
  instant: string;
  offset_minutes: number;
  zone: string | null;
  item_id: string;
  title: string | null;
  body: string | null;
  direction: string | null;
  amount_minor: number | null;
  currency: string | null;
  channel: string | null;
}

const BRANCHES = {
  item: `SELECT 'item' AS source, id, captured_at AS instant, captured_offset AS offset_minutes, captured_zone AS zone, id AS item_id,
         title, kind AS body, NULL AS direction, NULL AS amount_minor, NULL AS currency, media_type AS channel FROM items`,
  message: `SELECT 'message' AS source, id, time_instant AS instant, time_offset AS offset_minutes, time_zone AS zone, source_item AS item_id,
         COALESCE(counterpart_name, counterpart_address) AS title, body, direction, NULL AS amount_minor, NULL AS currency, channel FROM messages`,
  transaction: `SELECT 'transaction' AS source, id, time_instant AS instant, time_offset AS offset_minutes, time_zone AS zone, source_item AS item_id,
         COALESCE(counterparty_name, counterparty_account, platform) AS title, note AS body, direction, amount_minor, currency, platform AS channel FROM transactions`,
} as const;
type Source = keyof typeof BRANCHES;

const KEYS: Record<Source, string> = {
  item: `SELECT captured_at AS instant, 'item' AS source, id FROM items WHERE case_id = @caseId`,
  message: `SELECT time_instant, 'message', id FROM messages WHERE case_id = @caseId`,
  transaction: `SELECT time_instant, 'transaction', id FROM transactions WHERE case_id = @caseId`,
};

/** Whether the records tables exist (they arrive with the importers' migration). */
function hasRecords(db: Db): boolean {
  return (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('messages', 'transactions')").get() as { n: number }).n === 2;
}

/**
 * Random access into a case's evidence items, messages and transactions merged by time, for a virtualized list
 * that may jump anywhere in 100,000 rows. The order (time, source, id) of every row is read once per version of
 * the case (its custody head) and kept in memory; a page is then a slice of it and one indexed lookup per source.
 * SQL OFFSET over the merged stream would re-read everything before the page for every page.
 */
export class TimelineIndex {
  private cached: { caseId: string; version: number; keys: [string, Source, string][] } | null = null;

  constructor(private readonly db: Db) {}

  page(caseId: string, version: number, offset: number, limit: number): { total: number; entries: TimelineEntry[] } {
    const keys = this.keys(caseId, version);
    const slice = keys.slice(offset, offset + limit);
    const bySource = new Map<Source, string[]>();
    for (const [, source, id] of slice) bySource.set(source, [...(bySource.get(source) ?? []), id]);
    const rows = new Map<string, Row>();
    for (const [source, ids] of bySource) {
      const found = this.db.prepare(`SELECT * FROM (${BRANCHES[source]} WHERE id IN (${ids.map(() => '?').join(',')}))`).all(...ids) as Row[];
      for (const r of found) rows.set(`${source}:${r.id}`, r);
    }
    const entries = slice.map(([, source, id]) => rows.get(`${source}:${id}`)).filter((r): r is Row => r !== undefined).map(toEntry);
    return { total: keys.length, entries };
  }

  private keys(caseId: string, version: number): [string, Source, string][] {
    if (this.cached?.caseId === caseId && this.cached.version === version) return this.cached.keys;
    const sources: Source[] = hasRecords(this.db) ? ['item', 'message', 'transaction'] : ['item'];
    const sql = sources.map((s) => KEYS[s]).join(' UNION ALL ') + ' ORDER BY 1, 2, 3';
    const keys = this.db.prepare(sql).raw().all({ caseId }) as [string, Source, string][];
    this.cached = { caseId, version, keys };
    return keys;
  }
}

function toEntry(r: Row): TimelineEntry {
  return {
    key: `${r.source}:${r.id}`,
    source: r.source,
    instant: r.instant,
    offsetMinutes: r.offset_minutes,
    zone: r.zone,
    itemId: r.item_id,
    title: r.title ?? '',
    body: (r.body ?? '').slice(0, 500),
    direction: r.direction === 'in' || r.direction === 'out' || r.direction === 'neutral' ? r.direction : null,
    amount: r.amount_minor !== null && r.currency ? { currency: r.currency, minor: r.amount_minor } : null,
    channel: r.channel,
  };
}
