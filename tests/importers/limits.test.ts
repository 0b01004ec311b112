// Caps on untrusted input (electron/core/importers/limits.ts): every field of every importer is capped (cut and
// marked, with a warning naming the record), structure beyond the limits refuses the file with IMPORT_LIMIT, and
// crafted inputs of hundreds of MiB cost a child process importing them less than 300 MB of peak memory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3-multiple-ciphers';
import { SaxesParser } from 'saxes';
import { createI18n } from '../../shared/i18n/index.js';
import { RedressError } from '../../electron/core/errors.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import { capText, CUT_MARK, FIELD_CAPS, LIMITS, ownString, wasCut, type LimitName } from '../../electron/core/importers/limits.js';
import { XmlGuard } from '../../electron/core/importers/xml-guard.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { MessageRecord, TransactionRecord } from '../../shared/records.js';
import { newVault, tempDir } from '../helpers/vault.js';
import { BANK_PROFILE } from './fixtures/bank.js';
import { alipayCsv, alipayRows, wechatCsv, wechatRows, wechatXlsx } from './fixtures/bills.js';
import * as crafted from './fixtures/crafted.js';
import { makeSmsDb } from './fixtures/ios.js';
import { mmsElement, smsBackup, smsElement } from './fixtures/sms.js';
import { importEnv } from './helpers.js';

const { MiB } = crafted;
const CHILD = fileURLToPath(new URL('./import-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KiB = 1024;
const isLimit = (limit: LimitName) => (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_LIMIT' && e.value.params.limit === limit;

/** Every text field of a record within its cap (a cut one may carry the mark past it). */
function assertCapped(r: MessageRecord | TransactionRecord): void {
  const caps: Record<string, number> =
    'body' in r
      ? { body: FIELD_CAPS.body, counterpartAddress: FIELD_CAPS.address, counterpartName: FIELD_CAPS.name, thread: FIELD_CAPS.label }
      : { counterpartyName: FIELD_CAPS.name, counterpartyAccount: FIELD_CAPS.address, note: FIELD_CAPS.note, platformTxId: FIELD_CAPS.id, merchantOrderId: FIELD_CAPS.id, method: FIELD_CAPS.label, status: FIELD_CAPS.label, category: FIELD_CAPS.label, platform: FIELD_CAPS.label };
  for (const [field, cap] of Object.entries(caps)) {
    const v = (r as unknown as Record<string, unknown>)[field];
    if (typeof v === 'string') assert.ok(v.length <= cap + CUT_MARK.length, `${field} of ${r.source.locator}: ${v.length} > ${cap}`);
  }
  assert.ok(r.source.locator.length <= FIELD_CAPS.locator);
}

describe('caps on untrusted input: the class', () => {
  it('no parser adds records or warnings around the caps (addRecord, warn)', async () => {
    const dir = join(ROOT, 'electron/core/importers');
    for (const name of await readdir(dir)) {
      if (!name.endsWith('.ts') || name === 'limits.ts') continue;
      const text = await readFile(join(dir, name), 'utf8');
      assert.doesNotMatch(text, /\.records\.push\(/, `${name} pushes records itself`);
      assert.doesNotMatch(text, /\bout\.warnings\.push\(/, `${name} pushes warnings itself`);
    }
  });

  it('capText: cut within the cap plus the mark, never inside a surrogate pair, idempotent', () => {
    assert.equal(capText('abc', 3), 'abc');
    const cut = capText('ab😎cd', 3);
    assert.equal(cut, 'ab' + CUT_MARK, 'the emoji is not split');
    assert.equal(capText(cut, 3), cut);
    assert.ok(wasCut(cut));
    assert.equal(capText('x'.repeat(10), 4), 'xxxx' + CUT_MARK);
  });

  it('ownString: a kept slice no longer holds its parent string in memory', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // 64 MiB of one parent, 1000 slices of 100 characters kept: plain slices keep the parent, owned ones do not
    // Buffer.toString makes a string this large external: its characters count in `external`, not the heap
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().external;
    const held = (copy: (s: string) => string) => {
      gc();
      const start = used();
      let parent: string | null = Buffer.alloc(64 * 2 ** 20, 'ab').toString('latin1');
      const kept = Array.from({ length: 1000 }, (_, i) => copy(parent!.slice(i * 4096, i * 4096 + 100)));
      parent = null;
      gc();
      const grown = used() - start;
      assert.equal(kept.join('').length, 100_000);
      return grown;
    };
    assert.ok(held((s) => s) > 60 * 2 ** 20, 'a plain slice keeps its parent (or this test shows nothing)');
    const owned = held(ownString);
    assert.ok(owned < 4 * 2 ** 20, `${owned} bytes held by 100 KB of owned slices`);
    assert.equal(ownString('abc'), 'abc');
    assert.equal(ownString('a'.repeat(20) + '😎'), 'a'.repeat(20) + '😎');
  });

  it('every limit has its message in both languages', () => {
    const names: LimitName[] = ['records', 'textTotal', 'lineBytes', 'lines', 'xmlDepth', 'xmlMarkup', 'jsonDepth', 'jsonStringBytes', 'unzippedBytes', 'zipEntries', 'zipRatio'];
    for (const lng of ['en', 'zh-CN'] as const) {
      const t = createI18n(lng).t;
      for (const limit of names) {
        const text = t('errors.importLimit', { file: 'x.xml', limit, max: '64', locator: 'line 3' });
        assert.doesNotMatch(text, /importLimits\.|\{\{|\$t\(/, `${lng} ${limit}: ${text}`);
        assert.match(text, /64/);
      }
    }
  });
});

describe('XmlGuard: what saxes sees is bounded', () => {
  const parse = (xml: string) => {
    const values: Record<string, string>[] = [];
    const texts: string[] = [];
    const p = new SaxesParser({ xmlns: false });
    p.on('opentag', (t) => values.push(t.attributes as Record<string, string>));
    p.on('text', (t) => texts.push(t));
    p.write(xml).close();
    return { values, texts };
  };
  const guarded = (xml: string, chunk: number, caps = {}) => {
    const g = new XmlGuard('t.xml', caps);
    let out = '';
    for (let i = 0; i < xml.length; i += chunk) out += g.push(xml.slice(i, i + chunk));
    return out + g.flush();
  };

  it('cuts long values and text next to entity references and emoji into XML that still parses, at any chunking', () => {
    const body = 'ab&amp;c😎&#x1F60E;&#10;'.repeat(40);
    const xml = `<?xml version="1.0"?>\n<!-- c --><r><m body="${body}" other="${'z'.repeat(50)}">${'t&lt;'.repeat(60)}<![CDATA[${'q'.repeat(90)}]]></m></r>`;
    const full = parse(guarded(xml, xml.length, { attributes: { body: 101 }, text: 77 }));
    for (const chunk of [1, 2, 3, 5, 7, 64, 1000]) {
      const out = guarded(xml, chunk, { attributes: { body: 101 }, text: 77 });
      assert.deepEqual(parse(out), full, `chunks of ${chunk}`);
    }
    const [, m] = full.values;
    assert.ok(wasCut(m!.body!), 'body cut');
    const decoded = parse(xml).values[1]!.body!;
    assert.ok(decoded.startsWith(m!.body!.slice(0, -CUT_MARK.length)), 'a prefix of the real value');
    assert.equal(m!.other, 'z'.repeat(50), 'short values pass unchanged');
    assert.ok(full.texts.every((t) => t.length <= 77 + CUT_MARK.length));
  });

  it('passes a file with nothing over its caps through unchanged, at any chunking', () => {
    const sms = (i: number) => `<sms protocol="0" address="+86 138 0013 ${String(i).padStart(4, '0')}" date="1700000000${i}" type="${i % 2 + 1}" body="验证码 ${i} &amp; 😎 &#10;&#x1F60E;" read="1" contact_name='客服 ${i}' />`;
    const xml = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<!--File Created By SMS Backup & Restore-->\n<smses count="40">\n${Array.from({ length: 40 }, (_, i) => sms(i)).join('\n')}\n<![CDATA[ x ]]><?pi y?></smses>\n`;
    for (const chunk of [1, 2, 3, 7, 13, 64, 4096]) assert.equal(guarded(xml, chunk, { attributes: { body: 1000, address: 64 } }), xml, `chunks of ${chunk}`);
  });

  it('values at, under and over each cap, and short binary values, come out alike at any chunking', () => {
    const caps = { attributes: { address: 5, body: 20 }, binary: { data: 100 } };
    const v = (n: number) => 'v'.repeat(n);
    const elements = [4, 5, 6, 19, 20, 21].map((n) => `<m address="${v(Math.min(n, 6))}" body='${v(n)}' other="${v(n)}" data="QUJD" xdata="QUJD" datax="QUJD"/>`);
    const xml = `<r>${elements.join('\n')}<m data = "QUJDRA==" /></r>`;
    for (const chunk of [1, 2, 3, 5, 8, 13, 4096]) {
      const g = new XmlGuard('t.xml', caps);
      let out = '';
      for (let i = 0; i < xml.length; i += chunk) out += g.push(xml.slice(i, i + chunk));
      out += g.flush();
      const { values } = parse(out);
      values.slice(1).forEach((m, i) => {
        const n = [4, 5, 6, 19, 20, 21, 0][i]!;
        if (i < 6) {
          assert.equal(m.address, n >= 6 ? v(5) + CUT_MARK : v(n), `chunks of ${chunk}: address of ${n}`);
          assert.equal(m.body, n > 20 ? v(20) + CUT_MARK : v(n), `chunks of ${chunk}: body of ${n}`);
          assert.equal(m.other, v(n), `chunks of ${chunk}: other of ${n}`);
          assert.equal(m.xdata, 'QUJD', 'an attribute whose name ends like a binary one is text');
          assert.equal(m.datax, 'QUJD', 'an attribute whose name begins like a binary one is text');
        }
        // a binary value short enough for every cap still becomes its bytes, whatever chunk its name is cut by
        assert.deepEqual(g.take(m.data!), Buffer.from(i < 6 ? 'ABC' : 'ABCD'), `chunks of ${chunk}: data of element ${i + 1}`);
      });
    }
  });

  it('looks caps up by the names the file gives, and "constructor" or "__proto__" is just a name', () => {
    const xml = `<r><m constructor="${'c'.repeat(40)}" __proto__="${'p'.repeat(40)}" toString="${'t'.repeat(40)}" body="${'b'.repeat(40)}"/></r>`;
    for (const chunk of [1, 3, 5, 4096]) {
      const out = parse(guarded(xml, chunk, { attributes: { body: 10 }, binary: { data: 100 } }));
      const m = out.values[1]!;
      assert.equal(m.constructor, 'c'.repeat(40), `chunks of ${chunk}`);
      assert.equal(m.toString, 't'.repeat(40));
      assert.equal(m.body, 'b'.repeat(10) + CUT_MARK, `chunks of ${chunk}: the cap of "body" found across chunks`);
    }
  });

  it('refuses markup longer than LIMITS.xmlMarkup: a tag name, a comment, a DOCTYPE', () => {
    for (const xml of [`<${'a'.repeat(LIMITS.xmlMarkup + 1)}/>`, `<r><!--${'x'.repeat(LIMITS.xmlMarkup + 1)}--></r>`, `<!DOCTYPE r [${' '.repeat(LIMITS.xmlMarkup + 1)}]><r/>`]) {
      assert.throws(() => guarded(xml, 4096), isLimit('xmlMarkup'));
    }
  });

  it('a tag with thousands of attributes cannot add up to more than one long value', () => {
    const attrs = Array.from({ length: 2000 }, (_, i) => `a${i}="${'v'.repeat(1000)}"`).join(' ');
    const out = parse(guarded(`<r ${attrs}/>`, 65536));
    const values = Object.values(out.values[0]!);
    const total = values.reduce((n, v) => n + (wasCut(v) ? v.length - CUT_MARK.length : v.length), 0);
    assert.ok(total <= 5 * LIMITS.xmlValue, `${total} characters of values passed`);
    assert.ok(values.slice(-100).every((v) => v === CUT_MARK), 'the last ones are empty and marked');
  });
});

describe('caps on untrusted input: every format', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  let repo: RecordRepo;
  before(async () => {
    env = await importEnv();
    repo = new RecordRepo(env.vault.context);
  });
  after(() => env.cleanup());

  const records = (itemId: string) => [...repo.listMessages(env.caseId), ...repo.listTransactions(env.caseId)].filter((r) => r.source.itemId === itemId);
  const long = (n: number, unit = '诈') => unit.repeat(n);

  it('SMS and MMS: long bodies, names and addresses are cut and marked; the other messages are whole', async () => {
    const xml = smsBackup([
      smsElement({ address: long(2 * KiB, '9'), date: 1706681100000, type: 1, body: long(FIELD_CAPS.body + 10), contactName: long(2 * KiB, '王') }),
      smsElement({ address: '95588', date: 1706681160000, type: 1, body: '正常的短信' }),
      mmsElement({ address: '10086', date: 1706681220000, box: 1, text: long(FIELD_CAPS.body + 5, 'm') }),
    ]);
    const r = await importFile(env.vault, env.caseId, await env.file('long.xml', xml));
    const msgs = records(r.source.itemId) as MessageRecord[];
    assert.equal(msgs.length, 3);
    msgs.forEach(assertCapped);
    assert.ok(wasCut(msgs[0]!.body) && wasCut(msgs[0]!.counterpartName!) && wasCut(msgs[0]!.counterpartAddress!));
    assert.ok(msgs[0]!.body.startsWith(long(1000)));
    assert.equal(msgs[1]!.body, '正常的短信');
    assert.ok(wasCut(msgs[2]!.body));
    assert.ok(r.warnings.some((w) => /^element 1: body, counterpartAddress, counterpartName/.test(w)), JSON.stringify(r.warnings));
    assert.ok(r.warnings.some((w) => /^element 3: body/.test(w)));
  });

  it('MMS attachments: at most LIMITS.attachmentsPerMessage stored, none past LIMITS.attachmentBytes; the message stays', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const many = mmsElement({ address: '10086', date: 1706681300000, box: 1, text: 'many' }).replace('</parts>', Array.from({ length: LIMITS.attachmentsPerMessage + 6 }, (_, i) => `<part seq="${i + 10}" ct="image/png" cl="p${i}.png" data="${Buffer.concat([png, Buffer.from(String(i))]).toString('base64')}" />`).join('\n') + '</parts>');
    const big = mmsElement({ address: '10086', date: 1706681400000, box: 1, text: 'big', image: { data: Buffer.alloc(LIMITS.attachmentBytes + 1, 7), name: 'big.png', ct: 'image/png' } });
    const r = await importFile(env.vault, env.caseId, await env.file('mms-many.xml', smsBackup([many, big])));
    const msgs = records(r.source.itemId) as MessageRecord[];
    assert.deepEqual(msgs.map((m) => m.body), ['many', 'big']);
    assert.equal(msgs[0]!.attachments.length, LIMITS.attachmentsPerMessage);
    assert.equal(msgs[1]!.attachments.length, 0);
    assert.equal(r.attachmentItemIds.length, LIMITS.attachmentsPerMessage);
    assert.ok(r.warnings.some((w) => /element 1 part \d+: more than 64 attachments/.test(w)), JSON.stringify(r.warnings));
    assert.ok(r.warnings.some((w) => /element 2 part 0: its attachments are larger than 16 MiB/.test(w)));
  });

  it('bills, bank statements and chats: every text field capped, with a warning naming the row', async () => {
    const ali = alipayRows(3);
    ali[1]!.counterparty = long(2 * KiB, '骗');
    ali[1]!.goods = long(FIELD_CAPS.note + 1, '货');
    const we = wechatRows(3);
    we[2]!.counterparty = long(2 * KiB, '骗');
    we[2]!.txId = long(2 * KiB, '9');
    const weX = wechatRows(2).map((r) => ({ ...r, txId: `X${r.txId}` }));
    weX[0]!.goods = long(FIELD_CAPS.note + 1, '货');
    const bank = Buffer.from(`摘要,交易日期,支出金额,存入金额,余额,对方户名,对方账号,交易流水号,附言\n转账,2024/02/01 09:30:00,100.00,,1,${long(2 * KiB, '李')},6217,SN1,${long(FIELD_CAPS.note + 9, '投')}\n`);
    const ofx = `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240115<TRNAMT>-1.00<FITID>${long(2 * KiB, '1')}<NAME>${long(2 * KiB, 'N')}<MEMO>${long(FIELD_CAPS.note + 1, 'M')}</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n`;
    const camt = (await readFile(await crafted.camtHugeNote(join(env.dir, 'camt.xml'), 300 * KiB), 'utf8')).replace('Scam GmbH', long(2 * KiB, 'S'));
    const whatsapp = `31/01/2024, 14:05 - ${long(2 * KiB, 'A')}: ${long(1000, 'x')}\n${`${long(64 * KiB, 'y')}\n`.repeat(5)}31/01/2024, 14:06 - Me: ok\n`;
    const telegram = JSON.stringify({ name: long(2 * KiB, 'C'), messages: [{ id: 1, type: 'message', date: '2024-01-31T14:05:00', date_unixtime: '1706681100', from: long(2 * KiB, 'F'), from_id: long(2 * KiB, 'u'), text: [long(FIELD_CAPS.body, 't'), { type: 'bold', text: 'more' }] }] });
    const files: [string, Buffer | string, Parameters<typeof importFile>[3]][] = [
      ['alipay.csv', alipayCsv(ali), {}],
      ['wechat.csv', wechatCsv(we), {}],
      ['wechat.xlsx', await wechatXlsx(weX), {}],
      ['bank.csv', bank, { format: 'bank-csv', profile: { ...BANK_PROFILE, encoding: 'utf-8' } }],
      ['stmt.ofx', ofx, {}],
      ['camt.xml', camt, {}],
      ['chat.txt', whatsapp, { format: 'whatsapp' }],
      ['result.json', telegram, {}],
    ];
    for (const [name, data, options] of files) {
      const r = await importFile(env.vault, env.caseId, await env.file(name, data), options);
      const got = records(r.source.itemId);
      assert.ok(got.length >= 1, name);
      got.forEach(assertCapped);
      const cut = got.filter((g) => Object.values(g).some((v) => typeof v === 'string' && wasCut(v)));
      assert.ok(cut.length >= 1, `${name}: a field was cut`);
      for (const c of cut) assert.ok(r.warnings.some((w) => w.startsWith(`${c.source.locator}: `) && /cut/.test(w)), `${name}: warning for ${c.source.locator}: ${JSON.stringify(r.warnings)}`);
      assert.ok(r.warnings.every((w) => w.length <= FIELD_CAPS.warning + CUT_MARK.length), `${name}: warnings are capped`);
    }
  });

  it('iOS sms.db: a body too large to load is never loaded; the record says it was cut', async () => {
    const path = join(env.dir, 'sms.db');
    makeSmsDb(path);
    const db = new Database(path);
    db.prepare("INSERT INTO message (guid, text, handle_id, service, date, is_from_me) VALUES ('big', CAST(zeroblob(?) AS TEXT), 1, 'SMS', 728373900000000000, 0)").run(8 * MiB);
    db.prepare("INSERT INTO message (guid, text, handle_id, service, date, is_from_me) VALUES ('long', ?, 1, 'SMS', 728373900000000001, 0)").run(long(FIELD_CAPS.body + 3, 'L'));
    db.close();
    const r = await importFile(env.vault, env.caseId, path);
    const msgs = records(r.source.itemId) as MessageRecord[];
    assert.equal(msgs.length, 5);
    msgs.forEach(assertCapped);
    const byRow = (n: number) => msgs.find((m) => m.source.locator === `message ROWID ${n}`)!;
    assert.equal(byRow(4).body, CUT_MARK);
    assert.ok(wasCut(byRow(5).body) && byRow(5).body.startsWith('LLL'));
    assert.ok(r.warnings.some((w) => w.startsWith('message ROWID 4: body')));
    assert.ok(r.warnings.some((w) => w.startsWith('message ROWID 5: body')));
  });

  it('structure beyond the limits refuses the file with IMPORT_LIMIT, storing nothing', async () => {
    const items = () => env.vault.items.list(env.caseId).length;
    const before = items();
    const cases: [string, string | Buffer, LimitName, Parameters<typeof importFile>[3]][] = [
      ['deep.xml', smsBackup([`<sms address="1" date="1706681100000" type="1" body="x">${'<a>'.repeat(LIMITS.xmlDepth)}${'</a>'.repeat(LIMITS.xmlDepth)}</sms>`]), 'xmlDepth', {}],
      ['tag.xml', smsBackup([`<sms ${'x'.repeat(LIMITS.xmlMarkup)}="1" />`]), 'xmlMarkup', {}],
      ['deep.json', `{"name":"x","messages":[],"x":${'['.repeat(LIMITS.jsonDepth + 1)}${']'.repeat(LIMITS.jsonDepth + 1)}}`, 'jsonDepth', { format: 'telegram-json' }],
      ['string.json', `{"name":"x","messages":[{"text":"${'a'.repeat(LIMITS.jsonStringBytes + 1)}"}]}`, 'jsonStringBytes', { format: 'telegram-json' }],
      ['line.csv', Buffer.concat([alipayCsv(alipayRows(2), { encoding: 'utf8' }), Buffer.from('x'.repeat(LIMITS.lineBytes + 1))]), 'lineBytes', {}],
      ['lines.txt', `31/01/2024, 14:05 - A: hi\n${'\n'.repeat(LIMITS.lines)}`, 'lines', { format: 'whatsapp' }],
      ['element.ofx', `OFXHEADER:100\n<OFX><MEMO>${'m'.repeat(LIMITS.lineBytes + 1)}</OFX>`, 'lineBytes', { format: 'ofx' }],
    ];
    for (const [name, data, limit, options] of cases) {
      await assert.rejects(importFile(env.vault, env.caseId, await env.file(name, data), options), isLimit(limit), name);
    }
    assert.equal(items(), before);
  });
});

interface ChildReport {
  ok: boolean;
  code?: string;
  params?: Record<string, string>;
  warnings?: string[];
  partial?: { reason: string } | null;
  bodies?: { length: number; tail: string }[];
  notes?: { note?: number }[];
  items?: number;
  maxRssMB: number;
}

/** Imports a file in a child process the way "redress import" does, and reports its peak memory. */
function importInChild(dataDir: string, caseId: string, path: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, caseId, path], { cwd: ROOT, env: { ...process.env, REDRESS_TEST_KDF: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out) as ChildReport);
      } catch {
        reject(new Error(`child exited ${code}: ${(out + err).slice(-2000)}`));
      }
    });
  });
}

describe('crafted inputs of hundreds of MiB: a clear result, under 300 MB of peak memory', () => {
  const MAX_RSS_MB = 300;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const cases: { name: string; make: (path: string) => Promise<string>; expect: (r: ChildReport) => void }[] = [
    {
      name: 'SMS backup, one body of 400 MiB',
      make: (p) => crafted.smsHugeBody(p, 400 * MiB),
      expect: (r) => {
        assert.ok(r.ok, JSON.stringify(r));
        assert.deepEqual(r.bodies!.map((b) => b.length <= FIELD_CAPS.body + CUT_MARK.length), [true, true]);
        assert.ok(r.bodies![0]!.tail.endsWith(CUT_MARK));
        assert.equal(r.bodies![1]!.tail, 'after the crafted one');
        assert.match(r.warnings![0]!, /^element 1: body longer than Redress keeps/);
      },
    },
    {
      name: 'SMS backup, a name and an address of 100 MiB each',
      make: (p) => crafted.smsHugeNames(p, 100 * MiB),
      expect: (r) => assert.ok(r.ok && /^element 1: counterpartAddress, counterpartName/.test(r.warnings![0]!), JSON.stringify(r)),
    },
    {
      name: 'MMS with a 300 MiB attachment',
      make: (p) => crafted.mmsHugeAttachment(p, 300 * MiB),
      expect: (r) => {
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.items, 1, 'only the backup itself is stored');
        assert.ok(r.warnings!.some((w) => /element 1 part 0: its attachments are larger than/.test(w)));
      },
    },
    { name: 'SMS backup with a 400 MiB comment', make: (p) => crafted.smsHugeComment(p, 400 * MiB), expect: (r) => assert.equal(r.params?.limit, 'xmlMarkup', JSON.stringify(r)) },
    { name: 'SMS backup nested a million deep', make: (p) => crafted.smsDeep(p, 1_000_000), expect: (r) => assert.equal(r.params?.limit, 'xmlDepth', JSON.stringify(r)) },
    { name: 'SMS backup of 250,000 messages', make: (p) => crafted.smsMany(p, 250_000), expect: (r) => assert.equal(r.params?.limit, 'records', JSON.stringify(r)) },
    { name: 'SMS backup of 200 bodies of 256 Ki characters', make: (p) => crafted.smsManyLong(p, 200, FIELD_CAPS.body), expect: (r) => assert.equal(r.params?.limit, 'textTotal', JSON.stringify(r)) },
    {
      name: 'camt.053 with a 400 MiB remittance text',
      make: (p) => crafted.camtHugeNote(p, 400 * MiB),
      expect: (r) => assert.ok(r.ok && r.notes![0]!.note! <= FIELD_CAPS.note + CUT_MARK.length && /^Ntry 1: note/.test(r.warnings![0]!), JSON.stringify(r)),
    },
    { name: 'Alipay CSV with a 30 MiB line', make: (p) => crafted.alipayHugeLine(p, 30 * MiB), expect: (r) => assert.equal(r.params?.limit, 'lineBytes', JSON.stringify(r)) },
    { name: 'WhatsApp export with a 30 MiB line', make: (p) => crafted.whatsappHugeLine(p, 30 * MiB), expect: (r) => assert.equal(r.params?.limit, 'lineBytes', JSON.stringify(r)) },
    { name: 'Telegram export with a 60 MiB string', make: (p) => crafted.telegramHugeString(p, 60 * MiB), expect: (r) => assert.equal(r.params?.limit, 'jsonStringBytes', JSON.stringify(r)) },
    { name: 'Telegram export nested a million deep', make: (p) => crafted.telegramDeep(p, 1_000_000), expect: (r) => assert.equal(r.params?.limit, 'jsonDepth', JSON.stringify(r)) },
    { name: 'OFX on one line with a 30 MiB memo', make: (p) => crafted.ofxHugeMemo(p, 30 * MiB), expect: (r) => assert.equal(r.params?.limit, 'lineBytes', JSON.stringify(r)) },
  ];
  const ids: string[] = [];

  before(async () => {
    dir = await tempDir('redress-crafted-');
    const { vault } = await newVault(join(dir.path, 'vault'));
    for (const c of cases) ids.push(vault.cases.create({ title: c.name, incidentType: 'impersonation' }).id);
    await vault.close();
  });
  after(() => dir.cleanup());

  cases.forEach((c, i) => {
    it(c.name, async (t) => {
      const path = await c.make(join(dir.path, `input-${i}`));
      try {
        const r = await importInChild(join(dir.path, 'vault'), ids[i]!, path);
        t.diagnostic(`peak RSS ${r.maxRssMB} MB`);
        c.expect(r);
        if (!r.ok) assert.equal(r.code, 'IMPORT_LIMIT');
        if (!r.ok) assert.equal(r.items, 0, 'a refused file stores nothing');
        assert.ok(r.maxRssMB < MAX_RSS_MB, `peak RSS ${r.maxRssMB} MB`);
      } finally {
        await rm(path, { force: true });
      }
    });
  });
});
