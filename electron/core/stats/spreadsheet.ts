import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';

export type Cell = string | number | null;

/** What a spreadsheet may take as the start of a formula: = + - @, and the full-width and small forms IMEs type. */
const FORMULA_CHARS = '=+\\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63';
/**
 * Where a spreadsheet may see a cell begin: at the start of ours, or after a character that some locale or import
 * dialog splits cells at. Excel in German, French, Spanish... locales opens a CSV with ";" as the separator, so an
 * unquoted cell "x;=HYPERLINK(…)" becomes two cells there, the second a formula; tab and "|" are choices of the
 * import dialogs, and a line break starts a row. Spaces (any Unicode space: NBSP, U+3000...) and invisible characters
 * may stand before the formula character: LibreOffice's "Trim spaces" import option and Excel's own trimming would
 * drop them.
 */
const CELL_START = new RegExp(`(^|[,;\\t|\\r\\n])([\\s\\p{Cf}]*)([${FORMULA_CHARS}])`, 'gu');
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/**
 * A cell a spreadsheet could run as a formula gets an apostrophe before the formula character, the OWASP advice
 * for CSV injection: counterparty names and notes come from scammers' own words. That is done wherever a cell may
 * begin (CELL_START), so that the file is safe in every locale's CSV dialect; a cell starting with a tab or CR gets
 * one in front as well. Plain numbers ("-12.50", "+86") stay as they are wherever they stand: they cannot carry a
 * formula. The text is otherwise unchanged: removing the apostrophes Redress added gives it back.
 */
export function csvSafe(cell: Cell): Cell {
  if (typeof cell !== 'string' || PLAIN_NUMBER.test(cell)) return cell;
  const text = /^[\t\r]/.test(cell) ? `'${cell}` : cell;
  return text.replace(CELL_START, (whole: string, sep: string, space: string, char: string, offset: number) => {
    // the piece up to the next separator: a plain number there is no formula
    const start = offset + sep.length + space.length;
    const end = text.slice(start).search(/[,;\t|\r\n]/);
    const piece = text.slice(start, end === -1 ? undefined : start + end);
    return PLAIN_NUMBER.test(piece) ? whole : `${sep}${space}'${char}`;
  });
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
