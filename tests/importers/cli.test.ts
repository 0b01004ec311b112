import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';
import { BANK_PROFILE, bankCsv } from './fixtures/bank.js';
import { alipayCsv, alipayRows } from './fixtures/bills.js';
import { smsBackup, smsElement, sampleSms } from './fixtures/sms.js';

describe('redress import / messages / transactions / flag', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  let caseId: string;
  const file = async (name: string, data: string | Buffer) => {
    const path = join(dir.path, name);
    await writeFile(path, data);
    return path;
  };

  before(async () => {
    dir = await tempDir();
    env = { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_PASSPHRASE: 'a long enough passphrase', TZ: 'Asia/Shanghai' };
    assert.equal((await cli(['init'], env)).code, 0);
    caseId = (await cli(['case', 'create', '--title', '刷单诈骗', '--type', 'task-scam'], env)).stdout.trim();
  });
  after(() => dir.cleanup());

  it('import --json prints counts, totals per direction and currency in minor units, and new item ids', async () => {
    const rows = alipayRows(9);
    const r = await cli(['import', caseId.slice(0, 8), await file('alipay.csv', alipayCsv(rows)), '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const j = r.json();
    assert.equal(j.format, 'alipay-csv');
    assert.equal(j.counts.transactions.added, 9);
    assert.equal(j.totalsCheck.ok, true);
    assert.deepEqual(j.newItemIds, [j.source.itemId]);
    const out = j.totals.find((t: { direction: string }) => t.direction === 'out');
    assert.deepEqual(out, { direction: 'out', currency: 'CNY', count: 3, minor: 0 + 11103 + 22206 });
    const again = (await cli(['import', caseId, await file('alipay.csv', alipayCsv(rows)), '--json'], env)).json();
    assert.equal(again.counts.transactions.added, 0);
    assert.equal(again.counts.transactions.duplicate, 9);
    assert.equal(again.source.duplicate, true);
    assert.deepEqual(again.newItemIds, []);
  });

  it('import in text mode says what happened, in Chinese under zh_CN', async () => {
    const r = await cli(['import', caseId, await file('sms.xml', smsBackup([0, 1, 2].map((i) => smsElement(sampleSms(i)))))], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /已导入 sms-backup-xml：新增 3 条消息/);
  });

  it('messages and transactions list the records; flag marks them on the custody chain', async () => {
    const m = await cli(['messages', caseId, '--json'], env);
    assert.equal(m.code, 0, m.stderr);
    const messages = m.json().messages;
    assert.equal(messages.length, 3);
    assert.equal(messages[1].body, sampleSms(1).body);
    const text = await cli(['messages', caseId], env);
    assert.match(text.stdout, /2024-01-31 12:01:00 \(UTC\+08:00\)/);
    const t = (await cli(['transactions', caseId, '--json'], env)).json();
    assert.equal(t.transactions.length, 9);
    assert.equal(t.totals.length, 3);
    const f = await cli(['flag', caseId, t.transactions[0].id.slice(0, 8), messages[0].id, '--json'], env);
    assert.equal(f.code, 0, f.stderr);
    assert.equal(f.json().changed, 2);
    assert.equal((await cli(['transactions', caseId, '--flagged', '--json'], env)).json().transactions.length, 1);
    const log = (await cli(['log', caseId, '--json'], env)).json();
    const entries = log.entries ?? log;
    assert.equal(entries.at(-1).action, 'records.flagged');
    assert.equal((await cli(['verify', caseId], env)).code, 0);
    const listed = await cli(['transactions', caseId], env);
    assert.match(listed.stdout, /★ /);
  });

  it('bank CSV with --mapping --save-profile, then --profile', async () => {
    const mapping = await file('mapping.json', JSON.stringify(BANK_PROFILE));
    const r = await cli(['import', caseId, await file('bank.csv', bankCsv()), '--format', 'bank-csv', '--mapping', mapping, '--save-profile', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().counts.transactions.added, 3);
    const again = await cli(['import', caseId, await file('bank-2.csv', Buffer.concat([bankCsv(), Buffer.from('\r\n')])), '--profile', '某某银行', '--json'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().counts.transactions.duplicate, 3);
  });

  it('errors: unknown format (exit 7, formats named), partial file (exit 7, records kept), bad --format (exit 2)', async () => {
    const unknown = await cli(['import', caseId, await file('notes.txt', 'hello\n'), '--json'], env);
    assert.equal(unknown.code, 7);
    assert.equal(unknown.json().error.code, 'IMPORT_FORMAT_UNKNOWN');
    assert.match(unknown.stderr, /tried: sms-backup-xml/);
    const full = smsBackup([3, 4, 5].map((i) => smsElement(sampleSms(i))));
    const partial = await cli(['import', caseId, await file('cut.xml', full.slice(0, full.lastIndexOf('<sms') + 30)), '--json'], env);
    assert.equal(partial.code, 7);
    assert.equal(partial.json().counts.messages.added, 2);
    assert.ok(partial.json().partial.reason);
    assert.match(partial.stderr, /PARTIAL import/);
    const bad = await cli(['import', caseId, 'x', '--format', 'pdf'], env);
    assert.equal(bad.code, 2);
  });
});
