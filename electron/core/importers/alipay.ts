import type { Direction } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { addRecord, fileCap, warn } from './limits.js';
import { parseAmount } from './money.js';
import { readScanned } from './scan.js';
import { decodeText } from './source.js';
import { eachCsvRow, filledCells, headerOf, Row } from './table.js';
import { CHINA_ZONE, parseLocalDateTime } from './time.js';
import { emptyOutput, type DeclaredTotal, type Importer, type ParseOutput, type TransactionDraft } from './types.js';

export const CURRENT_HEADER = ['交易时间', '交易分类', '交易对方', '对方账号', '商品说明', '收/支', '金额', '收/付款方式', '交易状态', '交易订单号', '商家订单号', '备注'] as const;
export const WEB_HEADER = ['交易号', '商户订单号', '交易创建时间', '付款时间', '最近修改时间', '交易来源地', '类型', '交易对方', '商品名称', '金额（元）', '收/支', '交易状态', '服务费（元）', '成功退款（元）', '备注', '资金状态'] as const;

const DIRECTIONS: Record<string, Direction> = { 支出: 'out', 收入: 'in', 不计收支: 'neutral' };

/** "收入：3笔 1,234.50元" → a declared total */
export function declaredLine(text: string, label: string, direction: Direction): DeclaredTotal | null {
  const m = new RegExp(`${label}[：:]\\s*(\\d+)\\s*笔\\s*([-\\d,.]+)\\s*元`).exec(text);
  if (!m) return null;
  const minor = parseAmount(m[2]!, 'CNY');
  return minor === null ? null : { direction, count: Number(m[1]), amount: { currency: 'CNY', minor } };
}

/**
 * Alipay bill exports, GBK or UTF-8: the current app/web export (preamble with stated totals, then rows) and the
 * older web export (交易记录明细查询, footer with counts). Columns are found by header name, so a reordered file
 * maps the same. Times are China local time and keep Asia/Shanghai as their zone.
 */
export const alipay: Importer = {
  format: 'alipay-csv',
  maxBytes: fileCap('alipay-csv'),
  async parse(ctx): Promise<ParseOutput> {
    const text = decodeText(await readScanned(ctx, 'alipay-csv', 'lines'));
    const out = emptyOutput();
    const before: string[][] = [];
    const after: string[][] = [];
    let columns: Map<string, number> | null = null;
    let current = true;
    let width = 0;
    let state: 'preamble' | 'rows' | 'footer' = 'preamble';
    eachCsvRow(text, (cells, i) => {
      if (state === 'preamble') {
        const cur = headerOf(cells, CURRENT_REQUIRED);
        const web = cur ? null : headerOf(cells, WEB_REQUIRED);
        if (cur || web) {
          columns = (cur ?? web)!;
          current = cur !== null;
          width = Math.max(...columns.values()) + 1;
          state = 'rows';
        } else {
          before.push(cells);
          if (before.length > 60) return false;
        }
        return;
      }
      if (state === 'footer') {
        after.push(cells);
        return after.length < 100;
      }
      const filled = filledCells(cells);
      if (filled === 0) return;
      // The footer (dashes, "共N笔记录", 导出时间) is a run of one-cell lines after the rows.
      if (filled === 1 && cells.length < width) {
        state = 'footer';
        after.push(cells);
        return;
      }
      const locator = `row ${i + 1}`;
      if (cells.length < width) {
        out.partial = { reason: 'the last row is incomplete: the file seems cut off', locator };
        return false;
      }
      const row = new Row(cells, columns!);
      const draft = current ? currentRow(row, locator) : webRow(row, locator);
      if (typeof draft === 'string') warn(out, `${locator} skipped: ${draft}`);
      else addRecord(out, draft, ctx.path);
    });
    if (!columns) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'alipay-csv', detail: 'no Alipay header row (交易时间 … 交易订单号)', locator: 'row 1' });
    out.facts.variant = current ? 'current' : 'web';
    const preamble = before.map((r) => r.join(',')).join('\n');
    const footer = after.map((r) => r.join(',')).join('\n');
    const about = current ? preamble : `${preamble}\n${footer}`;
    const account = /(?:支付宝账户|账号)[：:]\s*\[?([^\]\n,]+)/.exec(about);
    if (account) out.facts.account = account[1]!.trim();
    const name = /姓名[：:]\s*([^\n,]+)/.exec(about);
    if (name) out.facts.name = name[1]!.trim();
    const count = /共\s*(\d+)\s*笔记录/.exec(about);
    const totals = current
      ? [declaredLine(about, '支出', 'out'), declaredLine(about, '收入', 'in'), declaredLine(about, '不计收支', 'neutral')].filter((t): t is DeclaredTotal => t !== null)
      : [];
    if (count || totals.length) out.declared = { ...(count ? { count: Number(count[1]) } : {}), totals };
    if (!out.partial && current && !count) warn(out, 'the preamble with the stated totals is missing');
    return out;
  },
};

const CURRENT_REQUIRED = ['交易时间', '收/支', '金额', '交易订单号'];
const WEB_REQUIRED = ['交易号', '交易创建时间', '金额（元）', '收/支'];

function base(row: Row, locator: string, timeText: string | undefined, amountText: string | undefined, dirText: string | undefined): Omit<TransactionDraft, 'platformTxId'> | string {
  const time = timeText ? parseLocalDateTime(timeText, CHINA_ZONE) : null;
  if (!time) return `unreadable time "${(timeText ?? '').slice(0, 40)}"`;
  const minor = amountText ? parseAmount(amountText, 'CNY') : null;
  if (minor === null) return `unreadable amount "${(amountText ?? '').slice(0, 40)}"`;
  return { kind: 'transaction', locator, time, direction: DIRECTIONS[dirText ?? ''] ?? 'neutral', amount: { currency: 'CNY', minor }, platform: 'alipay' };
}

function currentRow(row: Row, locator: string): TransactionDraft | string {
  const b = base(row, locator, row.get('交易时间'), row.get('金额'), row.get('收/支'));
  if (typeof b === 'string') return b;
  return strip({
    ...b,
    counterpartyName: row.opt('交易对方'),
    counterpartyAccount: row.opt('对方账号'),
    platformTxId: row.opt('交易订单号'),
    merchantOrderId: row.opt('商家订单号'),
    method: row.opt('收/付款方式'),
    status: row.opt('交易状态'),
    category: row.opt('交易分类'),
    note: [row.opt('商品说明'), row.opt('备注')].filter(Boolean).join(' | ') || undefined,
  });
}

function webRow(row: Row, locator: string): TransactionDraft | string {
  const b = base(row, locator, row.get('付款时间') ?? row.get('交易创建时间'), row.get('金额（元）'), row.get('收/支'));
  if (typeof b === 'string') return b;
  return strip({
    ...b,
    counterpartyName: row.opt('交易对方'),
    platformTxId: row.opt('交易号'),
    merchantOrderId: row.opt('商户订单号'),
    status: row.opt('交易状态'),
    category: row.opt('类型'),
    note: [row.opt('商品名称'), row.opt('备注'), row.opt('资金状态')].filter(Boolean).join(' | ') || undefined,
  });
}

/** A copy without undefined fields (records carry only what the file said). Copies: `delete` is slow on hot objects. */
export function strip<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}

