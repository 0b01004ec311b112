import { minorToDecimal } from '../../../shared/format.js';
import { actualTotals } from '../../core/importers/index.js';
import { RecordRepo } from '../../core/records/record-repo.js';
import type { Output } from '../output.js';
import { withVault } from '../session.js';
import { totalLine } from './import.js';
import { shownTime, type ListCliOptions } from './messages.js';

export async function transactionsCommand(caseRef: string, opts: ListCliOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const transactions = new RecordRepo(vault.context).listTransactions(caseId, { ...(opts.flagged ? { flagged: true } : {}), ...(opts.limit ? { limit: opts.limit } : {}) });
    const totals = actualTotals(transactions.map((t) => ({ ...t, kind: 'transaction' as const, locator: t.source.locator })));
    out.result({ caseId, transactions, totals });
    if (!transactions.length) return out.line(out.t('cli.noTransactions'));
    for (const t of transactions) {
      const sign = t.direction === 'out' ? '-' : t.direction === 'in' ? '+' : ' ';
      const amount = `${sign}${minorToDecimal(t.amount)} ${t.amount.currency}`;
      const who = [t.counterpartyName, t.counterpartyAccount].filter(Boolean).join(' ') || '-';
      out.line(`${t.flagged ? '★' : ' '} ${t.id.slice(0, 8)}  ${shownTime(t.time)}  ${amount.padStart(16)}  ${who}  ${t.status ?? ''}  ${t.platformTxId ?? ''}`.trimEnd());
    }
    out.line();
    for (const l of totals) out.line(totalLine(out, l));
  });
}

export async function flagCommand(caseRef: string, refs: string[], opts: ListCliOptions & { unset?: boolean }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const repo = new RecordRepo(vault.context);
    const ids = refs.map((r) => repo.resolve(caseId, r));
    const changed = repo.setFlagged(caseId, ids, !opts.unset);
    out.result({ caseId, recordIds: ids, flagged: !opts.unset, changed });
    out.line(out.t(opts.unset ? 'cli.unflagged' : 'cli.flagged', { count: changed }));
  });
}
