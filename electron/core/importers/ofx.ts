import type { ZonedTime } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { strip } from './alipay.js';
import { addRecord, fileCap, LIMITS, warn } from './limits.js';
import { parseAmount } from './money.js';
import { readScanned } from './scan.js';
import { decodeText } from './source.js';
import { emptyOutput, type Importer, type ParseOutput } from './types.js';

/** "20240131120000.000[+8:CST]", "20240131", "20240131120000[-5:EST]": OFX dates are UTC unless they say otherwise. */
export function parseOfxDate(text: string): ZonedTime | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,3}))?)?)?\s*(?:\[\s*([+-]?\d{1,2}(?:\.\d+)?)(?::([A-Za-z]+))?\s*\])?$/.exec(text.trim());
  if (!m) return null;
  const offsetMinutes = m[8] ? Math.round(Number(m[8]) * 60) : 0;
  if (Math.abs(offsetMinutes) > 14 * 60) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '0').padEnd(3, '0'))) - offsetMinutes * 60_000;
  if (new Date(ms + offsetMinutes * 60_000).getUTCDate() !== d) return null;
  return { instant: new Date(ms).toISOString(), offsetMinutes };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&');

/**
 * OFX/QFX bank statements, 1.x (SGML, where leaf elements have no closing tag) and 2.x (XML). No OFX library is
 * kept up for Node, and the SGML flavour is not XML, so statements are read with a tag tokenizer: aggregates open
 * and close, leaves are `<NAME>value`. Entities other than the five XML ones are left as text, never expanded.
 * Each <STMTTRN> becomes a transaction; its locator is its number in the file and FITID is the platform id.
 */
export const ofx: Importer = {
  format: 'ofx',
  maxBytes: fileCap('ofx'),
  async parse(ctx): Promise<ParseOutput> {
    // no value between two tags is longer than LIMITS.lineBytes (OFX may be written on one line)
    const text = decodeText(await readScanned(ctx, 'ofx', 'elements'));
    const start = text.search(/<OFX>/i);
    if (start < 0) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'ofx', detail: 'no <OFX> element', locator: 'header' });
    if (/<!ENTITY|<!DOCTYPE/i.test(text)) throw new RedressError('IMPORT_UNSAFE', { file: ctx.path, reason: 'the statement declares entities (DOCTYPE)' });
    const out = emptyOutput();
    let currency = 'USD';
    let account = '';
    let txn: Record<string, string> | null = null;
    let fields = 0;
    let index = 0;
    let closedOfx = false;
    const token = /<(\/?)([A-Za-z0-9._]+)>([^<]*)/g;
    const flush = () => {
      if (!txn) return;
      const t = txn;
      txn = null;
      const locator = `STMTTRN ${index}`;
      const time = parseOfxDate(t.DTPOSTED ?? t.DTUSER ?? '');
      if (!time) return void warn(out, `${locator} skipped: unreadable date "${(t.DTPOSTED ?? '').slice(0, 40)}"`);
      const cur = t.CURRENCY && /^[A-Z]{3}$/.test(t.CURRENCY) ? t.CURRENCY : currency;
      const minor = parseAmount(t.TRNAMT ?? '', cur);
      if (minor === null) return void warn(out, `${locator} skipped: unreadable amount "${(t.TRNAMT ?? '').slice(0, 40)}"`);
      addRecord(
        out,
        strip({
          kind: 'transaction' as const,
          locator,
          time,
          direction: minor < 0 ? ('out' as const) : minor > 0 ? ('in' as const) : ('neutral' as const),
          amount: { currency: cur, minor: Math.abs(minor) },
          platform: out.facts.bank ?? 'ofx',
          platformTxId: t.FITID,
          counterpartyName: t.NAME ?? t.PAYEE,
          counterpartyAccount: t.ACCTID,
          method: t.TRNTYPE,
          merchantOrderId: t.CHECKNUM ?? t.REFNUM,
          note: t.MEMO,
        }),
        ctx.path,
      );
    };
    for (const m of text.slice(start).matchAll(token)) {
      const [, slash, rawName, rawValue] = m;
      const name = rawName!.toUpperCase();
      const value = unescape(rawValue!.trim());
      if (slash) {
        if (name === 'STMTTRN' || name === 'BANKTRANLIST' || name === 'STMTRS' || name === 'CCSTMTRS') flush();
        if (name === 'OFX') closedOfx = true;
        continue;
      }
      if (name === 'STMTTRN') {
        flush();
        index++;
        txn = {};
        fields = 0;
        continue;
      }
      if (name === 'BANKTRANLIST' || name === 'LEDGERBAL') flush();
      if (!value) continue;
      if (txn) {
        // <ACCTID> inside a transfer's <BANKACCTTO> is the counterparty's account
        if (name in txn || fields < LIMITS.entryFields) {
          if (!(name in txn)) fields++;
          txn[name] ??= value;
        }
      } else if (name === 'CURDEF' && /^[A-Z]{3}$/.test(value)) currency = value;
      else if (name === 'ACCTID' && !account) out.facts.account = account = value;
      else if ((name === 'BANKID' || name === 'ORG') && !out.facts.bank) out.facts.bank = value;
    }
    flush();
    if (!closedOfx) out.partial = { reason: 'the statement has no closing </OFX>: the file seems cut off', locator: `after STMTTRN ${index}` };
    return out;
  },
};
