// Verify against messages, transactions, imports and flags changed in the real SQLCipher database, one field at a
// time: each change must be reported as its own kind of problem, at the import's entry (the findings of issue 13:
// amounts ×100, messages rewritten or deleted, a fake ¥999,999.99 transaction, everything flagged all passed).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { RECORD_COLUMNS } from '../../electron/core/custody/records-digest.js';
import type { Db } from '../../electron/core/vault/database.js';
import { allProblems, buildFixture, copyOf, only, tamper, verifyAt, type Fixture } from './verify-fixture.js';

type Value = string | number | Buffer | null;

describe('verify checks every record an import added', () => {
  let fx: Fixture;
  let vault: Awaited<ReturnType<typeof copyOf>>;
  before(async () => void (fx = await buildFixture()));
  after(() => fx.cleanup());
  beforeEach(async () => void (vault = await copyOf(fx)));
  afterEach(() => vault.cleanup());

  const set = (db: Db, table: string, column: string, id: string, value: Value) => {
    assert.equal(db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(value, id).changes, 1);
  };
  const get = (db: Db, table: string, column: string, id: string) => (db.prepare(`SELECT ${column} AS v FROM ${table} WHERE id = ?`).get(id) as { v: Value }).v;

  it('an untouched vault verifies, with no warning (its digests are version 2)', async () => {
    const report = await verifyAt(vault.path);
    assert.equal(report.ok, true, JSON.stringify(allProblems(report)));
    assert.deepEqual(report.cases.flatMap((c) => c.warnings), []);
  });

  /** A different value of the column's type; a NULL becomes a string. */
  const other = (column: string, old: Value): Value => {
    if (column === 'content_key') return randomBytes(16);
    if (column === 'time_instant') return '2020-01-01T00:00:00.000Z';
    if (column === 'direction') return old === 'out' ? 'in' : 'out';
    if (column === 'attachments') return '["forged"]';
    if (typeof old === 'number') return old + 60;
    return old === null ? 'forged' : `${old as string} (forged)`;
  };

  // every column but those whose change also moves the record (tested below): each alone is records-altered
  for (const table of ['messages', 'transactions'] as const) {
    for (const column of RECORD_COLUMNS[table]) {
      if (column === 'case_id' || column === 'import_id') continue;
      it(`a ${table === 'messages' ? 'message' : 'transaction'}'s ${column} changed alone is records-altered at its import's entry`, async () => {
        const id = table === 'messages' ? fx.messageIds[2]! : fx.transactionIds[1]!;
        await tamper(vault.path, (db) => set(db, table, column, id, column === 'id' ? randomUUID() : other(column, get(db, table, column, id))));
        const [problem] = only(await verifyAt(vault.path, { chainOnly: true }), 'records-altered');
        assert.equal(problem!.seq, table === 'messages' ? fx.sms.seq : fx.alipay.seq);
        assert.match(problem!.detail, /so at least one was edited/);
      });
    }
  }

  it('a message moved to another import breaks both imports', async () => {
    await tamper(vault.path, (db) => set(db, 'messages', 'import_id', fx.messageIds[2]!, fx.alipay.importId));
    const problems = only(await verifyAt(vault.path, { chainOnly: true }), 'records-altered');
    assert.deepEqual(problems.map((p) => p.seq).sort(), [fx.sms.seq, fx.alipay.seq].sort());
    assert.match(problems.find((p) => p.seq === fx.alipay.seq)!.detail, /1 message\(s\) and 4 transaction\(s\) are stored under it; it recorded 0 and 4, records were removed or added/);
  });

  it('a transaction moved to another case is missing from its case and unrecorded in the other', async () => {
    await tamper(vault.path, (db) => set(db, 'transactions', 'case_id', fx.transactionIds[1]!, fx.otherCaseId));
    const report = await verifyAt(vault.path, { chainOnly: true });
    only(report, 'records-altered', 'record-unrecorded');
    assert.deepEqual(
      report.cases.find((c) => c.caseId === fx.otherCaseId)!.problems.map((p) => p.kind),
      ['record-unrecorded'],
    );
  });

  it('every amount ×100 is records-altered', async () => {
    await tamper(vault.path, (db) => db.prepare('UPDATE transactions SET amount_minor = amount_minor * 100 + 1').run());
    const [problem] = only(await verifyAt(vault.path), 'records-altered');
    assert.equal(problem!.seq, fx.alipay.seq);
  });

  it('every message rewritten is records-altered', async () => {
    await tamper(vault.path, (db) => db.prepare(`UPDATE messages SET body = 'nothing happened'`).run());
    assert.equal(only(await verifyAt(vault.path), 'records-altered')[0]!.seq, fx.sms.seq);
  });

  it('a deleted message is records-altered, with the counts', async () => {
    await tamper(vault.path, (db) => db.prepare('DELETE FROM messages WHERE id = ?').run(fx.messageIds[3]));
    const [problem] = only(await verifyAt(vault.path), 'records-altered');
    assert.equal(problem!.seq, fx.sms.seq);
    assert.match(problem!.detail, /3 message\(s\) and 0 transaction\(s\) are stored under it; it recorded 4 and 0, records were removed or added/);
    assert.match(problem!.detail, /import entry \d+ \(sms-backup-xml, "sms\.xml"\)/);
  });

  it('a deleted transaction is records-altered', async () => {
    await tamper(vault.path, (db) => db.prepare('DELETE FROM transactions WHERE id = ?').run(fx.transactionIds[3]));
    assert.match(only(await verifyAt(vault.path), 'records-altered')[0]!.detail, /3 transaction\(s\) are stored under it; it recorded 0 and 4/);
  });

  const fakeTransaction = (db: Db, importId: string) => {
    const row = db.prepare('SELECT * FROM transactions WHERE id = ?').get(fx.transactionIds[1]) as Record<string, Value>;
    const fake = { ...row, id: randomUUID(), import_id: importId, amount_minor: 99_999_999, counterparty_name: '安全账户', content_key: randomBytes(16), flagged: 0 };
    const columns = Object.keys(fake);
    db.prepare(`INSERT INTO transactions (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(fake));
  };

  it('a fake ¥999,999.99 transaction under a real import is records-altered', async () => {
    await tamper(vault.path, (db) => fakeTransaction(db, fx.alipay.importId));
    assert.match(only(await verifyAt(vault.path), 'records-altered')[0]!.detail, /5 transaction\(s\) are stored under it; it recorded 0 and 4/);
  });

  it('a fake transaction under an import that no entry records is record-unrecorded', async () => {
    const importId = randomUUID();
    await tamper(vault.path, (db) => fakeTransaction(db, importId));
    const [problem] = only(await verifyAt(vault.path), 'record-unrecorded');
    assert.match(problem!.detail, new RegExp(`0 message\\(s\\) and 1 transaction\\(s\\) belong to import ${importId}, which no custody entry records`));
    assert.equal(problem!.seq, undefined);
  });

  it('a fake import row in a case whose chain has another problem is still one that no entry records', async () => {
    const importId = randomUUID();
    await tamper(vault.path, (db) => {
      db.prepare(`INSERT INTO imports (id, case_id, item_id, format, summary, partial, seq) VALUES (?, ?, ?, 'alipay-csv', '{}', 0, 99)`).run(importId, fx.caseId, fx.alipay.itemId);
      const row = db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = 1').get(fx.caseId) as { body: string };
      db.prepare('UPDATE custody SET body = ? WHERE case_id = ? AND seq = 1').run(row.body.replace('"They called."', '"They wrote."'), fx.caseId);
    });
    const problems = allProblems(await verifyAt(vault.path, { chainOnly: true }));
    assert.ok(problems.some((p) => p.kind === 'entry-altered' && p.seq === 1));
    assert.equal(problems.find((p) => p.kind === 'import-unrecorded')!.detail, `the import ${importId} (alipay-csv) has no custody entry`);
  });

  it('a fake import row with a fake transaction: import-unrecorded and record-unrecorded', async () => {
    const importId = randomUUID();
    await tamper(vault.path, (db) => {
      db.prepare(`INSERT INTO imports (id, case_id, item_id, format, summary, partial, seq) VALUES (?, ?, ?, 'alipay-csv', '{}', 0, 99)`).run(importId, fx.caseId, fx.alipay.itemId);
      fakeTransaction(db, importId);
    });
    const problems = only(await verifyAt(vault.path), 'import-unrecorded', 'record-unrecorded');
    assert.match(problems.find((p) => p.kind === 'import-unrecorded')!.detail, new RegExp(`the import ${importId} \\(alipay-csv\\) has no custody entry`));
    assert.equal(problems.find((p) => p.kind === 'record-unrecorded')!.seq, 99);
  });

  it('ids that are not valid UTF-8 (read back with U+FFFD, in another order than SQLite sorts them) are records-altered, not a crash', async () => {
    await tamper(vault.path, (db) => {
      db.prepare(`UPDATE messages SET id = CAST(X'80' AS TEXT) WHERE id = ?`).run(fx.messageIds[2]);
      db.prepare(`UPDATE messages SET id = CAST(X'C3A9' AS TEXT) WHERE id = ?`).run(fx.messageIds[3]);
    });
    assert.equal(only(await verifyAt(vault.path), 'records-altered')[0]!.seq, fx.sms.seq);
  });

  describe('flags are replayed from the flag entries', () => {
    it('a record flagged in the database alone is record-flag-altered', async () => {
      await tamper(vault.path, (db) => set(db, 'transactions', 'flagged', fx.transactionIds[3]!, 1));
      const [problem] = only(await verifyAt(vault.path), 'record-flag-altered');
      assert.match(problem!.detail, new RegExp(`^1 record\\(s\\) are flagged as evidence though no custody entry flags them: transaction ${fx.transactionIds[3]}$`));
    });

    it('a flagged record unflagged in the database alone is record-flag-altered', async () => {
      await tamper(vault.path, (db) => set(db, 'messages', 'flagged', fx.flagged[0]!, 0));
      const [problem] = only(await verifyAt(vault.path), 'record-flag-altered');
      assert.match(problem!.detail, new RegExp(`^1 record\\(s\\) that the custody chain flags as evidence are not flagged: message ${fx.flagged[0]}$`));
    });

    it('a record flagged again after its unflag entry is record-flag-altered', async () => {
      await tamper(vault.path, (db) => set(db, 'messages', 'flagged', fx.unflagged, 1));
      only(await verifyAt(vault.path), 'record-flag-altered');
    });

    it('a flag of another value than 0 or 1 is record-flag-altered', async () => {
      await tamper(vault.path, (db) => set(db, 'transactions', 'flagged', fx.flagged[1]!, 2));
      only(await verifyAt(vault.path), 'record-flag-altered');
    });

    it('three records flagged: all three named', async () => {
      await tamper(vault.path, (db) => {
        for (const id of [fx.messageIds[2]!, fx.messageIds[3]!]) set(db, 'messages', 'flagged', id, 1);
        set(db, 'transactions', 'flagged', fx.transactionIds[1]!, 1);
      });
      const [problem] = only(await verifyAt(vault.path), 'record-flag-altered');
      assert.match(problem!.detail, /^3 record\(s\) are flagged as evidence though no custody entry flags them: message [0-9a-f-]{36}, message [0-9a-f-]{36}, transaction [0-9a-f-]{36}$/);
    });

    it('everything flagged is record-flag-altered, with a count and three examples', async () => {
      await tamper(vault.path, (db) => {
        db.prepare('UPDATE messages SET flagged = 1').run();
        db.prepare('UPDATE transactions SET flagged = 1').run();
      });
      const [problem] = only(await verifyAt(vault.path), 'record-flag-altered');
      assert.match(problem!.detail, /^5 record\(s\) are flagged as evidence though no custody entry flags them: message [0-9a-f-]{36}, message [0-9a-f-]{36}, message [0-9a-f-]{36} and 2 more$/);
    });
  });

  describe('import rows are checked against their entries', () => {
    const cases: [column: string, label: string, value: (fx: Fixture) => Value][] = [
      ['item_id', 'source item', (f) => f.sms.itemId],
      ['format', 'format', () => 'bank-csv'],
      ['partial', 'partial', () => 1],
      ['seq', 'entry number', () => 2],
    ];
    for (const [column, label, value] of cases) {
      it(`an import row's ${column} changed alone is import-record-altered (${label})`, async () => {
        await tamper(vault.path, (db) => set(db, 'imports', column, fx.alipay.importId, value(fx)));
        const [problem] = only(await verifyAt(vault.path), 'import-record-altered');
        assert.equal(problem!.seq, fx.alipay.seq);
        assert.equal(problem!.detail, `the import recorded in entry ${fx.alipay.seq}: ${label} differ from the custody chain`);
      });
    }

    it('two columns of an import row changed are both named', async () => {
      await tamper(vault.path, (db) => {
        set(db, 'imports', 'format', fx.alipay.importId, 'bank-csv');
        set(db, 'imports', 'partial', fx.alipay.importId, 1);
      });
      assert.equal(only(await verifyAt(vault.path), 'import-record-altered')[0]!.detail, `the import recorded in entry ${fx.alipay.seq}: format, partial differ from the custody chain`);
    });

    it("an image's metadata changed in its import row is import-record-altered (summary)", async () => {
      await tamper(vault.path, (db) => {
        const summary = get(db, 'imports', 'summary', fx.photo.importId) as string;
        assert.ok(summary.includes('"iPhone 13"'));
        set(db, 'imports', 'summary', fx.photo.importId, summary.replace('"iPhone 13"', '"Pixel 8"'));
      });
      assert.match(only(await verifyAt(vault.path), 'import-record-altered')[0]!.detail, /: summary differ/);
    });

    it("an import's totals changed in its row are import-record-altered; a summary that is not JSON too", async () => {
      await tamper(vault.path, (db) => {
        const summary = JSON.parse(get(db, 'imports', 'summary', fx.alipay.importId) as string);
        summary.totals[0].minor *= 100;
        set(db, 'imports', 'summary', fx.alipay.importId, JSON.stringify(summary));
        set(db, 'imports', 'summary', fx.sms.importId, '{not json');
      });
      const problems = only(await verifyAt(vault.path), 'import-record-altered');
      assert.deepEqual(problems.map((p) => p.seq).sort(), [fx.sms.seq, fx.alipay.seq].sort());
    });

    it('the same summary with its keys in another order is not a change', async () => {
      await tamper(vault.path, (db) => {
        const summary = JSON.parse(get(db, 'imports', 'summary', fx.alipay.importId) as string) as Record<string, unknown>;
        set(db, 'imports', 'summary', fx.alipay.importId, JSON.stringify(Object.fromEntries(Object.entries(summary).reverse())));
      });
      assert.equal((await verifyAt(vault.path)).ok, true);
    });

    it('a deleted import row is import-record-missing', async () => {
      await tamper(vault.path, (db) => db.prepare('DELETE FROM imports WHERE id = ?').run(fx.photo.importId));
      const [problem] = only(await verifyAt(vault.path), 'import-record-missing');
      assert.equal(problem!.detail, `the import recorded in entry ${fx.photo.seq} (image) is no longer in the vault`);
    });

    it('an import row moved to another case is missing from its case and unrecorded in the other', async () => {
      await tamper(vault.path, (db) => set(db, 'imports', 'case_id', fx.photo.importId, fx.otherCaseId));
      const report = await verifyAt(vault.path);
      only(report, 'import-record-missing', 'import-unrecorded');
      assert.deepEqual(
        report.cases.find((c) => c.caseId === fx.otherCaseId)!.problems.map((p) => p.kind),
        ['import-unrecorded'],
      );
    });
  });

  it('records and imports of a chain cut off before their entries are reported as lost with it', async () => {
    // cut at the Alipay import: the photo's entry, after it, is reported lost only because the chain is cut short
    assert.ok(fx.alipay.seq < fx.photo.seq);
    await tamper(vault.path, (db) => db.prepare('DELETE FROM custody WHERE case_id = ? AND seq >= ?').run(fx.caseId, fx.alipay.seq));
    const problems = allProblems(await verifyAt(vault.path, { chainOnly: true }));
    assert.equal(problems.find((p) => p.kind === 'chain-truncated')!.seq, fx.alipay.seq);
    assert.ok(
      problems.some((p) => p.kind === 'import-unrecorded' && p.detail === `the import ${fx.photo.importId} (image) is recorded in entry ${fx.photo.seq}, which failed verification`),
      JSON.stringify(problems.filter((p) => p.kind === 'import-unrecorded')),
    );
    assert.match(problems.find((p) => p.kind === 'item-unrecorded' && p.itemId === fx.excludedId)!.detail, /^item "unrelated.txt" is recorded in entry \d+, which failed verification$/);
  });

  it('a table gone from the database is an error, not a finding about pages', async () => {
    await tamper(vault.path, (db) => db.exec('DROP TABLE imports'));
    await assert.rejects(verifyAt(vault.path, { chainOnly: true }), /no such table: imports/);
  });

  it('records of an import whose entry was rewritten are reported as lost with it', async () => {
    await tamper(vault.path, (db) => {
      const row = db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = ?').get(fx.caseId, fx.alipay.seq) as { body: string };
      db.prepare('UPDATE custody SET body = ? WHERE case_id = ? AND seq = ?').run(row.body.replace('"alipay.csv"', '"other.csv"'), fx.caseId, fx.alipay.seq);
    });
    const problems = only(await verifyAt(vault.path), 'entry-altered', 'import-unrecorded', 'record-unrecorded');
    assert.match(problems.find((p) => p.kind === 'record-unrecorded')!.detail, new RegExp(`4 transaction\\(s\\) belong to the import recorded in entry ${fx.alipay.seq}, which failed verification`));
    assert.match(problems.find((p) => p.kind === 'import-unrecorded')!.detail, new RegExp(`is recorded in entry ${fx.alipay.seq}, which failed verification`));
  });
});
