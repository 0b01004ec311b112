import type ExcelJS from 'exceljs';
import type { Direction } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { strip, declaredLine } from './alipay.js';
import { addRecord, fileCap, LIMITS, limitExceeded, warn } from './limits.js';
import { parseAmount } from './money.js';
import { readScanned } from './scan.js';
import { decodeText, readWhole } from './source.js';
import { eachCsvRow, filledCells, headerOf, Row } from './table.js';
import { CHINA_ZONE, parseLocalDateTime } from './time.js';
import { emptyOutput, type DeclaredTotal, type FormatId, type Importer, type ParseContext, type ParseOutput, type TransactionDraft } from './types.js';
import { guardZip } from './zip-guard.js';

export const WECHAT_HEADER = ['交易时间', '交易类型', '交易对方', '商品', '收/支', '金额(元)', '支付方式', '当前状态', '交易单号', '商户单号', '备注'] as const;
const REQUIRED = ['交易时间', '收/支', '金额(元)', '交易单号'];
const DIRECTIONS: Record<string, Direction> = { 支出: 'out', 收入: 'in', '/': 'neutral', 中性交易: 'neutral' };

/** WeChat Pay bill rows (from CSV or from the first XLSX sheet): preamble with stated totals, header, rows. */
function fromRows(each: (onRow: (cells: string[], index: number) => boolean | void) => void, ctx: ParseContext, format: FormatId, locate: (i: number) => string): ParseOutput {
  const out = emptyOutput();
  const before: string[][] = [];
  let columns: Map<string, number> | null = null;
  let width = 0;
  each((cells, i) => {
    if (!columns) {
      columns = headerOf(cells, REQUIRED);
      if (columns) width = Math.max(...columns.values()) + 1;
      else before.push(cells);
      return before.length <= 60;
    }
    if (filledCells(cells) === 0) return;
    const locator = locate(i);
    if (cells.length < width && format === 'wechat-pay-csv') {
      out.partial = { reason: 'the last row is incomplete: the file seems cut off', locator };
      return false;
    }
    const draft = toDraft(new Row(cells, columns), locator);
    if (typeof draft === 'string') warn(out, `${locator} skipped: ${draft}`);
    else addRecord(out, draft, ctx.path);
  });
  if (!columns) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format, detail: 'no WeChat Pay header row (交易时间 … 交易单号)', locator: locate(0) });
  const preamble = before.map((r) => r.join(',')).join('\n');
  const nick = /微信昵称[：:]\s*\[([^\]]*)\]/.exec(preamble);
  if (nick) out.facts.nickname = nick[1]!;
  const count = /共\s*(\d+)\s*笔记录/.exec(preamble);
  const totals = [declaredLine(preamble, '支出', 'out'), declaredLine(preamble, '收入', 'in'), declaredLine(preamble, '中性交易', 'neutral')].filter((t): t is DeclaredTotal => t !== null);
  if (count || totals.length) out.declared = { ...(count ? { count: Number(count[1]) } : {}), totals };
  else warn(out, 'the preamble with the stated totals is missing');
  return out;
}

function toDraft(row: Row, locator: string): TransactionDraft | string {
  const timeText = row.get('交易时间');
  const time = timeText ? parseLocalDateTime(timeText, CHINA_ZONE) : null;
  if (!time) return `unreadable time "${(timeText ?? '').slice(0, 40)}"`;
  const amountText = row.get('金额(元)');
  const minor = amountText ? parseAmount(amountText, 'CNY') : null;
  if (minor === null) return `unreadable amount "${(amountText ?? '').slice(0, 40)}"`;
  const d: TransactionDraft = {
    kind: 'transaction',
    locator,
    time,
    direction: DIRECTIONS[row.get('收/支') ?? '/'] ?? 'neutral',
    amount: { currency: 'CNY', minor },
    platform: 'wechat-pay',
  };
  return strip({
    ...d,
    counterpartyName: row.opt('交易对方'),
    platformTxId: row.opt('交易单号'),
    merchantOrderId: row.opt('商户单号'),
    method: row.opt('支付方式'),
    status: row.opt('当前状态'),
    category: row.opt('交易类型'),
    note: [row.opt('商品'), row.opt('备注')].filter(Boolean).join(' | ') || undefined,
  });
}

export const wechatPayCsv: Importer = {
  format: 'wechat-pay-csv',
  maxBytes: fileCap('wechat-pay-csv'),
  async parse(ctx) {
    const text = decodeText(await readScanned(ctx, 'wechat-pay-csv', 'lines'));
    return fromRows((onRow) => eachCsvRow(text, onRow), ctx, 'wechat-pay-csv', (i) => `row ${i + 1}`);
  },
};

/** exceljs gives dates as Date objects holding the wall time as if it were UTC. */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return '';
  if (value instanceof Date) {
    const p = (n: number) => String(n).padStart(2, '0');
    return `${value.getUTCFullYear()}-${p(value.getUTCMonth() + 1)}-${p(value.getUTCDate())} ${p(value.getUTCHours())}:${p(value.getUTCMinutes())}:${p(value.getUTCSeconds())}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

export const wechatPayXlsx: Importer = {
  format: 'wechat-pay-xlsx',
  maxBytes: fileCap('wechat-pay-xlsx'),
  async parse(ctx) {
    const data = await readWhole(ctx, 'wechat-pay-xlsx', fileCap('wechat-pay-xlsx'));
    await guardZip(data, ctx.path);
    // Loaded on demand: exceljs is large, and most imports (SMS, CSV) never need it.
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.Workbook();
    try {
      await workbook.xlsx.load(data as unknown as ArrayBuffer);
    } catch (err) {
      throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'wechat-pay-xlsx', detail: String((err as Error).message).slice(0, 200), locator: 'workbook' }, { cause: err });
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'wechat-pay-xlsx', detail: 'the workbook has no sheet', locator: 'workbook' });
    const rows: string[][] = [];
    if (sheet.rowCount > LIMITS.lines) throw limitExceeded(ctx.path, 'lines', `sheet 1 row ${LIMITS.lines + 1}`);
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      rows[n - 1] = values;
    });
    for (let i = 0; i < rows.length; i++) rows[i] ??= [];
    const each = (onRow: (cells: string[], index: number) => boolean | void) => {
      for (let i = 0; i < rows.length; i++) if (onRow(rows[i]!, i) === false) break;
    };
    return fromRows(each, ctx, 'wechat-pay-xlsx', (i) => `sheet 1 row ${i + 1}`);
  },
};
