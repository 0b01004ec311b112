// Writes the importer benchmark's inputs into the folder given as the only argument (run by importers.bench.ts).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SurrogateRefJoiner } from '../../electron/core/importers/surrogate-refs.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';
import { sampleSms, smsBackup, smsElement } from '../importers/fixtures/sms.js';

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

const dir = process.argv[2];
if (!dir) throw new Error('usage: importers-inputs DIR');
await writeInputs(dir);
