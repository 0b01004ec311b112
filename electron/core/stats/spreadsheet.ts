import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

export type Cell = string | number | null;

/**
 * A cell a spreadsheet could run as a formula (starting with = + - @, tab or CR) gets a leading apostrophe, the
 * OWASP advice for CSV injection: counterparty names and notes come from scammers' own words. Plain numbers
 * ("-12.50") stay as they are; they cannot carry a formula.
 */
export function csvSafe(cell: Cell): Cell {
  if (typeof cell !== 'string') return cell;
  if (/^-?\d+(\.\d+)?$/.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** UTF-8 with a BOM, so Excel opens Chinese text correctly; every cell neutralized. */
export async function writeCsv(path: string, header: string[], rows: Cell[][]): Promise<void> {
  const text = Papa.unparse({ fields: header.map((h) => String(csvSafe(h))), data: rows.map((r) => r.map(csvSafe)) }, { newline: '\r\n' });
  await writeFile(path, '\ufeff' + text + '\r\n', { mode: 0o600 });
}

export interface Sheet {
  name: string;
  header: string[];
  rows: Cell[][];
  /** column widths in characters */
  widths?: number[];
}

/** XLSX cells are written as values, never formulas, so nothing in them runs. */
export async function writeXlsx(path: string, sheets: Sheet[]): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Redress';
  for (const s of sheets) {
    const ws = book.addWorksheet(s.name.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31));
    ws.addRow(s.header).font = { bold: true };
    for (const r of s.rows) ws.addRow(r.map((c) => (c === null ? '' : c)));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    s.header.forEach((h, i) => (ws.getColumn(i + 1).width = s.widths?.[i] ?? Math.min(60, Math.max(10, h.length + 2))));
  }
  await book.xlsx.writeFile(path);
}
