import { tz } from '@date-fns/tz';
import { parse as parseDate } from 'date-fns';
import { z } from 'zod';
import type { Direction } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { strip } from './alipay.js';
import { parseAmount } from './money.js';
import { decodeText, detectEncoding, MiB, readWhole } from './source.js';
import { csvRows, filledCells, findHeader, Row } from './table.js';
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

const MAX_BYTES = 256 * MiB;

export const bankCsv: Importer = {
  format: 'bank-csv',
  maxBytes: MAX_BYTES,
  async parse(ctx): Promise<ParseOutput> {
    if (!ctx.profile) throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: 'choose a saved profile (--profile NAME) or give a mapping (--mapping FILE.json)' });
    const p = parseProfile(ctx.profile);
    const data = await readWhole(ctx, 'bank-csv', MAX_BYTES);
    const rows = csvRows(decodeText(data, p.encoding === 'auto' ? detectEncoding(data.subarray(0, 65536)) : p.encoding), p.delimiter);
    const wanted = Object.values(p.columns).filter((c): c is string => !!c);
    const header = findHeader(rows, wanted, 100);
    if (!header) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'bank-csv', detail: `no header row with the profile's columns (${wanted.join(', ')})`, locator: 'first 100 rows' });
    const out = emptyOutput();
    out.facts.profile = p.name;
    const width = Math.max(...[...header.columns.values()]) + 1;
    const zone = tz(p.zone);
    for (let i = header.index + 1; i < rows.length; i++) {
      const cells = rows[i]!;
      if (filledCells(cells) === 0) continue;
      const locator = `row ${i + 1}`;
      if (cells.length < width) {
        if (i === rows.length - 1 || rows.slice(i + 1).every((r) => filledCells(r) === 0)) out.partial = { reason: 'the last row is incomplete: the file seems cut off', locator };
        else out.warnings.push(`${locator} skipped: fewer cells than the header`);
        if (out.partial) break;
        continue;
      }
      const row = new Row(cells, header.columns);
      const draft = toDraft(row, p, zone, locator);
      if (typeof draft === 'string') out.warnings.push(`${locator} skipped: ${draft}`);
      else out.records.push(draft);
    }
    return out;
  },
};

function toDraft(row: Row, p: BankCsvProfile, zone: ReturnType<typeof tz>, locator: string): TransactionDraft | string {
  const c = p.columns;
  const timeText = row.get(c.time);
  const parsed = timeText ? parseDate(timeText, p.timeFormat, new Date(0), { in: zone }) : null;
  const time = parsed && !Number.isNaN(+parsed) ? zonedFromInstant(+parsed, p.zone) : null;
  if (!time) return `unreadable time "${timeText ?? ''}" (expected ${p.timeFormat})`;
  const currency = (c.currency && row.get(c.currency)?.toUpperCase()) || p.currency;
  if (!/^[A-Z]{3}$/.test(currency)) return `unknown currency "${currency}"`;
  const amountOf = (name: string | undefined) => {
    const t = name ? row.get(name) : undefined;
    return t === undefined || t === '/' || t === '-' ? null : parseAmount(t, currency, { decimalComma: p.decimalComma });
  };
  let minor: number | null;
  let direction: Direction;
  if (c.amount) {
    minor = amountOf(c.amount);
    if (minor === null) return `unreadable amount "${row.get(c.amount) ?? ''}"`;
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
