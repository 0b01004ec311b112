import type { Db } from '../vault/database.js';
import type { Problem } from './problems.js';

/** quick_check lines quoted in a problem's detail */
const QUOTED = 3;

/**
 * Checks the database file itself, under every case: SQLite's quick_check walks every page of every table and index
 * (overflow pages and the free list's trunk included), and each page it reads is authenticated on the way, because
 * SQLite3 Multiple Ciphers (sqlcipher scheme, hmac_check on by default) verifies a page's HMAC-SHA512 before it
 * decrypts it. A page that fails its HMAC makes the read fail (SQLITE_CORRUPT, or SQLITE_NOTADB for page 1): that is
 * 'database-page-altered', and the tables and indexes holding such pages are named. Damage inside pages that
 * authenticate (only someone with the key could write those) is 'database-damaged', with quick_check's own words.
 *
 * SQLCipher's `PRAGMA cipher_integrity_check` is not used: SQLite3 Multiple Ciphers, the library under
 * better-sqlite3-multiple-ciphers, does not implement it, and SQLite ignores a pragma it does not know, so it would
 * always report nothing (tests/integration/verify-database.test.ts holds this, so an upgrade that adds it is noticed).
 */
export function verifyDatabase(db: Db, caseId: string): Problem[] {
  let lines: string[];
  try {
    lines = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (err) {
    if (!isUnauthenticated(err)) throw err;
    return [{ kind: 'database-page-altered', caseId, detail: `pages of the vault database fail authentication (their SQLCipher HMAC): they were changed outside Redress or damaged on disk; ${where(db)}` }];
  }
  if (lines.length === 1 && lines[0] === 'ok') return [];
  const quoted = lines.slice(0, QUOTED).join('; ');
  return [{ kind: 'database-damaged', caseId, detail: `SQLite's quick_check found ${lines.length} problem(s) in the vault database: ${quoted}${lines.length > QUOTED ? '; …' : ''}` }];
}

/** A read refused because a page failed to authenticate (or is otherwise unreadable). */
export function isUnauthenticated(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** Which tables and indexes hold the pages that fail: dbstat reads one b-tree's pages at a time. */
function where(db: Db): string {
  let names: string[];
  try {
    names = (db.prepare(`SELECT name FROM sqlite_schema WHERE rootpage > 0 ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  } catch (err) {
    if (!isUnauthenticated(err)) throw err;
    return 'among them the schema (page 1 or the pages listing the tables)';
  }
  const count = db.prepare('SELECT count(*) AS n FROM dbstat WHERE name = ?');
  const failing = names.filter((name) => {
    try {
      count.get(name);
      return false;
    } catch (err) {
      if (!isUnauthenticated(err)) throw err;
      return true;
    }
  });
  return failing.length ? `affected: ${failing.join(', ')}` : 'no table or index is affected (the pages are outside them, in the free list)';
}
