// Each column of an item row changed alone in the real SQLCipher database, and nothing else: verify must name the
// item and the field (a review deleted 4 of the 7 item checks and every test still passed; capture time backdated
// to 2020-01-01 verified and went into the packet).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { openVault } from '../helpers/vault.js';
import { allProblems, buildFixture, copyOf, only, tamper, verifyAt, type Fixture } from './verify-fixture.js';

type Value = string | number | null;

/** The value functions only read ids; this tells, before the fixture is built, which tests set a NULL. */
const fxStub = { sms: { itemId: 's' }, photo: { itemId: 'p' }, alipay: { itemId: 'a' } } as unknown as Fixture;

describe('verify checks every field of every item row', () => {
  let fx: Fixture;
  let vault: Awaited<ReturnType<typeof copyOf>>;
  before(async () => void (fx = await buildFixture()));
  after(() => fx.cleanup());
  beforeEach(async () => void (vault = await copyOf(fx)));
  afterEach(() => vault.cleanup());

  // [column, the label verify uses, which item, the new value]
  const fields: [string, string, string, (f: Fixture) => string, (f: Fixture) => Value][] = [
    ['kind', 'kind', 'the photo', (f) => f.photo.itemId, () => 'bank-record'],
    ['title', 'title', 'the SMS backup', (f) => f.sms.itemId, () => 'something else'],
    ['notes', 'notes', 'the SMS backup', (f) => f.sms.itemId, () => 'nothing happened'],
    ['tags', 'tags', 'the SMS backup', (f) => f.sms.itemId, () => '["sms"]'],
    ['source', 'source', 'the Alipay bill', (f) => f.alipay.itemId, () => 'screen capture'],
    ['original_name', 'original name', 'the Alipay bill', (f) => f.alipay.itemId, () => 'bank.csv'],
    ['original_name', 'original name', 'the excluded item', (f) => f.excludedId, () => null],
    ['media_type', 'media type', 'the photo', (f) => f.photo.itemId, () => 'image/png'],
    ['size', 'size', 'the Alipay bill', (f) => f.alipay.itemId, () => 1],
    ['sha256', 'sha256', 'the Alipay bill', (f) => f.alipay.itemId, () => 'a'.repeat(64)],
    ['object_name', 'stored file', 'the Alipay bill', (f) => f.alipay.itemId, () => 'b'.repeat(64)],
    ['captured_at', 'capture time', 'the photo', (f) => f.photo.itemId, () => '2020-01-01T00:00:00.000Z'],
    ['captured_offset', 'capture offset', 'the photo', (f) => f.photo.itemId, () => -300],
    ['captured_zone', 'capture zone', 'the photo', (f) => f.photo.itemId, () => 'America/New_York'],
    ['derived_from', 'derivation', 'the MMS picture', (f) => f.attachmentId, () => null],
    ['derived_from', 'derivation', 'the photo', (f) => f.photo.itemId, (f) => f.sms.itemId],
    ['excluded_reason', 'exclusion', 'the excluded item', (f) => f.excludedId, () => 'a different reason'],
    ['excluded_reason', 'exclusion', 'the photo', (f) => f.photo.itemId, () => 'duplicate'],
    ['excluded_at', 'exclusion time', 'the excluded item', (f) => f.excludedId, () => '2020-01-01T00:00:00.000Z'],
    ['excluded_at', 'exclusion time', 'the photo', (f) => f.photo.itemId, () => '2020-01-01T00:00:00.000Z'],
    ['added_seq', 'entry number', 'the photo', (f) => f.photo.itemId, () => 1],
  ];
  for (const [column, label, name, item, value] of fields) {
    it(`${name}: its ${column} changed alone${value(fxStub) === null ? ' to NULL' : ''} is item-record-altered (${label})`, async () => {
      const itemId = item(fx);
      await tamper(vault.path, (db) => assert.equal(db.prepare(`UPDATE items SET ${column} = ? WHERE id = ?`).run(value(fx), itemId).changes, 1));
      const [problem] = only(await verifyAt(vault.path, { chainOnly: true }), 'item-record-altered');
      assert.equal(problem!.itemId, itemId);
      assert.match(problem!.detail, new RegExp(`^item ".*": ${label} differ from the custody chain$`));
    });
  }

  it("an item's sha256 changed: a full verify also finds that the stored original hashes to something else", async () => {
    const other = 'c'.repeat(64);
    await tamper(vault.path, (db) => db.prepare('UPDATE items SET sha256 = ? WHERE id = ?').run(other, fx.alipay.itemId));
    const problems = only(await verifyAt(vault.path), 'item-record-altered', 'item-file-altered');
    assert.match(problems.find((p) => p.kind === 'item-file-altered')!.detail, new RegExp(`^the stored original of "alipay.csv" hashes to [0-9a-f]{64}, not ${other}$`));
  });

  it('a full verify reports its progress item by item, and stops when cancelled', async () => {
    const v = await openVault(vault.path);
    try {
      const seen: string[] = [];
      const report = await v.verify(fx.caseId, { onProgress: (p) => seen.push(`${p.caseId === fx.caseId} ${p.itemsDone}/${p.itemsTotal}`) });
      assert.equal(report.ok, true);
      const n = report.cases[0]!.items;
      assert.deepEqual(seen, Array.from({ length: n }, (_, i) => `true ${i + 1}/${n}`));
      await assert.rejects(v.verify(fx.caseId, { signal: AbortSignal.abort() }), { code: 'CANCELLED' });
      assert.equal((await v.verify(fx.caseId, { signal: AbortSignal.abort(), chainOnly: true })).ok, true, 'chain only: no file loop to cancel');
    } finally {
      await v.close();
    }
  });

  it('two fields changed are both named', async () => {
    await tamper(vault.path, (db) => db.prepare(`UPDATE items SET notes = 'x', captured_at = '2020-01-01T00:00:00.000Z' WHERE id = ?`).run(fx.sms.itemId));
    assert.match(only(await verifyAt(vault.path), 'item-record-altered')[0]!.detail, /: notes, capture time differ/);
  });

  it('the capture time backdated is caught by a full verify too', async () => {
    await tamper(vault.path, (db) => db.prepare(`UPDATE items SET captured_at = '2020-01-01T00:00:00.000Z' WHERE id = ?`).run(fx.photo.itemId));
    only(await verifyAt(vault.path), 'item-record-altered');
  });

  it("an item's id changed is an item with no entry and an entry with no item", async () => {
    const newId = randomUUID();
    await tamper(vault.path, (db) => db.prepare('UPDATE items SET id = ? WHERE id = ?').run(newId, fx.excludedId));
    const problems = only(await verifyAt(vault.path, { chainOnly: true }), 'item-unrecorded', 'item-record-missing');
    assert.equal(problems.find((p) => p.kind === 'item-unrecorded')!.itemId, newId);
    assert.equal(problems.find((p) => p.kind === 'item-unrecorded')!.detail, 'item "unrelated.txt" has no custody entry');
    assert.equal(problems.find((p) => p.kind === 'item-record-missing')!.itemId, fx.excludedId);
    assert.match(problems.find((p) => p.kind === 'item-record-missing')!.detail, /^item added in entry \d+ \(sha256 [0-9a-f]{12}…\) is no longer in the vault$/);
  });

  it("an item with no entry, in a case whose chain is broken elsewhere, still says it has no custody entry", async () => {
    const newId = randomUUID();
    await tamper(vault.path, (db) => {
      db.prepare('UPDATE items SET id = ? WHERE id = ?').run(newId, fx.excludedId);
      const row = db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = 1').get(fx.caseId) as { body: string };
      const body = JSON.parse(row.body) as { time: string };
      body.time = '2020-01-01T00:00:00.000Z';
      db.prepare('UPDATE custody SET body = ? WHERE case_id = ? AND seq = 1').run(JSON.stringify(body), fx.caseId);
    });
    const problems = allProblems(await verifyAt(vault.path, { chainOnly: true }));
    assert.ok(problems.some((p) => p.kind === 'entry-altered' && p.seq === 1));
    assert.equal(problems.find((p) => p.kind === 'item-unrecorded')!.detail, 'item "unrelated.txt" has no custody entry');
  });

  it('an item moved to another case is missing from its case and unrecorded in the other', async () => {
    await tamper(vault.path, (db) => db.prepare('UPDATE items SET case_id = ? WHERE id = ?').run(fx.otherCaseId, fx.excludedId));
    const report = await verifyAt(vault.path, { chainOnly: true });
    only(report, 'item-unrecorded', 'item-record-missing');
    assert.deepEqual(
      report.cases.find((c) => c.caseId === fx.otherCaseId)!.problems.map((p) => [p.kind, p.itemId]),
      [['item-unrecorded', fx.excludedId]],
    );
  });

  it('an item whose entry failed verification says so', async () => {
    await tamper(vault.path, (db) => {
      const seq = (db.prepare('SELECT added_seq AS s FROM items WHERE id = ?').get(fx.excludedId) as { s: number }).s;
      const row = db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = ?').get(fx.caseId, seq) as { body: string };
      db.prepare('UPDATE custody SET body = ? WHERE case_id = ? AND seq = ?').run(row.body.replace('"unrelated.txt"', '"related.txt"'), fx.caseId, seq);
    });
    const problems = allProblems(await verifyAt(vault.path, { chainOnly: true }));
    assert.match(problems.find((p) => p.kind === 'item-unrecorded')!.detail, /^item "unrelated.txt" is recorded in entry \d+, which failed verification$/);
  });
});
