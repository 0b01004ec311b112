import { relative } from 'node:path';
import type { TFunction } from 'i18next';
import { totalLosses, type CaseRecord } from '../../../shared/case-model.js';
import { minorToDecimal } from '../../../shared/format.js';
import { counterpartiesOf, platformsOf, writeCsv, writeXlsx, type Cell } from '../stats/index.js';
import type { CaseOutcome } from './state.js';

export interface SummaryRow {
  kase: CaseRecord;
  platforms: string[];
  outcome: CaseOutcome | undefined;
}

/**
 * The batch summary table: one row per matching case, one loss column per currency (exact decimal strings from
 * integer minor units). The CSV is neutralized against formula injection; the XLSX holds plain values.
 */
export async function writeSummary(paths: { csv: string; xlsx: string }, outDir: string, rows: SummaryRow[], t: TFunction): Promise<void> {
  const currencies = [...new Set(rows.flatMap((r) => r.kase.losses.map((l) => l.amount.currency)))].sort();
  const col = (k: string) => t(`batch.col.${k}`);
  const header = [
    col('caseId'),
    col('title'),
    col('type'),
    col('status'),
    col('platforms'),
    col('counterparties'),
    ...currencies.map((c) => `${col('losses')} ${c}`),
    col('started'),
    col('discovered'),
    col('created'),
    col('items'),
    col('result'),
    col('packetSha256'),
    col('packet'),
  ];
  const body: Cell[][] = rows.map(({ kase, platforms, outcome }) => {
    const totals = new Map(totalLosses(kase.losses).map((m) => [m.currency, minorToDecimal(m)]));
    return [
      kase.id,
      kase.title,
      kase.incidentType,
      kase.status,
      platforms.join('; '),
      counterpartiesOf(kase).join('; '),
      ...currencies.map((c) => totals.get(c) ?? ''),
      kase.startedAt ?? '',
      kase.discoveredAt ?? '',
      kase.createdAt,
      kase.itemCount,
      outcome ? (outcome.status === 'done' ? 'done' : `failed: ${t(outcome.error.messageKey, outcome.error.params)}`) : 'not built',
      outcome?.status === 'done' ? outcome.packet.packetSha256 : '',
      outcome?.status === 'done' ? relative(outDir, outcome.packet.zipPath) : '',
    ];
  });
  await writeCsv(paths.csv, header, body);
  await writeXlsx(paths.xlsx, [{ name: 'Redress batch', header, rows: body, widths: header.map((h, i) => (i === 0 || i === header.length - 2 ? 40 : Math.max(12, h.length + 2))) }]);
}

export { platformsOf };
