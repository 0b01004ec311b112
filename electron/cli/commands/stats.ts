import { resolve } from 'node:path';
import type { CaseStatus, IncidentType } from '../../../shared/case-model.js';
import { formatMoney } from '../../../shared/format.js';
import { RedressError } from '../../core/errors.js';
import { computeStats, exportStats } from '../../core/stats/index.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface StatsOptions extends GlobalOptions {
  status?: CaseStatus;
  type?: IncidentType;
  since?: string;
  zone?: string;
  csv?: string;
  xlsx?: string;
  chart?: string;
}

/** redress stats [--status S] [--type T] [--since DATE] [--csv F] [--xlsx F] [--chart F.png|F.svg] */
export async function statsCommand(opts: StatsOptions, out: Output): Promise<void> {
  if (opts.since && Number.isNaN(Date.parse(opts.since))) throw new RedressError('INVALID_INPUT', { field: '--since', reason: 'not a date (use YYYY-MM-DD or ISO 8601)' });
  await withVault(opts, out, async (vault) => {
    const stats = computeStats(vault.reader, { ...(opts.status ? { status: opts.status } : {}), ...(opts.type ? { incidentType: opts.type } : {}), ...(opts.since ? { since: opts.since } : {}) }, opts.zone ? { zone: opts.zone } : {});
    const chart = opts.chart ? resolve(opts.chart) : undefined;
    const files = await exportStats(
      stats,
      {
        ...(opts.csv ? { csv: resolve(opts.csv) } : {}),
        ...(opts.xlsx ? { xlsx: resolve(opts.xlsx) } : {}),
        ...(chart ? (chart.toLowerCase().endsWith('.svg') ? { svg: chart } : { png: chart }) : {}),
      },
      out.t,
      out.language,
    );
    out.result({ ...stats, files });
    out.line(out.t('stats.title'));
    out.line(out.t('stats.cases', { count: stats.cases }));
    const section = (title: string, rows: [string, string | number][]) => {
      out.line();
      out.line(title);
      for (const [k, v] of rows) out.line(`  ${String(v).padStart(6)}  ${k}`);
    };
    section(out.t('stats.byType'), stats.byType.map((r) => [out.t(`incidentType.${r.type}`), r.count]));
    section(out.t('stats.byPlatform'), [...stats.byPlatform.map((r): [string, number] => [r.platform, r.count]), ...(stats.casesWithoutPlatform ? [[out.t('stats.unknownPlatform'), stats.casesWithoutPlatform] as [string, number]] : [])]);
    section(out.t('stats.byMonth'), stats.byMonth.map((r) => [r.month, r.count]));
    out.line();
    out.line(out.t('stats.losses'));
    for (const l of stats.losses) out.line(`  ${l.currency}  ${out.t('stats.total')} ${formatMoney(l.total, out.language)}  ${out.t('stats.median')} ${formatMoney(l.median, out.language)}  (${l.cases})`);
    out.line();
    out.line(out.t('stats.shared'));
    if (!stats.sharedCounterparties.length) out.line('  ' + out.t('stats.noShared'));
    for (const s of stats.sharedCounterparties) out.line(`  ${s.family.padEnd(7)} ${s.identifier}  ×${s.caseIds.length}  ${s.caseIds.map((id) => id.slice(0, 8)).join(' ')}`);
    for (const f of files) out.note(out.t('stats.written', { file: f }));
  });
}
