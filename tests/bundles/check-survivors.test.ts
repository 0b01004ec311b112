// Issue 13: each check bundles/check.ts makes before an import stores anything, tripped on its own by a crafted
// bundle and held to its own refusal. A mutation run (StrykerJS) found checks no test noticed the loss of: a later
// defence (another check, SQLite's plain INSERT, verify after storing) refused the same bundles, so tests asserting
// only that the import fails could not tell. Here each refusal is asserted with the detail of the check that must
// make it, and nothing is stored; the boundaries of the caps are held from both sides (at the cap: imported).
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { digestRow } from '../../electron/core/bundles/check.js';
import { exportBundle, importBundle } from '../../electron/core/bundles/index.js';
import { BUNDLE_LIMITS } from '../../electron/core/bundles/limits.js';
import { legacyRecordsDigest } from '../../electron/core/custody/records-digest.js';
import { RedressError } from '../../electron/core/errors.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest, withoutManifest } from './craft.js';
import { addRecords, type AnyManifest, rechain, redigest } from './forge.js';

const TRANSFER = 'transfer passphrase 2026';
const OTHER_UUID = '5b0e8c43-2d6f-4a1b-9c3e-7f8a9b0c1d2e';

/** Rewrites (and rehashes) the first custody entry with this action for which `pick` holds. */
function editEntry(m: AnyManifest, action: string, edit: (payload: AnyManifest) => void, pick: (payload: AnyManifest) => boolean = () => true): AnyManifest {
  let done = false;
  rechain(m, (body) => {
    if (done || body.action !== action || !pick(body.payload)) return;
    edit(body.payload);
    done = true;
  });
  assert.ok(done, `no ${action} entry to edit`);
  return m;
}

/** The same records under a version 1 records digest (id, content key, source line, in insertion order), rehashed. */
function toLegacy(m: AnyManifest): AnyManifest {
  return rechain(m, (body) => {
    if (body.action !== 'records.imported') return;
    delete body.payload.recordsDigestV;
    const rows = (['messages', 'transactions'] as const).flatMap((t) => (m.tables[t] ?? []).filter((r: AnyManifest) => r.import_id === body.payload.importId));
    body.payload.recordsDigest = legacyRecordsDigest(rows.map((r: AnyManifest) => ({ id: r.id, content_key: Buffer.from(r.content_key.$base64, 'base64').toString('hex'), source_locator: r.source_locator })));
  });
}

describe('each check of a bundle refuses what it checks, in its own words', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: Vault;
  let b: Vault; // stays empty: every bundle below but the accepted ones is refused by it
  let members: [string, Buffer][];
  let manifest: AnyManifest;
  let n = 0;
  /** item ids by role */
  const item = { records: '', shot: '', excluded: '', plain: '' };
  let flaggedId = '';
  let unflaggedId = '';

  before(async () => {
    dir = await tempDir();
    a = (await newVault(join(dir.path, 'a'))).vault;
    b = (await newVault(join(dir.path, 'b'))).vault;
    const kase = a.cases.create({ title: 'checks', incidentType: 'impersonation', startedAt: '2026-01-01T08:00:00+08:00', discoveredAt: '2026-01-03T10:00:00+08:00' });
    await addRecords(a, kase.id, 5, 4, 'c');
    const repo = new RecordRepo(a.context);
    const messages = repo.listMessages(kase.id);
    const transactions = repo.listTransactions(kase.id);
    item.records = a.items.list(kase.id)[0]!.id;
    item.shot = (await a.items.addBuffer(kase.id, Buffer.from('a screenshot of the transfer'), { name: 'shot.png' })).item.id;
    item.excluded = (await a.items.addBuffer(kase.id, Buffer.from('a duplicate of something'), { name: 'dup.txt' })).item.id;
    item.plain = (await a.items.addBuffer(kase.id, Buffer.from('a plain note'), { name: 'plain.txt' })).item.id;
    a.items.annotate(item.shot, { notes: 'the transfer', tags: ['payment'] });
    a.items.exclude(item.excluded, 'duplicate');
    a.items.link(item.shot, 'transaction', transactions[0]!.id);
    a.items.link(item.shot, 'transaction', transactions[1]!.id);
    flaggedId = messages[0]!.id;
    unflaggedId = messages[1]!.id;
    repo.setFlagged(kase.id, [flaggedId, unflaggedId], true);
    repo.setFlagged(kase.id, [unflaggedId], false);
    const good = join(dir.path, 'good.redress');
    await exportBundle(a, kase.id, { out: good, passphrase: TRANSFER, kdf: TEST_KDF });
    members = await unpack(good, TRANSFER);
    manifest = manifestOf(members);
    assert.equal(manifest.tables.links.length, 2);
    assert.deepEqual(Object.keys(manifest.tables), ['imports', 'links', 'messages', 'transactions']);
  });
  after(async () => {
    await a.close();
    await b.close();
    await dir.cleanup();
  });

  const clone = (): AnyManifest => structuredClone(manifest);
  const itemRow = (m: AnyManifest, id: string) => m.items.find((r: AnyManifest) => r.id === id);
  const messageRow = (m: AnyManifest, id: string) => m.tables.messages.find((r: AnyManifest) => r.id === id);

  /** `m` is the manifest, or its text when it must hold what JSON.stringify never writes (a member twice). */
  async function refused(m: AnyManifest, detail: RegExp, options: { limit?: string; members?: [string, Buffer][] } = {}): Promise<RedressError> {
    const path = join(dir.path, `bad-${n++}.redress`);
    const base = options.members ?? members;
    await pack(path, TRANSFER, typeof m === 'string' ? [['manifest.json', Buffer.from(m)], ...withoutManifest(base)] : withManifest(base, m));
    let caught: unknown;
    try {
      await importBundle(b, path, { passphrase: TRANSFER });
    } catch (err) {
      caught = err;
    }
    assert.ok(caught instanceof RedressError, `expected a refusal, got ${String(caught)}`);
    assert.equal(caught.code, 'BUNDLE_INVALID', JSON.stringify(caught.value));
    assert.match(String(caught.value.params.detail), detail);
    assert.equal(caught.value.params.limit, options.limit, JSON.stringify(caught.value));
    assert.equal(b.cases.list().length, 0);
    assert.deepEqual(await b.context.objects.listObjectNames(), []);
    assert.deepEqual(await readdir(b.context.objects.tmpDir), []);
    return caught;
  }

  /** Imports into a vault of its own, which then verifies. */
  async function accepted(m: AnyManifest) {
    const path = join(dir.path, `ok-${n++}.redress`);
    await pack(path, TRANSFER, withManifest(members, m));
    const c = (await newVault(join(dir.path, `c-${n}`))).vault;
    try {
      assert.equal((await importBundle(c, path, { passphrase: TRANSFER })).status, 'imported');
      const report = await c.verify();
      assert.equal(report.ok, true, JSON.stringify(report.cases[0]?.problems));
    } finally {
      await c.close();
    }
  }

  describe('accepted', () => {
    it('the genuine bundle: a start date, two links of one item, a flag and an unflag', async () => {
      await accepted(clone());
    });

    it('its tables in another order (records are still digested messages first)', async () => {
      const m = clone();
      const { imports, links, messages, transactions } = m.tables;
      m.tables = { transactions, messages, links, imports };
      await accepted(m);
    });

    it('its records under a version 1 digest, messages and transactions in one import', async () => {
      await accepted(toLegacy(clone()));
    });

    it(`a custody entry of exactly ${BUNDLE_LIMITS.entryBytes} bytes`, async () => {
      const m = clone();
      const pad = (padding: string) => editEntry(m, 'case.exported', (p) => (p.padding = padding));
      pad('');
      const index = m.custody.findIndex((r: { body: string }) => r.body.includes('"padding"'));
      pad('p'.repeat(BUNDLE_LIMITS.entryBytes - Buffer.byteLength(m.custody[index].body)));
      assert.equal(Buffer.byteLength(m.custody[index].body), BUNDLE_LIMITS.entryBytes);
      await accepted(m);
    });

    it(`a record field of exactly ${BUNDLE_LIMITS.fieldChars} characters`, async () => {
      const m = clone();
      m.tables.messages[2].body = 'b'.repeat(BUNDLE_LIMITS.fieldChars);
      await accepted(redigest(m));
    });

    it(`a BLOB field of exactly ${BUNDLE_LIMITS.fieldChars} bytes`, async () => {
      const m = clone();
      m.tables.messages[2].content_key = { $base64: Buffer.alloc(BUNDLE_LIMITS.fieldChars, 1).toString('base64') };
      await accepted(redigest(m));
    });
  });

  describe('the header', () => {
    it('a format version from a newer Redress, and one that is no number', async () => {
      const newer = clone();
      newer.v = 2;
      await refused(newer, /^made by a newer Redress \(bundle format 2\)$/);
      const text = clone();
      text.v = '2';
      await refused(text, /^the manifest is malformed \(v: .+\)$/);
    });

    it('a malformed member names its path and what is wrong with it', async () => {
      const m = clone();
      m.sourceVault = 'vault-1';
      await refused(m, /^the manifest is malformed \(sourceVault: not a UUID\)$/);
    });

    it('a case id that is not a UUID is quoted, up to 60 characters', async () => {
      const m = clone();
      m.caseId = `case-${'x'.repeat(100)}`;
      await refused(m, new RegExp(`^the case id is not a UUID \\("${m.caseId.slice(0, 60)}"\\)$`));
    });
  });

  describe('the case row', () => {
    it('a case row of another id', async () => {
      const m = clone();
      m.case.id = OTHER_UUID;
      await refused(m, /^the case record is malformed$/);
    });

    it('fields the case model refuses, and losses that are not JSON', async () => {
      const status = clone();
      status.case.status = 'bogus';
      await refused(status, /^the case record is malformed$/);
      const losses = clone();
      losses.case.losses = 'not json';
      await refused(losses, /^the case record is malformed$/);
    });
  });

  describe('the custody chain', () => {
    it('a malformed entry, and no entry at all', async () => {
      const m = clone();
      m.custody[1].hash = 'not a hash';
      await refused(m, /^custody entry 2 is malformed$/);
      const empty = clone();
      empty.custody = [];
      await refused(empty, /^the manifest is malformed \(custody: no entries\)$/);
    });

    it(`an entry one byte over ${BUNDLE_LIMITS.entryBytes} bytes`, async () => {
      const m = clone();
      const pad = (padding: string) => editEntry(m, 'case.exported', (p) => (p.padding = padding));
      pad('');
      const index = m.custody.findIndex((r: { body: string }) => r.body.includes('"padding"'));
      pad('p'.repeat(BUNDLE_LIMITS.entryBytes + 1 - Buffer.byteLength(m.custody[index].body)));
      assert.equal(Buffer.byteLength(m.custody[index].body), BUNDLE_LIMITS.entryBytes + 1);
      await refused(m, new RegExp(`^custody entry ${m.custody[index].seq} is longer than ${BUNDLE_LIMITS.entryBytes} bytes$`), { limit: 'entryBytes' });
    });

    it('a chain that does not create the case', async () => {
      const m = editEntry(clone(), 'case.created', (p) => {
        p.changes = p.fields;
        delete p.fields;
      });
      rechain(m, (body, i) => {
        if (i === 0) body.action = 'case.updated';
      });
      await refused(m, /^the custody chain does not create the case$/);
    });

    it('an intact entry of an action Redress does not know', async () => {
      const m = clone();
      rechain(m, (body, i) => {
        if (i === m.custody.length - 1) body.action = 'case.bogus';
      });
      await refused(m, new RegExp(`^custody entry ${m.custody.length}: unknown action "case.bogus"$`));
    });

    it('every id an entry names is a UUID: items added, derived from, annotated, excluded, linked; imports; flags', async () => {
      const cases: [action: string, id: string, edit: (p: AnyManifest, id: string) => void, pick?: (p: AnyManifest) => boolean][] = [
        ['item.added', `item-${'x'.repeat(100)}`, (p, id) => (p.itemId = id)],
        ['item.added', 'derived-1', (p, id) => (p.derivedFrom = id), (p) => p.itemId === item.plain],
        ['item.annotated', 'annotated-1', (p, id) => (p.itemId = id)],
        ['item.excluded', 'excluded-1', (p, id) => (p.itemId = id)],
        ['item.linked', 'linked-1', (p, id) => (p.itemId = id)],
        ['records.imported', 'source-1', (p, id) => (p.sourceItemId = id)],
        ['records.imported', 'import-1', (p, id) => (p.importId = id)],
        ['records.flagged', 'flagged-1', (p, id) => p.records.push({ type: 'message', id })],
        ['records.unflagged', 'unflagged-1', (p, id) => p.records.push({ type: 'message', id })],
      ];
      for (const [action, id, edit, pick] of cases) {
        const m = editEntry(clone(), action, (p) => edit(p, id), pick);
        const seq = m.custody.findIndex((r: { body: string }) => r.body.includes(`"${id}"`)) + 1;
        await refused(m, new RegExp(`^custody entry ${seq} names an id that is not a UUID \\("${id.slice(0, 60)}"\\)$`));
      }
    });
  });

  describe('the item rows', () => {
    it('an id that is not a UUID, quoted up to 60 characters', async () => {
      const m = clone();
      const bad = `not-a-uuid-${'x'.repeat(100)}`;
      itemRow(m, item.plain).id = bad;
      await refused(m, new RegExp(`^an item's id is not a UUID \\("${bad.slice(0, 60)}"\\)$`));
    });

    it(`a field over ${BUNDLE_LIMITS.fieldChars} characters`, async () => {
      const m = clone();
      itemRow(m, item.plain).title = 't'.repeat(BUNDLE_LIMITS.fieldChars + 1);
      await refused(m, /^an item's title is too long$/, { limit: 'fieldChars' });
    });

    it('an item of another case, and an item twice', async () => {
      const other = clone();
      itemRow(other, item.plain).case_id = OTHER_UUID;
      await refused(other, new RegExp(`^item ${item.plain} does not belong to the case$`));
      const twice = clone();
      twice.items.push(structuredClone(itemRow(twice, item.plain)));
      await refused(twice, new RegExp(`^item ${item.plain} does not belong to the case$`));
    });

    it('an item no entry adds', async () => {
      const m = clone();
      m.items.push({ ...structuredClone(itemRow(m, item.plain)), id: OTHER_UUID });
      await refused(m, new RegExp(`^item ${OTHER_UUID} has no custody entry$`));
    });

    it('an item that differs from its entry names each column: one differs, two differ', async () => {
      const one = clone();
      itemRow(one, item.plain).title = 'another title';
      await refused(one, new RegExp(`^item ${item.plain}: title differs from its custody entry$`));
      const two = clone();
      Object.assign(itemRow(two, item.plain), { title: 'another title', kind: 'photo' });
      await refused(two, new RegExp(`^item ${item.plain}: kind, title differ from its custody entry$`));
    });

    it('an item the chain adds, missing from the bundle with its original', async () => {
      const m = clone();
      const { sha256 } = itemRow(m, item.plain);
      m.items = m.items.filter((r: AnyManifest) => r.id !== item.plain);
      await refused(m, new RegExp(`^item ${item.plain} is in the custody chain but not in the bundle$`), { members: members.filter(([name]) => name !== `objects/${sha256}`) });
    });
  });

  describe('the other tables', () => {
    it('a table of an unknown kind, its name cut at 40 characters', async () => {
      const m = clone();
      const name = `bogus_${'y'.repeat(60)}`;
      m.tables[name] = [];
      await refused(m, new RegExp(`^records of an unknown kind \\(${name.slice(0, 40)}\\): made by a newer Redress\\?$`));
    });

    it('a record id that is not a UUID is quoted (none when it is not 36 characters)', async () => {
      const m = clone();
      const upper = m.tables.messages[3].id.toUpperCase();
      m.tables.messages[3].id = upper;
      await refused(m, new RegExp(`^the id of a messages record is not a UUID \\("${upper}"\\)$`));
      const short = clone();
      short.tables.messages[3].id = 'short';
      await refused(short, /^the id of a messages record is not a UUID \(""\)$/);
    });

    it('the same record id twice (the smallest of the table)', async () => {
      const m = clone();
      const ids = m.tables.messages.map((r: AnyManifest) => r.id as string).sort();
      messageRow(m, ids[1]).id = ids[0];
      await refused(redigest(m), new RegExp(`^messages ${ids[0]} appears twice$`));
    });

    it('a record whose id member appears twice: the one read from its bytes is the one it is parsed with', async () => {
      const m = clone();
      const row = m.tables.messages[2];
      m.tables.messages[2] = { __first__: OTHER_UUID, ...row };
      const text = JSON.stringify(m).replace('"__first__":', '"id":');
      assert.equal((JSON.parse(text).tables.messages[2] as AnyManifest).id, row.id);
      await refused(text, /^a messages record is malformed \(its id\)$/);
    });

    it('a record that is not an object: an array holding one, null, a number', async () => {
      const array = clone();
      array.tables.messages[0] = [array.tables.messages[0]];
      await refused(array, /^a messages record is malformed$/);
      for (const row of [null, 5]) {
        const m = clone();
        m.tables.links.push(row);
        await refused(m, /^a links record is malformed$/);
      }
    });

    it('a field the table does not have, its name cut at 40 characters', async () => {
      const m = clone();
      const name = `bogus_${'z'.repeat(60)}`;
      m.tables.messages[0][name] = 1;
      await refused(m, new RegExp(`^records of messages have an unknown field \\(${name.slice(0, 40)}\\): made by a newer Redress\\?$`));
    });

    it('a record of another case, a link of an item not in the bundle', async () => {
      const m = clone();
      m.tables.messages[2].case_id = OTHER_UUID;
      await refused(redigest(m), /^a messages record belongs to another case$/);
      const link = clone();
      link.tables.links[0].item_id = OTHER_UUID;
      await refused(link, /^a links record belongs to another case$/);
    });

    it('a record without one of its ids', async () => {
      const m = clone();
      m.tables.messages[2].import_id = null;
      await refused(redigest(m), /^a messages record has no import_id$/);
    });

    it('a field holding an object, a fraction, an unsafe integer or a boolean', async () => {
      const edits: ((m: AnyManifest) => void)[] = [
        (m) => (m.tables.messages[0].body = { text: 'x' }),
        (m) => (m.tables.messages[0].time_offset = 1.5),
        (m) => (m.tables.transactions[0].amount_minor = 2 ** 53),
        (m) => (m.tables.transactions[0].flagged = true),
      ];
      for (const edit of edits) {
        const m = clone();
        edit(m);
        await refused(redigest(m), /^a (messages|transactions) record is malformed$/);
      }
    });

    it('each field holds the type its column stores: text, a whole number, bytes; null only where the column allows it', async () => {
      // SQLite's STRICT tables would refuse most of these at the insert, as a database error that names no record;
      // a BLOB given where text is stored, and text where bytes are, are decoded from JSON before any of it is stored
      const edits: [(m: AnyManifest) => void, RegExp][] = [
        [(m) => (m.tables.messages[0].body = { $base64: Buffer.from('hello').toString('base64') }), /^the body of a messages record is not text$/],
        [(m) => (m.tables.transactions[0].note = { $base64: '' }), /^the note of a transactions record is not text$/],
        [(m) => (m.tables.messages[0].content_key = 'ab'.repeat(16)), /^the content_key of a messages record is not bytes$/],
        [(m) => (m.tables.transactions[0].amount_minor = '100'), /^the amount_minor of a transactions record is not a whole number$/],
        [(m) => (m.tables.transactions[0].flagged = { $base64: 'AA==' }), /^the flagged of a transactions record is not a whole number$/],
        [(m) => (m.tables.imports[0].partial = 'no'), /^the partial of a imports record is not a whole number$/],
        [(m) => (m.tables.messages[0].body = null), /^a messages record has no body$/],
        [(m) => (m.tables.transactions[0].amount_minor = null), /^a transactions record has no amount_minor$/],
        [(m) => delete m.tables.messages[0].time_instant, /^a messages record has no time_instant$/],
        [(m) => (m.tables.messages[0].flagged = null), /^a messages record has no flagged$/],
      ];
      for (const [edit, detail] of edits) {
        const m = clone();
        edit(m);
        await refused(redigest(m), detail);
      }
      // a column that allows null takes it
      const m = clone();
      m.tables.transactions[0].note = null;
      m.tables.messages[0].thread = null;
      await accepted(redigest(m));
    });

    it(`a string field over ${BUNDLE_LIMITS.fieldChars} characters, a BLOB over as many bytes`, async () => {
      const text = clone();
      text.tables.messages[2].body = 'b'.repeat(BUNDLE_LIMITS.fieldChars + 1);
      await refused(redigest(text), new RegExp(`^the body of a messages record is longer than ${BUNDLE_LIMITS.fieldChars} characters$`), { limit: 'fieldChars' });
      const blob = clone();
      blob.tables.messages[2].content_key = { $base64: Buffer.alloc(BUNDLE_LIMITS.fieldChars + 1, 1).toString('base64') };
      await refused(redigest(blob), new RegExp(`^the content_key of a messages record is longer than ${BUNDLE_LIMITS.fieldChars} bytes$`), { limit: 'fieldChars' });
    });

    it('text that is not well-formed (a lone surrogate)', async () => {
      const m = clone();
      m.tables.messages[2].body = 'before \ud800 after';
      assert.match(JSON.stringify(m.tables.messages[2]), /\\ud800/);
      await refused(redigest(m), /^the body of a messages record is not well-formed text$/);
    });

    it('a link no entry makes, though an item.excluded entry names its item', async () => {
      const m = clone();
      m.tables.links.push({ item_id: item.excluded, target_type: 'undefined', target_id: 'undefined' });
      await refused(m, new RegExp(`^a link of item ${item.excluded} has no custody entry$`));
    });

    it('an import no entry records, and one read from another item than its entry says', async () => {
      const m = clone();
      m.tables.imports.push({ ...structuredClone(m.tables.imports[0]), id: OTHER_UUID });
      await refused(m, new RegExp(`^the import ${OTHER_UUID} has no custody entry$`));
      const source = clone();
      source.tables.imports[0].item_id = item.shot;
      await refused(source, new RegExp(`^the import ${source.tables.imports[0].id} differs from its custody entry \\(source item\\)$`));
    });

    it('a message of an import no entry records, and of an item not in the bundle', async () => {
      const orphan = clone();
      orphan.tables.messages[2].import_id = OTHER_UUID;
      await refused(redigest(orphan), new RegExp(`^a message belongs to import ${OTHER_UUID}, which no custody entry records$`));
      const sourceless = clone();
      sourceless.tables.messages[2].source_item = OTHER_UUID;
      await refused(redigest(sourceless), /^a message points at an item that is not in the bundle$/);
    });

    it('a flag the chain does not give, and one it gives, missing', async () => {
      const unflagged = clone();
      messageRow(unflagged, flaggedId).flagged = 0;
      await refused(unflagged, new RegExp(`^message ${flaggedId} is not flagged, though the custody chain flags it$`));
      const flagged = clone();
      messageRow(flagged, unflaggedId).flagged = 1;
      await refused(flagged, new RegExp(`^message ${unflaggedId} is flagged, though no custody entry flags it$`));
    });
  });

  describe('the records digests, recomputed before anything is stored', () => {
    const importSeq = () => JSON.parse(manifest.custody.find((r: { body: string }) => r.body.includes('"records.imported"')).body).seq as number;

    it('a record removed: the counts, of messages and of transactions', async () => {
      const m = clone();
      const removed = m.tables.messages.find((r: AnyManifest) => r.id !== flaggedId && r.id !== unflaggedId);
      m.tables.messages = m.tables.messages.filter((r: AnyManifest) => r !== removed);
      await refused(m, new RegExp(`^the records of import entry ${importSeq()} do not match its records digest: the bundle holds 4 message\\(s\\) and 4 transaction\\(s\\), the entry recorded 5 and 4$`));
      const t = clone();
      t.tables.transactions.pop();
      await refused(t, new RegExp(`^the records of import entry ${importSeq()} do not match its records digest: the bundle holds 5 message\\(s\\) and 3 transaction\\(s\\), the entry recorded 5 and 4$`));
    });

    it('a record edited: the digest, version 2 and version 1', async () => {
      const edited = new RegExp(`^the records of import entry ${importSeq()} do not match its records digest: at least one was edited, or removed and another put in its place$`);
      const v2 = clone();
      v2.tables.transactions[1].amount_minor *= 100;
      await refused(v2, edited);
      const v1 = toLegacy(clone());
      v1.tables.messages[1].source_locator = 'm99';
      await refused(v1, edited);
    });
  });

  it('the digest reads content_key as hex and every other value as it is', () => {
    const key = Buffer.from([0xab, 0x01, 0xff]);
    const thread = Buffer.from('not a key');
    const row = digestRow('messages', { id: OTHER_UUID, content_key: key, thread, body: 'text' });
    assert.equal(row.content_key, 'ab01ff');
    assert.equal(row.thread, thread);
    assert.equal(row.body, 'text');
    assert.equal(row.channel, null);
    assert.equal(row.table, 'messages');
  });
});
