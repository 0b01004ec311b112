import { tz } from '@date-fns/tz';
import type { parse as ParseDate } from 'date-fns/parse';
import { z } from 'zod';
import type { Direction } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { strip } from './alipay.js';
import { parseAmount } from './money.js';
import { addRecord, fileCap, warn } from './limits.js';
import { readScanned } from './scan.js';
import { decodeText, detectEncoding } from './source.js';
import { eachCsvRow, filledCells, headerOf, Row } from './table.js';
import { zonedFromInstant } from './time.js';
import { emptyOutput, type Importer, type ParseOutput, type TransactionDraft } from './types.js';

const columnName = z.string().trim().min(1).max(200);

/**
 * How one bank's CSV maps onto transactions, set once by the user and saved under a name (in the encrypted
 * database). Columns are named by their header text, so the order in the file does not matter. Either `amount`
 * (signed, or with a `direction` column) or `debit` + `credit` columns give the amount.
 */
export const BankCsvProfile = z
  .object({
    name: z.string().trim().min(1).max(100),
    platform: z.string().trim().max(100).optional(),
    encoding: z.enum(['auto', 'utf-8', 'gb18030']).default('auto'),
    delimiter: z.string().length(1).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/).default('CNY'),
    zone: z.string().default('Asia/Shanghai'),
    /** date-fns pattern of the time column, e.g. "yyyy-MM-dd HH:mm:ss" or "dd/MM/yyyy" */
    timeFormat: z.string().min(1).max(50).default('yyyy-MM-dd HH:mm:ss'),
    decimalComma: z.boolean().default(false),
    columns: z.object({
      time: columnName,
      amount: columnName.optional(),
      debit: columnName.optional(),
      credit: columnName.optional(),
      direction: columnName.optional(),
      currency: columnName.optional(),
      counterpartyName: columnName.optional(),
      counterpartyAccount: columnName.optional(),
      txId: columnName.optional(),
      merchantOrderId: columnName.optional(),
      method: columnName.optional(),
      status: columnName.optional(),
      category: columnName.optional(),
      note: columnName.optional(),
    }),
    outValues: z.array(z.string()).default(['支出', '借', '借方', 'D', 'DR', 'Debit', 'out']),
    inValues: z.array(z.string()).default(['收入', '贷', '贷方', 'C', 'CR', 'Credit', 'in']),
  })
  .refine((p) => p.columns.amount || (p.columns.debit && p.columns.credit), { message: 'map either an amount column or both debit and credit columns' });
export type BankCsvProfile = z.infer<typeof BankCsvProfile>;
export type BankCsvProfileInput = z.input<typeof BankCsvProfile>;

export function parseProfile(input: unknown): BankCsvProfile {
  const r = BankCsvProfile.safeParse(input);
  if (!r.success) throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  return r.data;
}

export const bankCsv: Importer = {
  format: 'bank-csv',
  maxBytes: fileCap('bank-csv'),
  async parse(ctx): Promise<ParseOutput> {
    if (!ctx.profile) throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: 'choose a saved profile (--profile NAME) or give a mapping (--mapping FILE.json)' });
    const p = parseProfile(ctx.profile);
    // Loaded on demand, and not from the date-fns barrel: loading date-fns/parse alone peaks at ~120 MB, which every
    // SMS or bill import (and the CLI's start) would otherwise pay.
    const { parse: parseDate } = await import('date-fns/parse');
    const data = await readScanned(ctx, 'bank-csv', 'lines');
    const text = decodeText(data, p.encoding === 'auto' ? detectEncoding(data.subarray(0, 65536)) : p.encoding);
    const wanted = Object.values(p.columns).filter((c): c is string => !!c);
    const out = emptyOutput();
    out.facts.profile = p.name;
    const zone = tz(p.zone);
    let columns: Map<string, number> | null = null;
    let width = 0;
    // a row with fewer cells than the header: skipped if filled rows follow, else the file was cut off there
    let short: string | null = null;
    // Rows are read one at a time (papaparse step mode): 100,000 row arrays are never all alive at once.
    eachCsvRow(
      text,
      (cells, i) => {
        if (!columns) {
          columns = headerOf(cells, wanted);
          if (columns) width = Math.max(...columns.values()) + 1;
          return columns !== null || i < 99;
        }
        if (filledCells(cells) === 0) return;
        if (short) warn(out, `${short} skipped: fewer cells than the header`);
        short = null;
        const locator = `row ${i + 1}`;
        if (cells.length < width) return void (short = locator);
        const draft = toDraft(new Row(cells, columns), p, zone, locator, parseDate);
        if (typeof draft === 'string') warn(out, `${locator} skipped: ${draft}`);
        else addRecord(out, draft, ctx.path);
      },
      p.delimiter,
    );
    if (!columns) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'bank-csv', detail: `no header row with the profile's columns (${wanted.join(', ')})`, locator: 'first 100 rows' });
    if (short) out.partial = { reason: 'the last row is incomplete: the file seems cut off', locator: short };
    return out;
  },
};

function toDraft(row: Row, p: BankCsvProfile, zone: ReturnType<typeof tz>, locator: string, parseDate: typeof ParseDate): TransactionDraft | string {
  const c = p.columns;
  const timeText = row.get(c.time);
  const parsed = timeText ? parseDate(timeText, p.timeFormat, new Date(0), { in: zone }) : null;
  const time = parsed && !Number.isNaN(+parsed) ? zonedFromInstant(+parsed, p.zone) : null;
  if (!time) return `unreadable time "${(timeText ?? '').slice(0, 40)}" (expected ${p.timeFormat})`;
  const currency = (c.currency && row.get(c.currency)?.toUpperCase()) || p.currency;
  if (!/^[A-Z]{3}$/.test(currency)) return `unknown currency "${currency.slice(0, 40)}"`;
  const amountOf = (name: string | undefined) => {
    const t = name ? row.get(name) : undefined;
    return t === undefined || t === '/' || t === '-' ? null : parseAmount(t, currency, { decimalComma: p.decimalComma });
  };
  let minor: number | null;
  let direction: Direction;
  if (c.amount) {
    minor = amountOf(c.amount);
    if (minor === null) return `unreadable amount "${(row.get(c.amount) ?? '').slice(0, 40)}"`;
    const d = c.direction ? row.get(c.direction) : undefined;
    direction = d && p.outValues.includes(d) ? 'out' : d && p.inValues.includes(d) ? 'in' : minor < 0 ? 'out' : minor > 0 ? (c.direction ? 'neutral' : 'in') : 'neutral';
    minor = Math.abs(minor);
  } else {
    const debit = amountOf(c.debit);
    const credit = amountOf(c.credit);
    if (debit === null && credit === null) return 'neither a debit nor a credit amount';
    if (debit) [minor, direction] = [Math.abs(debit), 'out'];
    else [minor, direction] = [Math.abs(credit ?? 0), credit ? 'in' : 'neutral'];
  }
  const get = (name: string | undefined) => (name ? row.opt(name) : undefined);
  return strip({
    kind: 'transaction' as const,
    locator,
    time,
    direction,
    amount: { currency, minor },
    platform: p.platform ?? p.name,
    counterpartyName: get(c.counterpartyName),
    counterpartyAccount: get(c.counterpartyAccount),
    platformTxId: get(c.txId),
    merchantOrderId: get(c.merchantOrderId),
    method: get(c.method),
    status: get(c.status),
    category: get(c.category),
    note: get(c.note),
  });
}
