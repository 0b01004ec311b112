// Every parser gets broken variants of a valid file: truncated, bytes flipped, chunks deleted, duplicated or
// spliced with hostile snippets. Each must finish quickly with a result or a RedressError: never another
// exception, never a hang. The parsers are called directly, not through importFile, whose safety net turns
// any stray exception into IMPORT_PARSE_FAILED and would hide a parser bug from this test.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { detectFormat } from '../../electron/core/importers/detect.js';
import { IMPORTERS } from '../../electron/core/importers/import-file.js';
import type { FormatId, ParseOutput } from '../../electron/core/importers/types.js';
import { BANK_PROFILE, bankCsv, camt053, ofxSgml } from './fixtures/bank.js';
import { alipayCsv, alipayRows, wechatCsv, wechatRows, wechatXlsx } from './fixtures/bills.js';
import { telegramExport, WHATSAPP_ANDROID_DMY } from './fixtures/chats.js';
import { jpegWithExif } from './fixtures/images.js';
import { makeSmsDb } from './fixtures/ios.js';
import { mmsElement, sampleSms, smsBackup, smsElement } from './fixtures/sms.js';
import { importEnv } from './helpers.js';

const CASES_PER_FORMAT = 40;
const SNIPPETS = ['&#55357;', '&#56846;', '<!DOCTYPE x [<!ENTITY a "b">]>', '&a;', '\u0000', '"', ',', '\n', '</', '<', ']]>', '\t', '\ufeff', '�', '{"', '[', '9'.repeat(30), '-', '¥', '\r\n'];

/** Mulberry32: a small seeded PRNG so that a failing case can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mutate(data: Buffer, seed: number): Buffer {
  const r = rng(seed);
  const at = (n: number) => Math.floor(r() * n);
  let out = Buffer.from(data);
  const ops = 1 + at(4);
  for (let k = 0; k < ops; k++) {
    const pos = at(out.length + 1);
    switch (at(6)) {
      case 0: // truncate
        out = out.subarray(0, pos);
        break;
      case 1: // flip bytes
        for (let i = 0; i < 1 + at(8); i++) if (out.length) out[at(out.length)] = at(256);
        break;
      case 2: // delete a range
        out = Buffer.concat([out.subarray(0, pos), out.subarray(Math.min(out.length, pos + 1 + at(200)))]);
        break;
      case 3: // duplicate a range
        out = Buffer.concat([out.subarray(0, pos), out.subarray(pos, pos + at(500)), out.subarray(pos)]);
        break;
      case 4: // hostile snippet
        out = Buffer.concat([out.subarray(0, pos), Buffer.from(SNIPPETS[at(SNIPPETS.length)]!), out.subarray(pos)]);
        break;
      default: // random bytes
        out = Buffer.concat([out.subarray(0, pos), Buffer.from(Array.from({ length: 1 + at(16) }, () => at(256))), out.subarray(pos)]);
    }
  }
  return out;
}

/** XLSX: mutating the zip mostly breaks its CRCs; mutate a part inside it instead and zip it again. */
async function mutateXlsx(data: Buffer, seed: number): Promise<Buffer> {
  const entries = new Map<string, Buffer>();
  const zip = await new Promise<yauzl.ZipFile>((res, rej) => yauzl.fromBuffer(data, { lazyEntries: true }, (e, z) => (e ? rej(e) : res(z!))));
  await new Promise<void>((res, rej) => {
    zip.on('entry', (entry: yauzl.Entry) =>
      zip.openReadStream(entry, (e, stream) => {
        if (e || !stream) return rej(e);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          entries.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      }),
    );
    zip.on('end', res);
    zip.readEntry();
  });
  const target = seed % 2 ? 'xl/worksheets/sheet1.xml' : 'xl/sharedStrings.xml';
  const out = new yazl.ZipFile();
  for (const [name, body] of entries) if (!name.endsWith('/')) out.addBuffer(name === target ? mutate(body, seed) : body, name);
  out.end();
  const chunks: Buffer[] = [];
  for await (const c of out.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('fuzzing every parser', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  const seeds: Partial<Record<FormatId, Buffer>> = {};
  before(async () => {
    env = await importEnv();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    seeds['sms-backup-xml'] = Buffer.from(smsBackup([...Array.from({ length: 5 }, (_, i) => smsElement(sampleSms(i))), mmsElement({ address: '1', date: 1706681100000, box: 2, text: 'hi 😎', image: { data: png, name: 'a.png', ct: 'image/png' } })]));
    seeds['alipay-csv'] = alipayCsv(alipayRows(8));
    seeds['wechat-pay-csv'] = wechatCsv(wechatRows(8));
    seeds['wechat-pay-xlsx'] = await wechatXlsx(wechatRows(8));
    seeds['bank-csv'] = bankCsv();
    seeds.ofx = Buffer.from(ofxSgml());
    seeds.camt053 = Buffer.from(camt053());
    seeds.whatsapp = Buffer.from(WHATSAPP_ANDROID_DMY);
    seeds['telegram-json'] = Buffer.from(telegramExport());
    seeds.image = await jpegWithExif({ gps: true });
    const db = join(env.dir, 'seed-sms.db');
    makeSmsDb(db);
    seeds['ios-sms-db'] = await readFile(db);
  });
  after(() => env.cleanup());

  const formats: FormatId[] = ['sms-backup-xml', 'alipay-csv', 'wechat-pay-csv', 'wechat-pay-xlsx', 'bank-csv', 'ofx', 'camt053', 'whatsapp', 'telegram-json', 'image', 'ios-sms-db'];
  for (const format of formats) {
    it(`${format}: ${CASES_PER_FORMAT} mutated files give a result or a RedressError`, async (t) => {
      const outcomes = { ok: 0, partial: 0, refused: 0 };
      for (let i = 0; i < CASES_PER_FORMAT; i++) {
        const seed = i * 7919 + format.length;
        const broken = format === 'wechat-pay-xlsx' && i % 4 !== 0 ? await mutateXlsx(seeds[format]!, seed) : mutate(seeds[format]!, seed);
        const path = await env.file(`fuzz-${format}-${i}${format === 'wechat-pay-xlsx' ? '.xlsx' : ''}`, broken);
        const data = await readFile(path);
        let timer: NodeJS.Timeout | undefined;
        const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`hang: ${format} seed ${seed}`)), 10_000)));
        const parse = async (): Promise<ParseOutput> => {
          // Half the cases also go through detection first.
          if (i % 2 === 0) await detectFormat(path, { hasBankProfile: format === 'bank-csv' });
          return IMPORTERS[format].parse({ path, size: data.length, zone: 'Asia/Shanghai', onBytes: () => {}, ...(format === 'bank-csv' ? { profile: BANK_PROFILE } : {}) });
        };
        try {
          const out = await Promise.race([parse(), hang]);
          outcomes[out.partial ? 'partial' : 'ok']++;
        } catch (err) {
          assert.ok(err instanceof RedressError, `${format} seed ${seed}: ${(err as Error).stack}`);
          outcomes.refused++;
        } finally {
          clearTimeout(timer);
        }
      }
      assert.equal(outcomes.ok + outcomes.partial + outcomes.refused, CASES_PER_FORMAT);
      t.diagnostic(JSON.stringify(outcomes));
    });
  }
});
