import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { parseOfxDate } from '../../electron/core/importers/ofx.js';
import { ProfileRepo } from '../../electron/core/importers/profiles.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { BANK_PROFILE, bankCsv, camt053, ofxSgml, ofxXml } from './fixtures/bank.js';
import { importEnv } from './helpers.js';

describe('bank statements', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  let repo: RecordRepo;
  before(async () => {
    env = await importEnv();
    repo = new RecordRepo(env.vault.context);
  });
  after(() => env.cleanup());

  it('bank CSV needs a mapping; a saved profile maps a GBK export by column names', async () => {
    const path = await env.file('明细.csv', bankCsv());
    await assert.rejects(importFile(env.vault, env.caseId, path, { format: 'bank-csv' }), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_PROFILE_REQUIRED');
    await assert.rejects(previewFile(path), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_FORMAT_UNKNOWN' && /bank-csv/.test(String(e.value.params.tried)) === false);
    const profiles = new ProfileRepo(env.vault.context.db);
    profiles.save(BANK_PROFILE);
    assert.deepEqual(profiles.list().map((p) => p.name), ['某某银行']);
    assert.throws(() => profiles.save({ name: 'bad', columns: { time: 'x' } }), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_PROFILE_REQUIRED');
    const result = await importFile(env.vault, env.caseId, path, { profile: '某某银行' });
    assert.equal(result.format, 'bank-csv');
    assert.equal(result.counts.transactions.added, 3);
    const [t1, t2, t3] = repo.listTransactions(env.caseId);
    assert.deepEqual([t1!.direction, t1!.amount.minor, t1!.counterpartyName, t1!.platformTxId, t1!.note], ['out', 5_000_000, '李四', 'SN0001', '投资款']);
    assert.equal(t1!.time.instant, '2024-02-01T01:30:00.000Z');
    assert.deepEqual([t2!.direction, t2!.amount.minor], ['in', 800_000]);
    assert.deepEqual([t3!.direction, t3!.amount.minor, t3!.source.locator], ['out', 1230, 'row 7']);
    const entry = env.vault.log(env.caseId).at(-1)!;
    assert.equal((entry.payload as { profile: { name: string } }).profile.name, '某某银行', 'the mapping used is on the chain');
  });

  it('parses OFX dates with their offsets', () => {
    assert.deepEqual(parseOfxDate('20240131120000[+8:CST]'), { instant: '2024-01-31T04:00:00.000Z', offsetMinutes: 480 });
    assert.deepEqual(parseOfxDate('20240115083000[-5:EST]'), { instant: '2024-01-15T13:30:00.000Z', offsetMinutes: -300 });
    assert.deepEqual(parseOfxDate('20240120'), { instant: '2024-01-20T00:00:00.000Z', offsetMinutes: 0 });
    assert.equal(parseOfxDate('20241340'), null);
  });

  it('imports OFX 1.x (SGML, unclosed leaves) and OFX 2.x (XML)', async () => {
    const sgml = await previewFile(await env.file('stmt.qfx', ofxSgml()));
    assert.equal(sgml.format, 'ofx');
    assert.equal(sgml.partial, null);
    assert.deepEqual(
      sgml.sample.map((r) => r.kind === 'transaction' && [r.direction, r.amount.minor, r.amount.currency, r.platformTxId, r.counterpartyName]),
      [
        ['out', 250000, 'USD', '202401150001', 'CRYPTO INVEST LTD'],
        ['in', 123456, 'USD', '202401200002', 'PAYROLL'],
        ['out', 999, 'USD', '202401250003', 'COFFEE'],
      ],
    );
    assert.equal(sgml.sample[0]!.kind === 'transaction' && sgml.sample[0]!.note, 'Wire & fee');
    assert.equal(sgml.facts.account, '000123456789');
    const xml = await previewFile(await env.file('stmt.ofx', ofxXml()));
    assert.equal(xml.counts.transactions, 1);
    assert.equal(xml.totals[0]!.currency, 'EUR');
    assert.equal(xml.totals[0]!.minor, 10050);
    const cut = await previewFile(await env.file('cut.ofx', ofxSgml({ truncate: true })));
    assert.ok(cut.partial);
    assert.equal(cut.counts.transactions, 2);
  });

  it('imports CAMT.053: direction, counterparty on the other side, currency digits', async () => {
    const path = await env.file('camt053.xml', camt053());
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.format, 'camt053');
    assert.equal(result.counts.transactions.added, 3);
    const txs = repo.listTransactions(env.caseId).filter((t) => t.platform?.startsWith('camt053'));
    assert.deepEqual(
      txs.map((t) => [t.direction, t.amount.minor, t.amount.currency, t.counterpartyName, t.counterpartyAccount, t.platformTxId, t.note]),
      [
        ['out', 150000, 'EUR', 'Scam Trading GmbH', 'GB33BUKB20201555555555', 'REF1', 'Ref 1 & more'],
        ['in', 2050, 'EUR', 'Alice Example', 'FR1420041010050500013M02606', 'REF2', 'Ref 2 & more'],
        ['out', 1000, 'JPY', '詐欺株式会社', 'JP0000000000000000', 'REF3', 'Ref 3 & more'],
      ],
    );
    assert.equal(result.facts.account, 'DE89370400440532013000');
    const cut = await previewFile(await env.file('camt-cut.xml', camt053({ truncate: true })));
    assert.ok(cut.partial);
    assert.equal(cut.counts.transactions, 2);
    await assert.rejects(previewFile(await env.file('camt-xxe.xml', camt053({ doctype: '<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' }))), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_UNSAFE');
  });
});
