// 13.x ships its typings but its package.json "exports" does not name them, so TypeScript cannot find them. The API
// is better-sqlite3's (the cipher is chosen by pragmas), so the DefinitelyTyped declarations describe it.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3';
  export = Database;
}
