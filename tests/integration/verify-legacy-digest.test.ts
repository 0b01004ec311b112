// Vaults written before records digest version 2 carry version 1 digests (id, content key and locator per record).
// Verify checks what those cover, re-derives each content key from the record, and warns about the rest instead of
// passing silently.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { appendEntry, type Clock } from '../../electron/core/custody/chain.js';
import type { RecordDraft } from '../../electron/core/importers/types.js';
import { contentKey } from '../../electron/core/records/record-repo.js';
import type { Db } from '../../electron/core/vault/database.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { newVault, openVault, tempDir } from '../helpers/vault.js';
import { allProblems, only } from './verify-fixture.js';

const fixture = fileURLToPath(new URL('../fixtures/vault-12.11.1/', import.meta.url));

describe('records digest version 1: a vault written by an older Redress', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let passphrase: string;
  let caseId: string;
  const path = () => join(dir.path, 'data');
  beforeEach(async () => {
    dir = await tempDir();
    await cp(join(fixture, 'data'), path(), { recursive: true });
    ({ passphrase, caseId } = JSON.parse(await readFile(join(fixture, 'expected.json'), 'utf8')) as { passphrase: string; caseId: string });
  });
  afterEach(() => dir.cleanup());

  const open = () => Vault.open(path(), passphrase, { actor: 'test' });
  async function tamper(change: (db: Db) => void) {
    const v = await open();
    v.context.db.pragma('foreign_keys = OFF');
    change(v.context.db);
    await v.close();
  }
  async function verify() {
    const v = await open();
    try {
      return await v.verify();
    } finally {
      await v.close();
    }
  }
  const firstTx = (db: Db) => (db.prepare('SELECT id FROM transactions ORDER BY rowid LIMIT 1').get() as { id: string }).id;

  it('untouched: verifies, with a warning that says what the old digest does not cover', async () => {
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(allProblems(report)));
    const warnings = report.cases.find((c) => c.caseId === caseId)!.warnings;
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.kind, 'records-digest-legacy');
    assert.equal(warnings[0]!.seq, 5);
    assert.equal(
      warnings[0]!.detail,
      `import entry 5 (alipay-csv, "alipay.csv") was recorded by an older Redress, whose records digest (version 1) covers each record's id, source line and content key; verify checked those, re-derived each content key from the record's fields and checked the source item. ` +
        "Through the content key, for 6 transaction(s) with the platform's transaction number, only the platform, that number and the direction are covered: not the amount, time, counterparty or anything else.",
    );
  });

  it("a transaction's source line changed is records-altered", async () => {
    await tamper((db) => db.prepare(`UPDATE transactions SET source_locator = 'row 99' WHERE id = ?`).run(firstTx(db)));
    assert.match(only(await verify(), 'records-altered')[0]!.detail, /so a record was renumbered, moved, or removed and another put in its place$/);
  });

  it("a transaction's platform number changed no longer gives its content key: records-altered", async () => {
    await tamper((db) => db.prepare(`UPDATE transactions SET platform_tx_id = platform_tx_id || '9' WHERE id = ?`).run(firstTx(db)));
    assert.match(only(await verify(), 'records-altered')[0]!.detail, / and \d+, 1 record\(s\) no longer say what their content key says they did$/);
  });

  it('a transaction pointing at another source item is records-altered', async () => {
    await tamper((db) => db.prepare(`UPDATE transactions SET source_item = (SELECT id FROM items WHERE id <> source_item LIMIT 1) WHERE id = ?`).run(firstTx(db)));
    assert.match(only(await verify(), 'records-altered')[0]!.detail, / and \d+, 1 record\(s\) point at another source item$/);
  });

  it('a deleted transaction is records-altered', async () => {
    await tamper((db) => db.prepare('DELETE FROM transactions WHERE id = ?').run(firstTx(db)));
    assert.match(only(await verify(), 'records-altered')[0]!.detail, /5 transaction\(s\) are stored under it; it recorded 0 and 6, records were removed or added/);
  });

  it('what version 1 cannot cover passes, and the warning says so: the amount of a transaction with a platform number', async () => {
    await tamper((db) => db.prepare('UPDATE transactions SET amount_minor = amount_minor * 100, method = ? WHERE id = ?').run('forged', firstTx(db)));
    const report = await verify();
    assert.equal(report.ok, true);
    assert.match(report.cases[0]!.warnings[0]!.detail, /not the amount/);
  });

  it('flags and import rows of an old vault are checked as any', async () => {
    await tamper((db) => {
      db.prepare('UPDATE transactions SET flagged = 1').run();
      db.prepare(`UPDATE imports SET format = 'bank-csv'`).run();
    });
    only(await verify(), 'record-flag-altered', 'import-record-altered');
  });
});

describe('records digest version 1 of messages', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let caseId: string;
  beforeEach(async () => {
    dir = await tempDir();
    const { vault } = await newVault(dir.path);
    caseId = vault.cases.create({ title: 'old', incidentType: 'phishing' }).id;
    const item = (await vault.items.addBuffer(caseId, Buffer.from('<smses/>'), { name: 'sms.xml' })).item;
    const time = (i: number) => ({ instant: `2024-01-31T04:0${i}:00.000Z`, offsetMinutes: 480, zone: 'Asia/Shanghai' });
    // no importer mixes messages and transactions, but an import may: version 1 then hashed messages first
    legacyImport(vault.context.db, vault.context.clock, caseId, item.id, [
      ...[0, 1, 2].map((i): RecordDraft => ({ kind: 'message', locator: `element ${i + 1}`, time: time(i), direction: 'in', channel: 'sms', counterpartAddress: '10086', body: `message ${i}`, attachments: [] })),
      { kind: 'transaction', locator: 'row 1', time: time(3), direction: 'out', amount: { currency: 'CNY', minor: 500_00 }, counterpartyName: 'payee' },
      { kind: 'transaction', locator: 'row 2', time: time(4), direction: 'out', amount: { currency: 'CNY', minor: 700_00 }, counterpartyName: 'payee', method: 'card' },
      { kind: 'transaction', locator: 'row 3', time: time(5), direction: 'out', amount: { currency: 'CNY', minor: 900_00 }, platform: 'alipay', platformTxId: 'T3' },
    ]);
    await vault.items.addBuffer(caseId, Buffer.from('added later'), { name: 'later.txt' });
    await vault.close();
  });
  afterEach(() => dir.cleanup());

  async function verify() {
    const v = await openVault(dir.path);
    try {
      return await v.verify();
    } finally {
      await v.close();
    }
  }
  async function tamper(sql: string) {
    const v = await openVault(dir.path);
    v.context.db.prepare(sql).run();
    await v.close();
  }

  it('untouched: verifies, warning what is not covered for each kind of record', async () => {
    const report = await verify();
    assert.equal(report.ok, true, JSON.stringify(allProblems(report)));
    assert.equal(
      report.cases[0]!.warnings[0]!.detail,
      "import entry 3 (sms-backup-xml) was recorded by an older Redress, whose records digest (version 1) covers each record's id, source line and content key; verify checked those, re-derived each content key from the record's fields and checked the source item. " +
        'Through the content key, for its 3 message(s), the time, direction, channel, counterpart, thread and text are covered, not the time zone and offset nor the attachments; ' +
        'for 2 transaction(s), the time, direction, amount, counterparty, platform, order number and note are covered, not the time zone and offset, method, status or category; ' +
        "for 1 transaction(s) with the platform's transaction number, only the platform, that number and the direction are covered: not the amount, time, counterparty or anything else.",
    );
  });

  it('the warning names only the kinds of record the import still holds, and none when it holds none', async () => {
    const preamble =
      "import entry 3 (sms-backup-xml) was recorded by an older Redress, whose records digest (version 1) covers each record's id, source line and content key; verify checked those, re-derived each content key from the record's fields and checked the source item";
    await tamper("DELETE FROM transactions WHERE platform_tx_id IS NOT NULL");
    assert.equal(
      (await verify()).cases[0]!.warnings[0]!.detail,
      `${preamble}. Through the content key, for its 3 message(s), the time, direction, channel, counterpart, thread and text are covered, not the time zone and offset nor the attachments; ` +
        'for 2 transaction(s), the time, direction, amount, counterparty, platform, order number and note are covered, not the time zone and offset, method, status or category.',
    );
    await tamper('DELETE FROM transactions');
    await tamper('DELETE FROM messages');
    const report = await verify();
    assert.equal(report.cases[0]!.warnings[0]!.detail, `${preamble}.`);
    assert.match(only(report, 'records-altered')[0]!.detail, /0 message\(s\) and 0 transaction\(s\) are stored under it; it recorded 3 and 3, records were removed or added$/);
  });

  it("the amount of a transaction without a platform number is covered by its content key; its method is not", async () => {
    await tamper(`UPDATE transactions SET amount_minor = amount_minor * 100 WHERE source_locator = 'row 1'`);
    assert.match(only(await verify(), 'records-altered')[0]!.detail, / and \d+, 1 record\(s\) no longer say what their content key says they did$/);
  });

  it("a transaction's method, and the amount of one with a platform number, are not covered: they pass (the warning says so)", async () => {
    await tamper(`UPDATE transactions SET method = 'cash' WHERE source_locator = 'row 2'`);
    await tamper(`UPDATE transactions SET amount_minor = 1 WHERE source_locator = 'row 3'`);
    assert.equal((await verify()).ok, true);
  });

  it('the same rows in another insertion order are records-altered', async () => {
    // the first message deleted and inserted again, with all its fields: it now comes last
    const v = await openVault(dir.path);
    const db = v.context.db;
    const row = db.prepare(`SELECT * FROM messages WHERE source_locator = 'element 1'`).get() as Record<string, unknown>;
    db.prepare(`DELETE FROM messages WHERE id = ?`).run(row.id);
    db.prepare(`INSERT INTO messages (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`).run(...(Object.values(row) as (string | number | Buffer | null)[]));
    await v.close();
    assert.match(only(await verify(), 'records-altered')[0]!.detail, /so a record was renumbered, moved, or removed and another put in its place$/);
  });

  it("a message's text rewritten no longer gives its content key: records-altered", async () => {
    await tamper(`UPDATE messages SET body = 'nothing happened' WHERE source_locator = 'element 2'`);
    assert.match(only(await verify(), 'records-altered')[0]!.detail, / and \d+, 1 record\(s\) no longer say what their content key says they did$/);
  });

  for (const set of [`counterpart_address = '10010'`, `counterpart_name = 'x'`, `thread = 'x'`, `channel = 'mms'`, `direction = 'out'`, `time_instant = '2020-01-01T00:00:00.000Z'`]) {
    it(`a message changed by SET ${set} no longer gives its content key: records-altered`, async () => {
      await tamper(`UPDATE messages SET ${set} WHERE source_locator = 'element 1'`);
      only(await verify(), 'records-altered');
    });
  }

  it('a message whose text and source item both changed: both reasons are given', async () => {
    await tamper(`UPDATE messages SET body = 'x', source_item = (SELECT id FROM items WHERE id <> source_item LIMIT 1) WHERE source_locator = 'element 3'`);
    assert.match(only(await verify(), 'records-altered')[0]!.detail, /, 1 record\(s\) no longer say what their content key says they did; 1 record\(s\) point at another source item$/);
  });

  it("a message's time zone changed passes: version 1 does not cover it (the warning says so)", async () => {
    await tamper(`UPDATE messages SET time_zone = 'UTC' WHERE source_locator = 'element 1'`);
    assert.equal((await verify()).ok, true);
  });
});

/** What RecordRepo.insertImport wrote before records digest version 2 (the code of that time, trimmed). */
function legacyImport(db: Db, clock: Clock, caseId: string, itemId: string, records: RecordDraft[]): void {
  db.transaction(() => {
    const importId = randomUUID();
    db.prepare(`INSERT INTO imports (id, case_id, item_id, format, summary, partial, seq) VALUES (?, ?, ?, 'sms-backup-xml', '{}', 0, 0)`).run(importId, caseId, itemId);
    const digest = createHash('sha256');
    const counts = { messages: { read: 0, added: 0, duplicate: 0 }, transactions: { read: 0, added: 0, duplicate: 0 } };
    for (const r of records) {
      const id = randomUUID();
      const key = contentKey(r);
      const t = r.time;
      if (r.kind === 'message') {
        db.prepare(`INSERT INTO messages (id, case_id, import_id, time_instant, time_offset, time_zone, direction, channel, counterpart_address, counterpart_name, body, thread, attachments, source_item, source_locator, content_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(id, caseId, importId, t.instant, t.offsetMinutes, t.zone ?? null, r.direction, r.channel, r.counterpartAddress ?? null, r.counterpartName ?? null, r.body, r.thread ?? null, JSON.stringify(r.attachments), itemId, r.locator, key);
      } else {
        db.prepare(
          `INSERT INTO transactions (id, case_id, import_id, time_instant, time_offset, time_zone, direction, amount_minor, currency, counterparty_name, counterparty_account, platform, platform_tx_id, merchant_order_id, method, status, category, note, source_item, source_locator, content_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(id, caseId, importId, t.instant, t.offsetMinutes, t.zone ?? null, r.direction, r.amount.minor, r.amount.currency, r.counterpartyName ?? null, r.counterpartyAccount ?? null, r.platform ?? null, r.platformTxId ?? null, r.merchantOrderId ?? null, r.method ?? null, r.status ?? null, r.category ?? null, r.note ?? null, itemId, r.locator, key);
      }
      counts[r.kind === 'message' ? 'messages' : 'transactions'].added++;
      digest.update(`${id} ${key.toString('hex')} ${r.locator}\n`);
    }
    const custody = { format: 'sms-backup-xml', sourceItemId: itemId };
    const entry = appendEntry(db, clock, 'test', caseId, 'records.imported', { importId, ...custody, counts, recordsDigest: digest.digest('hex') });
    db.prepare('UPDATE imports SET summary = ?, seq = ? WHERE id = ?').run(JSON.stringify({ ...custody, counts }), entry.seq, importId);
  })();
}
