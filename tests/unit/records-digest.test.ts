// The records digest (version 2) is a format: a recipient holding an import's rows must be able to recompute it from
// the definition in custody/records-digest.ts alone. These tests recompute it independently from SELECT * rows.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { canonicalJson, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { compareUtf8, legacyRecordsDigest, lineRow, RECORD_COLUMNS, recordColumnsSql, recordKeys, recordLine, RecordsDigest, recordsDigest, RECORDS_DIGEST_V } from '../../electron/core/custody/records-digest.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import type { MessageDraft, TransactionDraft } from '../../electron/core/importers/types.js';
import { increasingIds, RecordRepo, rowContentKey, storedRow } from '../../electron/core/records/record-repo.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';
import { smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { importEnv } from '../importers/helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A messages row as recordColumnsSql reads it. */
const message = (over: Record<string, unknown> = {}) => ({
  table: 'messages',
  id: '00000000-0000-4000-8000-000000000001',
  case_id: 'c',
  import_id: 'i',
  time_instant: '2024-01-31T04:00:00.000Z',
  time_offset: 480,
  time_zone: null,
  direction: 'in',
  channel: 'sms',
  counterpart_address: '+86 138',
  counterpart_name: null,
  body: 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f emoji 😎 中文 \u2028',
  thread: null,
  attachments: '[]',
  source_item: 'item',
  source_locator: 'element 1',
  content_key: '00ff10',
  ...over,
});
const transaction = (over: Record<string, unknown> = {}) => ({ table: 'transactions', ...Object.fromEntries(RECORD_COLUMNS.transactions.map((c) => [c, c === 'content_key' ? '00' : null])), ...over });

describe('records digest, version 2', () => {
  it('a line is the RFC 8785 canonical JSON of the table name and every column, content_key in hex', () => {
    for (const row of [message(), message({ time_zone: 'Asia/Shanghai', time_offset: -330, counterpart_name: '"x"' })]) assert.equal(recordLine('messages', row), canonicalJson(row));
    const tx = transaction(Object.fromEntries(RECORD_COLUMNS.transactions.map((c, i) => [c, c === 'content_key' ? randomBytes(16).toString('hex') : i % 3 === 0 ? null : i % 3 === 1 ? i * -1000 : `v${i} ✓ \u0001`])));
    assert.equal(recordLine('transactions', tx), canonicalJson(tx));
  });

  it('extra fields of a row are not in its line; a row not read for the digest is refused', () => {
    assert.equal(recordLine('messages', { ...message(), flagged: 1, _rowid: 7 }), recordLine('messages', message()));
    const { table: _table, ...noTable } = message();
    assert.throws(() => recordLine('messages', noTable), /not read with recordColumnsSql/);
    assert.throws(() => recordLine('transactions', message()), /not read with recordColumnsSql/);
  });

  it('the select list reads every column, in the order of the line', async () => {
    assert.equal(
      recordColumnsSql('messages'),
      `attachments, body, case_id, channel, lower(hex(content_key)) AS content_key, counterpart_address, counterpart_name, direction, id, import_id, source_item, source_locator, 'messages' AS "table", thread, time_instant, time_offset, time_zone`,
    );
  });

  it('the digest is SHA-256 of the lines, each ended by a newline, messages by id and then transactions by id', () => {
    const a = message({ id: 'b' });
    const b = message({ id: 'a', body: 'second' });
    const t = transaction({ id: '0' });
    const expected = sha256([recordLine('messages', b), recordLine('messages', a), recordLine('transactions', t)].map((l) => l + '\n').join(''));
    assert.equal(recordsDigest([{ table: 'transactions', row: t }, { table: 'messages', row: a }, { table: 'messages', row: b }]), expected);
    assert.equal(recordsDigest([]), sha256(''), 'no records: the digest of nothing');
    assert.equal(RECORDS_DIGEST_V, 2);
  });

  it('the streaming builder hashes in the order it is fed: the same rows sorted otherwise give another digest', () => {
    const rows = [message({ id: 'a' }), message({ id: 'b' })];
    const fed = (order: typeof rows) => {
      const d = new RecordsDigest();
      for (const row of order) d.add('messages', row);
      return d.digest();
    };
    assert.equal(fed(rows), recordsDigest(rows.map((row) => ({ table: 'messages' as const, row }))));
    assert.notEqual(fed([...rows].reverse()), fed(rows));
  });

  it('many rows, far more than one batch of lines, hash as their lines do; add and addOrdered alike', () => {
    // the builder hashes its lines in batches: what it holds back must reach the hash once, whole and in order
    const rows = Array.from({ length: 3000 }, (_, i) => message({ id: String(i).padStart(8, '0'), body: `message ${i} ` + 'x'.repeat(i % 97) }));
    const expected = sha256(rows.map((r) => recordLine('messages', r) + '\n').join(''));
    assert.ok(expected.length && rows.reduce((n, r) => n + recordLine('messages', r).length, 0) > 4 * 65536);
    const added = new RecordsDigest();
    for (const row of rows) added.add('messages', row);
    assert.equal(added.digest(), expected);
    const ordered = new RecordsDigest();
    const keys = recordKeys('messages');
    for (const row of rows) ordered.addOrdered(Object.fromEntries(keys.map((k) => [k, (row as Record<string, unknown>)[k]])));
    assert.equal(ordered.digest(), expected);
  });

  it('lineRow turns a SELECT * row into the shape of a line', () => {
    const stored = { ...message(), table: undefined, content_key: Buffer.from('00ff10', 'hex'), flagged: 1 };
    assert.equal(recordLine('messages', lineRow('messages', stored)), recordLine('messages', message()));
    assert.equal(lineRow('messages', message()).content_key, '00ff10', 'hex stays hex');
  });

  it('ids compare as UTF-8 bytes, as SQLite orders them', () => {
    const samples = ['', 'a', 'b', 'ab', 'A', '\u00e9', '\u4e2d', '\ue000', '\uffff', '😎', '😎a', '\ud83d\ude00', 'a😎', 'a\uffff', '\u007f', '\u0080'];
    for (const x of samples) {
      for (const y of samples) assert.equal(Math.sign(compareUtf8(x, y)), Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y))), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`);
    }
  });

  it('version 1 hashed id, content key and locator per record in the order given', () => {
    const rows = [message({ id: 'x' }), message({ id: 'y', source_locator: 'element 2' })];
    assert.equal(legacyRecordsDigest(rows), sha256('x 00ff10 element 1\ny 00ff10 element 2\n'));
  });
});

describe('records digest of a real import, recomputed as a recipient would', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  let vault: Vault;
  before(async () => {
    env = await importEnv();
    vault = env.vault;
  });
  after(() => env.cleanup());

  function payloadOf(seq: number): Record<string, unknown> {
    const row = vault.context.db.prepare('SELECT body FROM custody WHERE case_id = ? AND seq = ?').get(env.caseId, seq) as { body: string };
    return (JSON.parse(row.body) as CustodyEntryBody).payload;
  }

  /** From the definition: every column but `flagged` (SELECT *), canonical JSON, sorted by UTF-8 bytes of the id. */
  function recompute(importId: string): string {
    const lines: string[] = [];
    for (const table of ['messages', 'transactions']) {
      const rows = vault.context.db.prepare(`SELECT * FROM ${table} WHERE import_id = ?`).all(importId) as Record<string, unknown>[];
      rows.sort((a, b) => Buffer.compare(Buffer.from(a.id as string), Buffer.from(b.id as string)));
      for (const { flagged: _flagged, content_key, ...rest } of rows) lines.push(canonicalJson({ table, ...rest, content_key: (content_key as Buffer).toString('hex') }) + '\n');
    }
    return sha256(lines.join(''));
  }

  it('RECORD_COLUMNS is every column of messages and transactions but flagged', () => {
    for (const table of ['messages', 'transactions'] as const) {
      const columns = (vault.context.db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name).filter((n) => n !== 'flagged');
      assert.deepEqual(columns, [...RECORD_COLUMNS[table]], `${table}: a new column needs records digest version 3`);
    }
  });

  it('an SMS import and a bill import carry version 2 digests that recompute from their rows', async () => {
    const sms = await importFile(vault, env.caseId, await env.file('sms.xml', smsBackup([smsElement({ address: '10086', date: 1706673600000, type: 1, body: 'a lone surrogate &#55357; here' }), smsElement({ address: '10086', date: 1706673660000, type: 2, body: 'two 😎' })])));
    const bill = await importFile(vault, env.caseId, await env.file('alipay.csv', alipayCsv(alipayRows(5))));
    for (const r of [sms, bill]) {
      const payload = payloadOf(r.custodySeq);
      assert.equal(payload.recordsDigestV, 2);
      assert.equal(payload.recordsDigest, recompute(r.importId));
    }
    // a duplicate import adds nothing, and its digest is that of nothing
    const again = await importFile(vault, env.caseId, await env.file('alipay-again.csv', alipayCsv(alipayRows(5))));
    assert.equal(again.counts.transactions.added, 0);
    assert.equal(payloadOf(again.custodySeq).recordsDigest, sha256(''));
    assert.equal((await vault.verify(env.caseId)).ok, true);
  });

  it('record ids: random UUIDs in increasing byte order, told apart by their first 8 characters', () => {
    const ids = increasingIds(5000);
    assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), 'version 4 UUIDs');
    assert.ok(ids.every((id, i) => i === 0 || compareUtf8(ids[i - 1]!, id) < 0), 'increasing');
    // records are named by a short prefix (resolve-ref.ts): among 5000 random ids, 8 hex digits almost never collide
    assert.ok(new Set(ids.map((id) => id.slice(0, 8))).size >= 4990, 'prefixes differ');
    // the draws are sorted, not the bytes kept in place: a source that counts down still gives increasing ids
    const down = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => 255 - Math.floor(i / 16)));
    const fromDown = increasingIds(200, down);
    assert.ok(fromDown.every((id, i) => i === 0 || id > fromDown[i - 1]!), 'increasing from a falling source');
  });

  it('record ids: equal draws, even at the top of the range, still give distinct increasing version 4 UUIDs', () => {
    for (const fill of [0x00, 0x7f, 0xff]) {
      const ids = increasingIds(50, (size) => Buffer.alloc(size, fill));
      assert.ok(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)), `version 4 UUIDs (fill ${fill})`);
      assert.ok(ids.every((id, i) => i === 0 || compareUtf8(ids[i - 1]!, id) < 0), `increasing (fill ${fill})`);
    }
  });

  it("the importer's rows hold the line's members in the line's order, and bind them in that order", () => {
    const time = { instant: '2024-02-01T01:02:03.000Z', offsetMinutes: 480 };
    const drafts = { messages: { kind: 'message', locator: 'l', time, direction: 'in', channel: 'sms', body: 'b', attachments: [] } as MessageDraft, transactions: { kind: 'transaction', locator: 'r', time, direction: 'out', amount: { currency: 'CNY', minor: 1 } } as TransactionDraft };
    for (const table of ['messages', 'transactions'] as const) {
      const contentKey = Buffer.alloc(16, 7);
      const { row, params } = storedRow(table, drafts[table], { id: 'i', caseId: 'c', importId: 'm', itemId: 's', contentKey });
      assert.deepEqual(Object.keys(row), [...recordKeys(table)], table);
      assert.equal(JSON.stringify(row), recordLine(table, row), table);
      const bound = recordKeys(table).filter((k) => k !== 'table').map((k) => (k === 'content_key' ? contentKey : row[k]));
      assert.deepEqual(params, bound, table);
    }
  });

  it('the digest is of the rows as stored: lone surrogates (stored as U+FFFD), NULs, nulls, messages and transactions interleaved, duplicates', async () => {
    const time = { instant: '2024-02-01T01:02:03.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' };
    const records: (MessageDraft | TransactionDraft)[] = [];
    for (let i = 0; i < 60; i++) {
      if (i % 3) records.push({ kind: 'message', locator: `l${i}\ud800`, time, direction: 'in', channel: 'sms', counterpartName: i % 2 ? 'x\udc00y' : undefined, body: `b${i % 50} \ud83d lone \u0000 nul 😎`, attachments: [] } as MessageDraft);
      else records.push({ kind: 'transaction', locator: `r${i}`, time: { ...time, zone: undefined }, direction: 'out', amount: { currency: 'CNY', minor: 2 ** 53 - 1 - i }, note: `n\udfff${i}`, counterpartyName: i % 2 ? 'c' : undefined } as TransactionDraft);
    }
    const item = (await vault.items.addBuffer(env.caseId, Buffer.from('stored as written'), { name: 'w.csv' })).item;
    const { importId, seq, counts } = new RecordRepo(vault.context).insertImport({ caseId: env.caseId, format: 'bank-csv', source: { itemId: item.id, sha256: item.sha256 }, records, partial: false, custody: {} });
    assert.ok(counts.messages.duplicate > 0, 'bodies repeat: some messages are duplicates');
    assert.equal(payloadOf(seq).recordsDigest, recompute(importId));
    const body = (vault.context.db.prepare('SELECT body FROM messages WHERE import_id = ? LIMIT 1').get(importId) as { body: string }).body;
    assert.ok(body.includes('\ufffd lone \u0000 nul'), JSON.stringify(body));
    assert.equal((await vault.verify(env.caseId)).ok, true);
  });

  it('the import row summary is the payload without the import id and the digest', async () => {
    const records: TransactionDraft[] = [{ kind: 'transaction', locator: 'row 1', time: { instant: '2024-01-31T04:00:00.000Z', offsetMinutes: 480 }, direction: 'out', amount: { currency: 'CNY', minor: 5 } }];
    const item = (await vault.items.addBuffer(env.caseId, Buffer.from('summary source'), { name: 's.csv' })).item;
    // the caller's format is not the row's: the row's wins in the entry, so that the two agree
    const { importId, seq } = new RecordRepo(vault.context).insertImport({ caseId: env.caseId, format: 'bank-csv', source: { itemId: item.id, sha256: item.sha256 }, records, partial: false, custody: { format: 'other', note: 'x' } });
    const payload = payloadOf(seq);
    const summary = JSON.parse((vault.context.db.prepare('SELECT summary FROM imports WHERE id = ?').get(importId) as { summary: string }).summary);
    const { importId: _id, recordsDigest: _d, recordsDigestV: _v, ...rest } = payload;
    assert.deepEqual(summary, rest);
    assert.equal(payload.format, 'bank-csv');
    assert.equal(payload.sourceItemId, item.id);
    assert.equal((await vault.verify(env.caseId)).ok, true);
  });

  it("a stored row's content key is the one its fields give (what verify re-derives for version 1 digests)", async () => {
    const time = { instant: '2024-02-01T01:02:03.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' };
    const records: (MessageDraft | TransactionDraft)[] = [
      { kind: 'message', locator: 'l1', time, direction: 'in', channel: 'whatsapp', counterpartAddress: 'a', counterpartName: 'n', thread: 't', body: 'b', attachments: [] },
      { kind: 'message', locator: 'l2', time, direction: 'out', channel: 'sms', body: 'only a body', attachments: [] },
      { kind: 'transaction', locator: 'l3', time, direction: 'out', amount: { currency: 'CNY', minor: 123 }, counterpartyName: 'c', counterpartyAccount: 'acc', platform: 'bank-x', merchantOrderId: 'm', note: 'n', method: 'card' },
      { kind: 'transaction', locator: 'l4', time, direction: 'in', amount: { currency: 'USD', minor: 7 } },
      { kind: 'transaction', locator: 'l5', time, direction: 'in', amount: { currency: 'USD', minor: 7 }, platform: 'alipay', platformTxId: 'T1' },
    ];
    const item = (await vault.items.addBuffer(env.caseId, Buffer.from('keys source'), { name: 'k.csv' })).item;
    const { importId } = new RecordRepo(vault.context).insertImport({ caseId: env.caseId, format: 'bank-csv', source: { itemId: item.id, sha256: item.sha256 }, records, partial: false, custody: {} });
    let n = 0;
    for (const table of ['messages', 'transactions'] as const) {
      for (const row of vault.context.db.prepare(`SELECT * FROM ${table} WHERE import_id = ?`).all(importId) as Record<string, unknown>[]) {
        assert.deepEqual(rowContentKey(table, row), row.content_key, `${table} ${row.source_locator as string}`);
        n++;
      }
    }
    assert.equal(n, records.length);
  });
});
