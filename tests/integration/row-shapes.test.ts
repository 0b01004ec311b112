// The core tables' rows are written twice by nature (the DDL and the TypeScript shape); this keeps them one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { CaseRow, ItemRow } from '../../electron/core/vault/rows.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, tempDir } from '../helpers/vault.js';

type Column = { name: string; type: string; notnull: number };

function expected(shape: z.ZodObject) {
  return Object.entries(shape.shape).map(([name, field]) => {
    const f = field as z.ZodType;
    const nullable = f.safeParse(null).success;
    const inner = nullable ? (f as z.ZodNullable<z.ZodType>).unwrap() : f;
    return { name, type: inner instanceof z.ZodNumber ? 'INTEGER' : 'TEXT', notnull: nullable ? 0 : 1 };
  });
}

describe('the core tables match their row schemas', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  before(async () => {
    dir = await tempDir();
    vault = (await newVault(dir.path)).vault;
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  for (const [table, schema] of [['cases', CaseRow], ['items', ItemRow]] as const) {
    it(`${table}: same columns, in order, with the same types and nullability`, () => {
      const columns = vault.context.db.prepare('SELECT name, type, "notnull" FROM pragma_table_info(?)').all(table) as Column[];
      // the primary key is NOT NULL in a STRICT table even when the DDL does not say it
      const actual = columns.map((c) => ({ name: c.name, type: c.type, notnull: c.name === 'id' ? 1 : c.notnull }));
      assert.deepEqual(actual, expected(schema));
    });
  }

  it('a stored row parses with its schema, so the types the repositories read are what SQLite returns', async () => {
    const c = vault.cases.create({ title: 'shape', incidentType: 'other' });
    const item = (await vault.items.addBuffer(c.id, Buffer.from('x'), { name: 'x.txt' })).item;
    ItemRow.parse(vault.context.db.prepare('SELECT * FROM items WHERE id = ?').get(item.id));
    CaseRow.parse(vault.context.db.prepare('SELECT * FROM cases WHERE id = ?').get(c.id));
  });
});
