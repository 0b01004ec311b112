// Importer benchmarks: 100,000 SMS (about 50 MB of XML) and 100,000 Alipay rows, each imported into a real
// vault (parse, store the original sealed, insert records and the custody entry). Baseline: Python's own
// streaming parsers (xml.etree.iterparse, csv over GB18030) reading the same file in the same run.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { SurrogateRefJoiner } from '../../electron/core/importers/surrogate-refs.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';
import { sampleSms, smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { measure, round, timeCommand, writeResults } from './measure.js';

const KDF = { name: 'scrypt' as const, N: 2 ** 14, r: 8, p: 1 };
const MB = 1024 * 1024;

const PY_XML = 'import sys, xml.etree.ElementTree as ET\nn=0\nfor ev, el in ET.iterparse(sys.argv[1]):\n    if el.tag == "sms": n += 1\n    el.clear()\nprint(n)';
const PY_CSV = 'import sys, csv\nwith open(sys.argv[1], encoding="gb18030", newline="") as f:\n    print(sum(1 for _ in csv.reader(f)))';

async function benchOne(name: string, file: string, baseline: { script: string; file: string }, expected: number, target: { seconds: number; importPeakRssMB?: number }) {
  const work = await mkdtemp(join(tmpdir(), 'redress-bench-'));
  try {
    const size = (await stat(file)).size;
    const { vault } = await Vault.create(join(work, 'vault'), 'benchmark passphrase', { actor: 'bench', kdf: KDF });
    const caseId = vault.cases.create({ title: 'bench', incidentType: 'other' }).id;
    // The import first, so that its peak memory is not inflated by heap the preview grew and V8 kept.
    const run = await measure(() => importFile(vault, caseId, file, { zone: 'Asia/Shanghai' }));
    const preview = await measure(() => previewFile(file, { zone: 'Asia/Shanghai' }));
    const added = run.result.counts.messages.added + run.result.counts.transactions.added;
    if (added !== expected) throw new Error(`${name}: expected ${expected} records, got ${added}`);
    await vault.close();
    timeCommand('python3', ['-c', baseline.script, baseline.file]); // warm the page cache
    const baseSeconds = timeCommand('python3', ['-c', baseline.script, baseline.file]);
    return {
      records: added,
      fileMB: round(size / MB, 1),
      previewSeconds: round(preview.seconds),
      importSeconds: round(run.seconds),
      importPeakRssMB: round(run.peakRssMB, 1),
      previewPeakRssMB: round(preview.peakRssMB, 1),
      pythonParseOnlySeconds: round(baseSeconds),
      ratioImportToPythonParse: round(run.seconds / baseSeconds, 2),
      ratioPreviewToPythonParse: round(preview.seconds / baseSeconds, 2),
      totalsCheckOk: run.result.totalsCheck?.ok ?? null,
      targets: target,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function writeInputs(dir: string) {
  const smsFile = join(dir, 'sms-100k.xml');
  const elements: string[] = [];
  for (let i = 0; i < 100_000; i++) elements.push(smsElement(sampleSms(i)));
  const xml = smsBackup(elements);
  await writeFile(smsFile, xml);
  // expat rejects the surrogate-pair references too: the baseline reads a copy with them already joined
  const joiner = new SurrogateRefJoiner();
  const pyFile = join(dir, 'sms-100k-joined.xml');
  await writeFile(pyFile, joiner.push(xml) + joiner.flush());
  const alipayFile = join(dir, 'alipay-100k.csv');
  await writeFile(alipayFile, alipayCsv(alipayRows(100_000)));
  return { smsFile, pyFile, alipayFile };
}

export async function runImporterBenchmarks() {
  const dir = await mkdtemp(join(tmpdir(), 'redress-bench-files-'));
  try {
    // Written from a helper so that the generated strings are garbage before anything is measured.
    const { smsFile, pyFile, alipayFile } = await writeInputs(dir);
    globalThis.gc?.();
    const sms = await benchOne('sms', smsFile, { script: PY_XML, file: pyFile }, 100_000, { seconds: 10, importPeakRssMB: 300 });
    console.log('100k SMS (SMS Backup & Restore XML):', sms);
    const alipay = await benchOne('alipay', alipayFile, { script: PY_CSV, file: alipayFile }, 100_000, { seconds: 5 });
    console.log('100k Alipay rows (GBK CSV):', alipay);
    const path = await writeResults('importers', { sms, alipay });
    console.log(`written to ${path}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
