// Each custody action has a payload schema: replay and verify parse with it, and an entry they cannot read is a
// problem, even when whoever wrote it recomputed every hash and the case's head.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parseAction } from '../../electron/core/custody/actions.js';
import { canonicalJson, entryHash, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, openVault, tempDir } from '../helpers/vault.js';

describe('custody actions', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let caseId: string;
  beforeEach(async () => {
    dir = await tempDir();
    const { vault } = await newVault(dir.path);
    caseId = vault.cases.create({ title: 't', incidentType: 'phishing' }).id;
    await vault.items.addBuffer(caseId, Buffer.from('evidence'), { name: 'a.txt' });
    await vault.close();
  });
  afterEach(() => dir.cleanup());

  /** Rewrites the head entry and the case's recorded head consistently, as a forger with the key would. */
  async function forgeHead(change: (body: CustodyEntryBody) => void): Promise<Vault> {
    const vault = await openVault(dir.path);
    const db = vault.context.db;
    const row = db.prepare('SELECT seq, body FROM custody WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(caseId) as { seq: number; body: string };
    const body = JSON.parse(row.body) as CustodyEntryBody;
    change(body);
    const hash = entryHash(body);
    db.prepare('UPDATE custody SET body = ?, hash = ? WHERE case_id = ? AND seq = ?').run(canonicalJson(body), hash, caseId, row.seq);
    db.prepare('UPDATE cases SET head_hash = ? WHERE id = ?').run(hash, caseId);
    return vault;
  }

  it('an entry with an unknown action is reported, not skipped', async () => {
    const vault = await forgeHead((b) => void (b.action = 'item.deleted'));
    const report = await vault.verify(caseId);
    await vault.close();
    assert.equal(report.ok, false);
    const problem = report.cases[0]!.problems.find((p) => p.kind === 'entry-unrecognised');
    assert.ok(problem, JSON.stringify(report.cases[0]!.problems));
    assert.equal(problem.seq, 2);
    assert.match(problem.detail, /unknown action "item\.deleted"/);
  });

  it('an item.added entry without its hash is reported', async () => {
    const vault = await forgeHead((b) => void delete (b.payload as Record<string, unknown>).sha256);
    const report = await vault.verify(caseId);
    await vault.close();
    assert.ok(report.cases[0]!.problems.some((p) => p.kind === 'entry-unrecognised' && /item\.added payload: sha256/.test(p.detail)), JSON.stringify(report.cases[0]!.problems));
  });

  it('an untouched vault has none', async () => {
    const vault = await openVault(dir.path);
    assert.equal((await vault.verify()).ok, true);
    await vault.close();
  });

  it('the schemas accept what the app writes and keep extra fields', () => {
    const r = parseAction('item.excluded', { itemId: 'i', sha256: 'a'.repeat(64), reason: 'duplicate', extra: 1 });
    assert.equal(r.ok, true);
    assert.deepEqual(r.ok && r.entry.payload, { itemId: 'i', sha256: 'a'.repeat(64), reason: 'duplicate', extra: 1 });
    assert.equal(parseAction('item.excluded', { itemId: 'i', sha256: 'not a hash', reason: 'x' }).ok, false);
    assert.equal(parseAction('constructor', {}).ok, false, 'no prototype keys');
  });
});
