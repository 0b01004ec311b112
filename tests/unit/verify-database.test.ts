// verifyDatabase's reading of what SQLite says, on a stand-in connection: the cases a real vault cannot be brought
// into on purpose (page 1 or the schema failing to authenticate, pages only in the free list, other errors).
// The same checks on a real SQLCipher database: tests/integration/verify-database.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../electron/core/vault/database.js';
import { isUnauthenticated, verifyDatabase } from '../../electron/core/verify/verify-database.js';

const corrupt = () => Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });

/** A connection whose quick_check gives `check`, whose b-trees are `tables`, and where dbstat on a name in `bad` throws. */
function db(check: () => { quick_check: string }[], tables: (() => string[]) | string[] = [], bad: string[] = [], error = corrupt): Db {
  return {
    pragma: (sql: string) => {
      assert.equal(sql, 'quick_check');
      return check();
    },
    prepare: (sql: string) => ({
      all: () => {
        assert.match(sql, /FROM sqlite_schema WHERE rootpage > 0/);
        return (typeof tables === 'function' ? tables() : tables).map((name) => ({ name }));
      },
      get: (name: string) => {
        assert.match(sql, /FROM dbstat WHERE name = \?/);
        if (bad.includes(name)) throw error();
        return { n: 1 };
      },
    }),
  } as unknown as Db;
}

describe('verifyDatabase', () => {
  it('quick_check ok: nothing', () => {
    assert.deepEqual(verifyDatabase(db(() => [{ quick_check: 'ok' }]), 'c'), []);
  });

  it('quick_check lines: database-damaged, quoting three of them', () => {
    const lines = (n: number) => () => Array.from({ length: n }, (_, i) => ({ quick_check: `problem ${i + 1}` }));
    assert.deepEqual(verifyDatabase(db(lines(3)), 'c'), [{ kind: 'database-damaged', caseId: 'c', detail: "SQLite's quick_check found 3 problem(s) in the vault database: problem 1; problem 2; problem 3" }]);
    assert.deepEqual(verifyDatabase(db(lines(4)), ''), [{ kind: 'database-damaged', caseId: '', detail: "SQLite's quick_check found 4 problem(s) in the vault database: problem 1; problem 2; problem 3; …" }]);
    assert.equal(verifyDatabase(db(() => [{ quick_check: 'not ok' }]), 'c')[0]!.kind, 'database-damaged');
    assert.equal(verifyDatabase(db(() => [{ quick_check: 'ok' }, { quick_check: 'ok' }]), 'c')[0]!.kind, 'database-damaged');
  });

  it('a page that fails authentication: database-page-altered, naming the b-trees that hold such pages', () => {
    const [p] = verifyDatabase(db(() => { throw corrupt(); }, ['cases', 'items', 'messages', 'messages_time'], ['items', 'messages_time']), 'c');
    assert.deepEqual(p, {
      kind: 'database-page-altered',
      caseId: 'c',
      detail: 'pages of the vault database fail authentication (their SQLCipher HMAC): they were changed outside Redress or damaged on disk; affected: items, messages_time',
    });
  });

  it('pages outside every table, and a schema that cannot be read, are said so', () => {
    assert.match(verifyDatabase(db(() => { throw corrupt(); }, ['cases']), 'c')[0]!.detail, /; no table or index is affected \(the pages are outside them, in the free list\)$/);
    assert.match(verifyDatabase(db(() => { throw corrupt(); }, () => { throw corrupt(); }), 'c')[0]!.detail, /; among them the schema \(page 1 or the pages listing the tables\)$/);
  });

  it('any other error is not a finding about the vault: it is thrown', () => {
    const busy = () => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    assert.throws(() => verifyDatabase(db(busy), 'c'), /database is locked/);
    assert.throws(() => verifyDatabase(db(() => { throw corrupt(); }, busy), 'c'), /database is locked/);
    assert.throws(() => verifyDatabase(db(() => { throw corrupt(); }, ['cases', 'items'], ['items'], busy), 'c'), /database is locked/);
  });

  it('isUnauthenticated: SQLITE_CORRUPT and its extended codes, SQLITE_NOTADB (page 1), nothing else', () => {
    for (const code of ['SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_NOTADB']) assert.equal(isUnauthenticated({ code }), true, code);
    for (const e of [{ code: 'SQLITE_BUSY' }, { code: 'SQLITE_NOTADB_X' }, { code: 'X_SQLITE_CORRUPT' }, { code: 11 }, {}, null, undefined, 'SQLITE_CORRUPT']) assert.equal(isUnauthenticated(e), false, JSON.stringify(e));
  });
});
