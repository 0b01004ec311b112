import { writeFile } from 'node:fs/promises';
import type { TFunction } from 'i18next';
import { renderStatsChart } from './chart.js';
import type { CaseStats } from './compute.js';
import { writeCsv, writeXlsx } from './spreadsheet.js';
import { statsCsvRows, statsSheets } from './tables.js';

export { computeStats, selectCases, median, platformsOf, counterpartiesOf, transactionPlatforms, type CaseSelection, type CaseStats, type LossStats, type SharedIdentifier } from './compute.js';
export { writeCsv, writeXlsx, type Cell, type Sheet } from './spreadsheet.js';
export { normalizeIdentifier } from './identifiers.js';
export { renderStatsChart } from './chart.js';

export interface StatsFiles {
  csv?: string;
  xlsx?: string;
  /** PNG chart image */
  png?: string;
  svg?: string;
}

/** Writes the statistics as a table (CSV and/or XLSX) and as a chart image (PNG and/or SVG), in the UI language. */
export async function exportStats(stats: CaseStats, files: StatsFiles, t: TFunction, locale: string): Promise<string[]> {
  const written: string[] = [];
  if (files.csv) {
    const { header, rows } = statsCsvRows(stats, t);
    await writeCsv(files.csv, header, rows);
    written.push(files.csv);
  }
  if (files.xlsx) {
    await writeXlsx(files.xlsx, statsSheets(stats, t));
    written.push(files.xlsx);
  }
  if (files.png || files.svg) {
    const chart = await renderStatsChart(stats, t, locale);
    if (files.png) await writeFile(files.png, chart.png, { mode: 0o600 });
    if (files.svg) await writeFile(files.svg, chart.svg, { mode: 0o600 });
    written.push(...[files.png, files.svg].filter((f): f is string => !!f));
  }
  return written;
}
