import type { ZonedTime } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { strip } from './alipay.js';
import { addRecord, FIELD_CAPS, LIMITS, warn } from './limits.js';
import { parseAmount } from './money.js';
import { parseLocalDateTime } from './time.js';
import { emptyOutput, type Importer, type ParseOutput } from './types.js';
import { streamXml } from './xml.js';

/** ISO date-time with an offset ("2024-01-31T12:00:00+01:00"), or a plain date read in the fallback zone. */
function camtTime(text: string | undefined, zone: string): ZonedTime | null {
  if (!text) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (m) {
    if (!m[3]) return parseLocalDateTime(`${m[1]} ${m[2]}`, zone);
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return null;
    const offsetMinutes = m[3] === 'Z' ? 0 : (m[3]![0] === '-' ? -1 : 1) * (Number(m[3]!.slice(1, 3)) * 60 + Number(m[3]!.slice(4, 6)));
    return { instant: new Date(ms).toISOString(), offsetMinutes };
  }
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseLocalDateTime(text, zone) : null;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/**
 * ISO 20022 CAMT.053 bank-to-customer statements, streamed through saxes. Each <Ntry> becomes a transaction:
 * CDTR/DBIT gives the direction, the related party on the other side is the counterparty, the bank's reference
 * (AcctSvcrRef, else the end-to-end id) is the platform id; the locator is the entry's number in the file.
 */
export const camt053: Importer = {
  format: 'camt053',
  async parse(ctx): Promise<ParseOutput> {
    const out = emptyOutput();
    const stack: string[] = [];
    let entry: Map<string, string> | null = null;
    let entryCcy = '';
    let index = 0;
    let text = '';
    let sawDocument = false;
    const done = (e: Map<string, string>, ccy: string, n: number) => {
      const locator = `Ntry ${n}`;
      const g = (k: string) => e.get(k);
      const time = camtTime(g('BookgDt/DtTm') ?? g('BookgDt/Dt') ?? g('ValDt/DtTm') ?? g('ValDt/Dt'), ctx.zone);
      if (!time) return void warn(out, `${locator} skipped: no readable booking date`);
      const currency = /^[A-Z]{3}$/.test(ccy) ? ccy : '';
      const minor = currency ? parseAmount(g('Amt') ?? '', currency) : null;
      if (minor === null) return void warn(out, `${locator} skipped: unreadable amount "${(g('Amt') ?? '').slice(0, 40)}" ${ccy.slice(0, 8)}`);
      const debit = g('CdtDbtInd') === 'DBIT';
      const party = debit ? 'Cdtr' : 'Dbtr';
      const tx = 'NtryDtls/TxDtls/';
      const reversal = g('RvslInd') === 'true';
      addRecord(
        out,
        strip({
          kind: 'transaction' as const,
          locator,
          time,
          direction: debit ? ('out' as const) : ('in' as const),
          amount: { currency, minor: Math.abs(minor) },
          platform: out.facts.account ? `camt053:${out.facts.account}` : 'camt053',
          platformTxId: g('AcctSvcrRef') ?? g(`${tx}Refs/AcctSvcrRef`) ?? g(`${tx}Refs/EndToEndId`) ?? g(`${tx}Refs/TxId`),
          merchantOrderId: g(`${tx}Refs/EndToEndId`),
          counterpartyName: g(`${tx}RltdPties/${party}/Nm`) ?? g(`${tx}RltdPties/${party}/Pty/Nm`),
          counterpartyAccount: g(`${tx}RltdPties/${party}Acct/Id/IBAN`) ?? g(`${tx}RltdPties/${party}Acct/Id/Othr/Id`),
          status: [g('Sts/Cd') ?? g('Sts'), reversal ? 'reversal' : undefined].filter(Boolean).join(' ') || undefined,
          category: g('BkTxCd/Domn/Cd') ?? g('BkTxCd/Prtry/Cd'),
          note: g(`${tx}RmtInf/Ustrd`) ?? g('AddtlNtryInf'),
        }),
        ctx.path,
      );
    };
    const parsed = await streamXml(ctx, 'camt053', {
      open(tag) {
        const name = local(tag.name);
        if (stack.length === 0 && name !== 'Document') {
          throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'camt053', detail: `root element is <${tag.name}>, not <Document>`, locator: 'line 1' });
        }
        sawDocument = true;
        stack.push(name);
        text = '';
        if (name === 'Ntry' && stack[stack.length - 2] === 'Stmt') {
          entry = new Map();
          index++;
          entryCcy = '';
        } else if (entry && name === 'Amt' && stack[stack.length - 2] === 'Ntry') entryCcy = tag.attributes.Ccy ?? '';
      },
      text(t) {
        // one element's text arrives in runs (split by comments or CDATA): past any field's cap the rest is not kept,
        // and the record's field is cut and marked (limits.ts)
        if (text.length <= FIELD_CAPS.body) text += t;
      },
      close() {
        const name = stack[stack.length - 1];
        const value = text.trim();
        text = '';
        if (entry) {
          const at = stack.lastIndexOf('Ntry');
          if (name === 'Ntry' && at === stack.length - 1) {
            done(entry, entryCcy, index);
            entry = null;
          } else if (value) {
            const path = stack.slice(at + 1).join('/');
            if (!entry.has(path) && entry.size < LIMITS.entryFields) entry.set(path, value);
          }
        } else if (value) {
          const path = stack.join('/');
          if (path.endsWith('Stmt/Acct/Id/IBAN') || path.endsWith('Stmt/Acct/Id/Othr/Id')) out.facts.account ??= value;
          else if (path.endsWith('GrpHdr/MsgId')) out.facts.messageId = value;
          else if (path.endsWith('Stmt/Id')) out.facts.statementId = value;
        }
        stack.pop();
      },
    });
    if (!sawDocument) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'camt053', detail: 'no <Document> element', locator: 'line 1' });
    if (parsed.error) out.partial = { reason: `the XML breaks off: ${parsed.error.detail}`, locator: `line ${parsed.error.line}, after Ntry ${entry ? index - 1 : index}` };
    if (parsed.invalidUtf8) warn(out, 'the file is not valid UTF-8: names and references that could not be read are shown as U+FFFD (�)');
    return out;
  },
};

