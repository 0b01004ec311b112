// appendEntry writes exactly the entry format that verify and recipients recompute (README: Custody chain), and moves
// the case's head with it; readEntries gives the chain back in order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendEntry, readEntries } from '../../electron/core/custody/chain.js';
import { bodyOf, canonicalJson, entryHash, GENESIS_HASH } from '../../electron/core/custody/entry.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { manualClock, newVault, tempDir } from '../helpers/vault.js';

describe('appending to a custody chain', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  const clock = manualClock(Date.parse('2026-11-24T09:00:00.000Z'));
  before(async () => {
    dir = await tempDir();
    vault = (await newVault(dir.path, { clock })).vault;
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('entries number from 1, link to the one before, carry the clock, and move the head of their case only', () => {
    const db = vault.context.db;
    const a = vault.cases.create({ title: 'a', incidentType: 'phishing' }).id;
    const b = vault.cases.create({ title: 'b', incidentType: 'phishing' }).id;
    clock.advance(1000);
    const e2 = db.transaction(() => appendEntry(db, clock, 'someone (test)', a, 'checklist.step', { stepId: 's', done: true }))();
    const [first] = readEntries(db, a);
    const { salts, ...rest } = bodyOf(e2);
    // v2: one fresh 128-bit salt per payload field (entry.ts)
    assert.deepEqual(Object.keys(salts!).sort(), ['done', 'stepId']);
    for (const salt of Object.values(salts!)) assert.match(salt, /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(salts!.done, salts!.stepId);
    assert.deepEqual(rest, {
      v: 2,
      caseId: a,
      seq: 2,
      time: '2026-11-24T09:00:01.000Z',
      offsetMinutes: 480,
      actor: 'someone (test)',
      action: 'checklist.step',
      payload: { stepId: 's', done: true },
      prev: first!.hash,
    });
    assert.equal(first!.seq, 1);
    assert.equal(first!.prev, GENESIS_HASH);
    assert.equal(e2.hash, entryHash(bodyOf(e2)));
    const row = db.prepare('SELECT body, hash FROM custody WHERE case_id = ? AND seq = 2').get(a) as { body: string; hash: string };
    assert.deepEqual(row, { body: canonicalJson(bodyOf(e2)), hash: e2.hash });
    const head = (id: string) => db.prepare('SELECT head_seq AS seq, head_hash AS hash, updated_at AS at FROM cases WHERE id = ?').get(id);
    assert.deepEqual(head(a), { seq: 2, hash: e2.hash, at: e2.time });
    assert.equal((head(b) as { seq: number }).seq, 1, "the other case's head stays");
    assert.equal(readEntries(db, b)[0]!.prev, GENESIS_HASH, 'each case has its own chain');
    assert.deepEqual(
      readEntries(db, a).map((e) => [e.seq, e.hash]),
      [
        [1, first!.hash],
        [2, e2.hash],
      ],
    );
  });

  it('a clock that went back is recorded in the entry; the same instant or later is not', () => {
    const db = vault.context.db;
    const c = vault.cases.create({ title: 'c', incidentType: 'phishing' }).id;
    const step = () => db.transaction(() => appendEntry(db, clock, 't', c, 'checklist.step', { stepId: 's', done: false }))();
    assert.equal('clockWentBackMs' in step(), false, 'same instant');
    clock.advance(-1500);
    assert.equal(step().clockWentBackMs, 1500);
    clock.advance(1);
    assert.equal(step().clockWentBackMs, undefined, 'later than the entry before, though still behind an earlier one');
  });

  it('canonicalJson refuses what JSON cannot hold; bodyOf leaves the hash out', () => {
    assert.throws(() => canonicalJson(undefined), /value cannot be canonicalized/);
    assert.equal(canonicalJson({ b: 1, a: [true, null, 'é'] }), '{"a":[true,null,"é"],"b":1}');
    const body = { v: 1 as const, caseId: 'c', seq: 1, time: 't', offsetMinutes: 0, actor: 'a', action: 'x', payload: {}, prev: GENESIS_HASH };
    assert.deepEqual(bodyOf({ ...body, hash: 'h' }), body);
    assert.equal(GENESIS_HASH, '0'.repeat(64));
  });
});
