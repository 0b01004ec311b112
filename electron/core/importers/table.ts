import Papa from 'papaparse';
import type { Direction } from '../../../shared/records.js';
import { addMinor } from './money.js';
import type { DeclaredTotal, RecordDraft, TotalLine, TotalsCheck, TotalsMismatch } from './types.js';

// String.prototype.trim also removes tabs, U+3000 and the BOM: the padding exports add around cells.
const clean = (cell: unknown) => (typeof cell === 'string' ? cell.trim() : cell == null ? '' : String(cell).trim());

/**
 * Calls onRow for each CSV row as papaparse reads it (step mode), so 100,000 row arrays are never all alive at
 * once; onRow returns false to stop.
 */
export function eachCsvRow(text: string, onRow: (cells: string[], index: number) => boolean | void, delimiter?: string): void {
  let index = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: false,
    ...(delimiter ? { delimiter } : {}),
    step: (result, parser) => {
      if (onRow(result.data, index++) === false) parser.abort();
    },
  });
}

/** The column map when `cells` is a header row holding every required name, else null. */
export function headerOf(cells: string[], required: readonly string[]): Map<string, number> | null {
  const trimmed = cells.map(clean);
  if (!required.every((name) => trimmed.includes(name))) return null;
  const columns = new Map<string, number>();
  trimmed.forEach((c, j) => c && !columns.has(c) && columns.set(c, j));
  return columns;
}

/** A row read by column name, so that a reordered export maps the same. */
export class Row {
  constructor(
    private readonly cells: string[],
    private readonly columns: Map<string, number>,
  ) {}
  get(name: string): string | undefined {
    const i = this.columns.get(name);
    if (i === undefined) return undefined;
    const v = clean(this.cells[i]);
    return v === '' ? undefined : v;
  }
  /** "/" is WeChat's and some banks' way of writing "nothing" */
  opt(name: string): string | undefined {
    const v = this.get(name);
    return v === '/' ? undefined : v;
  }
}

export function filledCells(row: string[]): number {
  return row.filter((c) => clean(c) !== '').length;
}

export function actualTotals(records: RecordDraft[]): TotalLine[] {
  const map = new Map<string, TotalLine>();
  for (const r of records) {
    if (r.kind !== 'transaction') continue;
    const key = `${r.direction}|${r.amount.currency}`;
    const line = map.get(key) ?? { direction: r.direction, currency: r.amount.currency, count: 0, minor: 0 };
    line.count++;
    line.minor = addMinor(line.minor, r.amount.minor);
    map.set(key, line);
  }
  const order: Record<Direction, number> = { out: 0, in: 1, neutral: 2 };
  return [...map.values()].sort((a, b) => order[a.direction] - order[b.direction] || a.currency.localeCompare(b.currency));
}

/** Compares what the export says about itself with what its rows add up to, exactly. */
export function checkTotals(records: RecordDraft[], declared: { count?: number; totals: DeclaredTotal[] }): TotalsCheck {
  const actual = actualTotals(records);
  const mismatches: TotalsMismatch[] = [];
  const txCount = records.filter((r) => r.kind === 'transaction').length;
  if (declared.count !== undefined && declared.count !== txCount) mismatches.push({ kind: 'count', declared: declared.count, actual: txCount });
  for (const d of declared.totals) {
    const a = actual.find((l) => l.direction === d.direction && l.currency === d.amount.currency) ?? { count: 0, minor: 0 };
    if (a.count !== d.count || a.minor !== d.amount.minor) {
      mismatches.push({ kind: 'total', direction: d.direction, currency: d.amount.currency, declaredCount: d.count, declaredMinor: d.amount.minor, actualCount: a.count, actualMinor: a.minor });
    }
  }
  return { ok: mismatches.length === 0, declared: declared.totals, ...(declared.count !== undefined ? { declaredCount: declared.count } : {}), actual, mismatches };
}
