// The pieces behind the bundle caps (issue 13): the header's KDF bounds, the manifest scan, the compact row ids, and
// that every per-case table of the schema has a check against the custody chain before its rows can travel.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RowIds, TABLE_CHECKS } from '../../electron/core/bundles/check.js';
import { caseTables } from '../../electron/core/bundles/format.js';
import { BUNDLE_LIMITS, bundleKdfProblem } from '../../electron/core/bundles/limits.js';
import { scanManifest } from '../../electron/core/bundles/manifest.js';
import { RedressError } from '../../electron/core/errors.js';
import { DEFAULT_KDF } from '../../electron/core/vault/keys.js';
import { newVault, tempDir, TEST_KDF } from '../helpers/vault.js';

function refusal(fn: () => unknown): RedressError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RedressError, String(err));
    return err;
  }
  assert.fail('expected a refusal');
}

describe('bundle caps', () => {
  it('the header KDF: what Redress writes is accepted, anything costlier refused', () => {
    assert.equal(bundleKdfProblem(DEFAULT_KDF), null);
    assert.equal(bundleKdfProblem(TEST_KDF), null);
    assert.equal(bundleKdfProblem({ ...DEFAULT_KDF, p: 2 }), null);
    for (const kdf of [
      { N: 2 ** 18, r: 8, p: 1 },
      { N: 2 ** 17, r: 16, p: 1 },
      { N: 2 ** 17, r: 8, p: 3 },
      { N: 2 ** 20, r: 16, p: 4 },
      { N: 2 ** 17 + 1, r: 8, p: 1 },
      { N: 2 ** 9, r: 8, p: 1 },
      { N: 2 ** 17, r: 0, p: 1 },
      { N: 2 ** 17, r: 8, p: 0.5 },
    ]) {
      assert.notEqual(bundleKdfProblem(kdf), null, JSON.stringify(kdf));
    }
  });

  it('the scan: nesting, element counts, string sizes, duplicates and trailing bytes', () => {
    const scan = (text: string) => scanManifest(Buffer.from(text), 'x.redress');
    const ok = scan('{"a":1,"items":[{"id":"x"}],"custody":[],"tables":{"messages":[{"id":"y","n":null}]}}');
    assert.equal(ok.items.length, 1);
    assert.deepEqual(ok.items.parse(0), { id: 'x' });
    assert.equal(ok.tables.get('messages')!.length, 1);
    assert.deepEqual(Object.fromEntries(ok.scalars), { a: 1 });

    const deep = `{"case":${'['.repeat(20)}${']'.repeat(20)}}`;
    assert.equal(refusal(() => scan(deep)).value.params.limit, 'depth');
    assert.equal(refusal(() => scan(`{"tables":{"links":[${'{},'.repeat(BUNDLE_LIMITS.rows)}{}]}}`)).value.params.limit, 'rows');
    assert.equal(refusal(() => scan(`{"items":[${'{},'.repeat(BUNDLE_LIMITS.items)}{}]}`)).value.params.limit, 'items');
    assert.equal(refusal(() => scan(`{"custody":[${'{},'.repeat(BUNDLE_LIMITS.entries)}{}]}`)).value.params.limit, 'entries');
    assert.equal(refusal(() => scan(`{"exportedBy":"${'x'.repeat(6 * BUNDLE_LIMITS.fieldChars + 1)}"}`)).value.params.limit, 'fieldChars');
    assert.equal(refusal(() => scan(`{"custody":[{"body":"${'x'.repeat(2 * BUNDLE_LIMITS.entryBytes + 1)}"}]}`)).value.params.limit, 'entryBytes');
    const piece = `{"body":"${'x'.repeat(4 * 1024 * 1024)}"}`;
    const chain = Array.from({ length: Math.ceil(BUNDLE_LIMITS.custodyBytes / piece.length) + 1 }, () => piece).join(',');
    assert.equal(refusal(() => scan(`{"custody":[${chain}]}`)).value.params.limit, 'custodyBytes');
    for (const bad of ['{"a":1,"a":2}', '{"a":1} x', '{"a":"unterminated}', '[1]', '{"tables":{"m":[],"m":[]}}', '{"items":{}}', '{"a":tru e}']) {
      const err = refusal(() => scan(bad));
      assert.equal(err.code, 'BUNDLE_INVALID', bad);
      assert.equal(err.value.params.limit, undefined, bad);
    }
    // escaped quotes do not end a string
    assert.deepEqual(Object.fromEntries(scan('{"a":"say \\"hi\\" \\\\","b":2}').scalars), { a: 'say "hi" \\', b: 2 });
    // a member named __proto__ is a name like any other, and refused by the header's schema
    assert.equal(Object.getPrototypeOf(Object.fromEntries(scan('{"__proto__":{"x":1}}').scalars)), Object.prototype);
  });

  it('row ids: word order is string order, and they read back', () => {
    const ids = Array.from({ length: 2000 }, () => randomUUID());
    const table = new RowIds(ids.length);
    ids.forEach((id, i) => table.set(i, id));
    ids.forEach((id, i) => assert.equal(table.get(i), id));
    const order = [...table.sorted(Uint32Array.from(ids.keys()))].map((i) => ids[i]);
    assert.deepEqual(order, [...ids].sort());
  });

  it('every per-case table of the schema is checked against the chain (or retired)', async () => {
    const dir = await tempDir();
    const { vault } = await newVault(join(dir.path, 'v'));
    try {
      const unchecked = caseTables(vault.context.db)
        .map((t) => t.name)
        .filter((name) => !Object.hasOwn(TABLE_CHECKS, name));
      assert.deepEqual(unchecked, [], 'a per-case table without a check in bundles/check.ts TABLE_CHECKS cannot travel in a bundle');
    } finally {
      await vault.close();
      await dir.cleanup();
    }
  });
});
