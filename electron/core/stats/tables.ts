import type { TFunction } from 'i18next';
import { minorToDecimal } from '../../../shared/format.js';
import type { CaseStats } from './compute.js';
import type { Cell, Sheet } from './spreadsheet.js';

/** The statistics as table sheets (XLSX: one sheet each; CSV: the same rows, one after another). */
export function statsSheets(stats: CaseStats, t: TFunction): Sheet[] {
  const count = t('stats.count');
  return [
    { name: t('stats.byType'), header: [t('stats.type'), 'id', count], rows: stats.byType.map((r) => [t(`incidentType.${r.type}`), r.type, r.count]), widths: [40, 18, 10] },
    { name: t('stats.byPlatform'), header: [t('stats.platform'), count], rows: [...stats.byPlatform.map((r): Cell[] => [r.platform, r.count]), ...(stats.casesWithoutPlatform ? [[t('stats.unknownPlatform'), stats.casesWithoutPlatform]] : [])], widths: [30, 10] },
    { name: t('stats.byMonth'), header: [t('stats.month'), count], rows: [...stats.byMonth.map((r): Cell[] => [r.month, r.count]), ...(stats.casesWithoutDate ? [[t('stats.unknownMonth'), stats.casesWithoutDate]] : [])], widths: [12, 10] },
    {
      name: t('stats.losses'),
      header: [t('stats.currency'), t('stats.total'), t('stats.median'), t('stats.casesWithLoss')],
      rows: stats.losses.map((l) => [l.currency, minorToDecimal(l.total), minorToDecimal(l.median), l.cases]),
      widths: [10, 20, 20, 16],
    },
    {
      name: t('stats.shared'),
      header: [t('stats.kind'), t('stats.identifier'), t('stats.count'), t('stats.caseIds')],
      rows: stats.sharedCounterparties.map((s) => [s.family, s.identifier, s.caseIds.length, s.caseIds.join(' ')]),
      widths: [10, 30, 8, 80],
    },
  ];
}

/** One long table for CSV: section, then the section's own columns. */
export function statsCsvRows(stats: CaseStats, t: TFunction): { header: string[]; rows: Cell[][] } {
  const rows: Cell[][] = [];
  for (const sheet of statsSheets(stats, t)) {
    rows.push([sheet.name, ...sheet.header]);
    for (const r of sheet.rows) rows.push([sheet.name, ...r]);
  }
  return { header: [t('stats.title'), '', '', '', ''], rows };
}
