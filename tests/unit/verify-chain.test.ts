// verifyChain and replay on chains built in memory: each kind of break is named precisely, and each action replays
// into what verify compares the rows with. (The same checks on a real vault: tests/integration/tamper.test.ts.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, entryHash, GENESIS_HASH, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { replay } from '../../electron/core/verify/replay.js';
import { verifyChain, type StoredEntryRow } from '../../electron/core/verify/verify-chain.js';

const CASE = 'case-1';
const SHA = 'a'.repeat(64);
const T0 = Date.parse('2026-11-24T09:00:00.000Z');

type Spec = { action: string; payload?: Record<string, unknown>; time?: number; clockWentBackMs?: number };

/** A chain as appendEntry writes it: seq from 1, each entry linked to the one before. */
function chain(specs: Spec[]): { bodies: CustodyEntryBody[]; rows: StoredEntryRow[] } {
  const bodies: CustodyEntryBody[] = [];
  const rows: StoredEntryRow[] = [];
  let prev = GENESIS_HASH;
  specs.forEach((s, i) => {
    const body: CustodyEntryBody = { v: 1, caseId: CASE, seq: i + 1, time: new Date(s.time ?? T0 + i * 1000).toISOString(), offsetMinutes: 480, actor: 'test', action: s.action, payload: s.payload ?? {}, prev };
    if (s.clockWentBackMs !== undefined) body.clockWentBackMs = s.clockWentBackMs;
    prev = entryHash(body);
    bodies.push(body);
    rows.push({ seq: body.seq, body: canonicalJson(body), hash: prev });
  });
  return { bodies, rows };
}
const plain = (n: number) => chain(Array.from({ length: n }, () => ({ action: 'checklist.step', payload: { stepId: 's', done: true } })));
const head = (rows: StoredEntryRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });
const summary = (r: ReturnType<typeof verifyChain>) => r.problems.map((p) => [p.kind, p.seq, p.detail]);

describe('verifyChain', () => {
  it('an intact chain: no problem, every entry intact and keyed by seq', () => {
    const { rows, bodies } = plain(4);
    const r = verifyChain(CASE, rows, head(rows));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual([...r.intact.keys()], [1, 2, 3, 4]);
    assert.deepEqual(r.intact.get(3), bodies[2]);
  });

  it('one entry missing, then two', () => {
    const { rows } = plain(6);
    assert.deepEqual(summary(verifyChain(CASE, [rows[0]!, rows[1]!, rows[3]!, rows[4]!, rows[5]!], head(rows))), [
      ['entry-missing', 3, 'entry 3 is missing'],
    ]);
    assert.deepEqual(summary(verifyChain(CASE, [rows[0]!, rows[3]!, rows[4]!, rows[5]!], head(rows))), [['entry-missing', 2, 'entries 2–3 are missing']]);
  });

  it('the first entries missing: no link can be checked before the gap', () => {
    const { rows } = plain(3);
    assert.deepEqual(summary(verifyChain(CASE, [rows[2]!], head(rows))), [['entry-missing', 1, 'entries 1–2 are missing']]);
  });

  it('an edited body, a body that is not JSON, a body of another case: entry-altered, and not also chain-broken', () => {
    const { rows } = plain(4);
    const edited = { ...rows[1]!, body: rows[1]!.body.replace('"done":true', '"done":false') };
    const notJson = { ...rows[2]!, body: '{' };
    const r = verifyChain(CASE, [rows[0]!, edited, notJson, rows[3]!], head(rows));
    assert.deepEqual(summary(r), [
      ['entry-altered', 2, 'entry 2 does not match its hash: its content was changed'],
      ['entry-altered', 3, 'entry 3 does not match its hash: its content was changed'],
    ]);
    assert.deepEqual([...r.intact.keys()], [1, 4]);
    assert.deepEqual(summary(verifyChain('another-case', rows, head(rows))).map((p) => p[0]), ['entry-altered', 'entry-altered', 'entry-altered', 'entry-altered']);
    const nullBody = { ...rows[0]!, body: 'null' };
    assert.deepEqual(summary(verifyChain(CASE, [nullBody, ...rows.slice(1)], head(rows)))[0], ['entry-altered', 1, 'entry 1 does not match its hash: its content was changed']);
  });

  it('an intact entry stored at another position: entry-reordered, naming both', () => {
    const { rows } = plain(4);
    const swapped = [rows[0]!, { ...rows[2]!, seq: 2 }, { ...rows[1]!, seq: 3 }, rows[3]!];
    const r = verifyChain(CASE, swapped, head(rows));
    assert.deepEqual(summary(r).slice(0, 2), [
      ['entry-reordered', 2, 'position 2 holds the entry recorded as number 3'],
      ['entry-reordered', 3, 'position 3 holds the entry recorded as number 2'],
    ]);
    assert.deepEqual([...r.intact.keys()].sort(), [1, 2, 3, 4], 'intact by the seq it was recorded at');
  });

  it('entries 2 and 4 swapped: both reordered, and entry 3, which follows the entry recorded before it, says the one stored there was replaced', () => {
    const { rows } = plain(5);
    const swapped = [rows[0]!, { ...rows[3]!, seq: 2 }, rows[2]!, { ...rows[1]!, seq: 4 }, rows[4]!];
    assert.deepEqual(summary(verifyChain(CASE, swapped, head(rows))), [
      ['entry-reordered', 2, 'position 2 holds the entry recorded as number 4'],
      ['chain-broken', 3, 'entry 3 does not link to entry 2: entry 2 was rewritten or replaced'],
      ['entry-reordered', 4, 'position 4 holds the entry recorded as number 2'],
      ['chain-broken', 5, 'entry 5 does not link to entry 4: entry 4 was rewritten or replaced'],
    ]);
  });

  it('an entry that links to an earlier one than the entry stored before it: entry-reordered', () => {
    const { bodies } = plain(3);
    // entry 3 re-recorded so that it follows entry 1, stored after entry 2
    const forged = { ...bodies[2]!, prev: entryHash(bodies[0]!) };
    const rows = [...plain(3).rows.slice(0, 2), { seq: 3, body: canonicalJson(forged), hash: entryHash(forged) }];
    assert.deepEqual(summary(verifyChain(CASE, rows, head(rows))), [['entry-reordered', 3, 'entry 3 follows entry 1, not the entry stored before it']]);
  });

  it('an entry rewritten with a fresh hash: the next entry no longer links (chain-broken)', () => {
    const { rows, bodies } = plain(4);
    const forged = { ...bodies[1]!, payload: { stepId: 'forged', done: true } };
    const rewritten = [rows[0]!, { seq: 2, body: canonicalJson(forged), hash: entryHash(forged) }, rows[2]!, rows[3]!];
    assert.deepEqual(summary(verifyChain(CASE, rewritten, head(rows))), [['chain-broken', 3, 'entry 3 does not link to entry 2: entry 2 was rewritten or replaced']]);
  });

  it("an entry whose stored hash was changed: entry-altered, and the next entry's link to it is not also chain-broken", () => {
    const { rows } = plain(4);
    const rehashed = [rows[0]!, { ...rows[1]!, hash: 'f'.repeat(64) }, rows[2]!, rows[3]!];
    assert.deepEqual(summary(verifyChain(CASE, rehashed, head(rows))), [['entry-altered', 2, 'entry 2 does not match its hash: its content was changed']]);
  });

  it('a first entry that does not start from the genesis hash is chain-broken', () => {
    const { bodies } = plain(1);
    const forged = { ...bodies[0]!, prev: SHA };
    const rows = [{ seq: 1, body: canonicalJson(forged), hash: entryHash(forged) }];
    assert.deepEqual(summary(verifyChain(CASE, rows, head(rows))), [['chain-broken', 1, 'entry 1 does not link to entry 0: entry 0 was rewritten or replaced']]);
  });

  it('the end of the chain against the head the case recorded', () => {
    const { rows } = plain(4);
    assert.deepEqual(summary(verifyChain(CASE, rows.slice(0, 2), head(rows))), [['chain-truncated', 3, 'the chain ends at entry 2 but the case recorded 4 entries']]);
    assert.deepEqual(summary(verifyChain(CASE, [], head(rows))), [['chain-truncated', 1, 'the chain ends at entry 0 but the case recorded 4 entries']]);
    assert.deepEqual(summary(verifyChain(CASE, rows, { seq: 4, hash: SHA })), [['chain-broken', 4, 'the last entry is not the head recorded for the case']]);
    assert.deepEqual(summary(verifyChain(CASE, rows, { seq: 2, hash: rows[1]!.hash })), [['chain-broken', 3, 'entries after 2 were added outside Redress']]);
  });

  it('a clock that went back is a warning with the time, not a problem', () => {
    const { rows } = chain([
      { action: 'a' },
      { action: 'a', clockWentBackMs: 999 },
      { action: 'a', clockWentBackMs: 1000 },
      { action: 'a', clockWentBackMs: 119_499 },
      { action: 'a', clockWentBackMs: 120_000 },
      { action: 'a', clockWentBackMs: 7_199_999 },
      { action: 'a', clockWentBackMs: 7_200_000 },
      { action: 'a', clockWentBackMs: 0 },
    ]);
    const r = verifyChain(CASE, rows, head(rows));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.warnings.map((w) => [w.kind, w.seq, w.detail, w.kind === 'clock-went-back' ? w.behindMs : null]),
      [
        ['clock-went-back', 2, 'the clock went back 999 ms before entry 2', 999],
        ['clock-went-back', 3, 'the clock went back 1 s before entry 3', 1000],
        ['clock-went-back', 4, 'the clock went back 119 s before entry 4', 119_499],
        ['clock-went-back', 5, 'the clock went back 2 min before entry 5', 120_000],
        ['clock-went-back', 6, 'the clock went back 120 min before entry 6', 7_199_999],
        ['clock-went-back', 7, 'the clock went back 2 h before entry 7', 7_200_000],
      ],
    );
    assert.ok(r.warnings.every((w) => w.caseId === CASE));
  });
});

describe('replay', () => {
  const item = (itemId: string, extra: Record<string, unknown> = {}) => ({
    itemId,
    sha256: SHA,
    kind: 'photo',
    size: 3,
    objectName: 'b'.repeat(64),
    title: 't',
    notes: 'n',
    tags: ['x'],
    source: 'capture',
    originalName: null,
    mediaType: 'image/png',
    captured: { instant: '2026-11-24T09:00:00.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai', extra: 1 },
    derivedFrom: null,
    fileModifiedAt: 'kept on the chain only',
    ...extra,
  });
  const run = (specs: Spec[]) => {
    const { rows } = chain(specs);
    const r = verifyChain(CASE, rows, head(rows));
    assert.deepEqual(r.problems, []);
    return replay(r.intact);
  };

  it('case fields: created, then each update merged over them; an update before the case is ignored', () => {
    const r = run([
      { action: 'case.updated', payload: { changes: { title: 'early' } } },
      { action: 'case.created', payload: { fields: { title: 'a', narrative: 'n' } } },
      { action: 'case.updated', payload: { changes: { title: 'b' } } },
      { action: 'case.updated', payload: { changes: { status: 'ready' } } },
    ]);
    assert.deepEqual(r.fields, { title: 'b', narrative: 'n', status: 'ready' });
    assert.equal(run([{ action: 'checklist.step', payload: { stepId: 's', done: true } }]).fields, null);
    // the creation entry lost (unreadable, cut off): the updates alone are not the case's fields
    assert.equal(run([{ action: 'case.updated', payload: { changes: { title: 'b' } } }]).fields, null);
  });

  it('items: every field item.added fixes, annotations field by field, the last exclusion with its entry time', () => {
    const r = run([
      { action: 'item.added', payload: item('i1') },
      { action: 'item.added', payload: item('i2', { originalName: 'a.png', derivedFrom: 'i1' }) },
      { action: 'item.annotated', payload: { itemId: 'i1', sha256: SHA, changes: { title: 'T' } } },
      { action: 'item.annotated', payload: { itemId: 'i1', sha256: SHA, changes: { notes: 'N' } } },
      { action: 'item.annotated', payload: { itemId: 'i1', sha256: SHA, changes: { tags: ['y', 'z'] } } },
      { action: 'item.annotated', payload: { itemId: 'nobody', sha256: SHA, changes: { title: 'ignored' } } },
      { action: 'item.excluded', payload: { itemId: 'i2', sha256: SHA, reason: 'first' } },
      { action: 'item.excluded', payload: { itemId: 'i2', sha256: SHA, reason: 'second' }, time: T0 + 60_000 },
      { action: 'item.excluded', payload: { itemId: 'nobody', sha256: SHA, reason: 'ignored' } },
    ]);
    assert.deepEqual([...r.items.keys()], ['i1', 'i2']);
    assert.deepEqual(r.items.get('i1'), {
      seq: 1,
      kind: 'photo',
      sha256: SHA,
      size: 3,
      objectName: 'b'.repeat(64),
      title: 'T',
      notes: 'N',
      tags: ['y', 'z'],
      source: 'capture',
      originalName: null,
      mediaType: 'image/png',
      captured: { instant: '2026-11-24T09:00:00.000Z', offsetMinutes: 480, zone: 'Asia/Shanghai' },
      derivedFrom: null,
      excludedReason: null,
      excludedAt: null,
    });
    const i2 = r.items.get('i2')!;
    assert.deepEqual([i2.seq, i2.title, i2.originalName, i2.derivedFrom, i2.excludedReason, i2.excludedAt], [2, 't', 'a.png', 'i1', 'second', new Date(T0 + 60_000).toISOString()]);
  });

  it('imports by id, and flags: the last flag entry naming a record wins', () => {
    const imported = { importId: 'imp', format: 'sms-backup-xml', sourceItemId: 'i1', counts: { messages: { added: 1 }, transactions: { added: 0 } }, recordsDigest: SHA, recordsDigestV: 2 };
    const ref = (id: string) => ({ type: 'message', id });
    const r = run([
      { action: 'records.imported', payload: imported },
      { action: 'records.flagged', payload: { records: [ref('a'), ref('b'), ref('c')] } },
      { action: 'records.unflagged', payload: { records: [ref('b')] } },
      { action: 'records.unflagged', payload: { records: [ref('c')] } },
      { action: 'records.flagged', payload: { records: [ref('c')] } },
    ]);
    assert.deepEqual([...r.imports], [['imp', { seq: 1, payload: imported }]]);
    assert.deepEqual([...r.flags].sort(), [['a', true], ['b', false], ['c', true]]);
  });

  it('an entry it cannot read is unrecognised, in seq order, and changes nothing', () => {
    const r = run([
      { action: 'item.added', payload: { ...item('i1'), captured: { instant: 'x' } } },
      { action: 'records.imported', payload: { importId: 'imp', format: 'f', sourceItemId: 'i', counts: { messages: { added: 0 }, transactions: { added: 0 } }, recordsDigest: SHA, recordsDigestV: 3 } },
      { action: 'records.imported', payload: { importId: 'imp', format: 'f', sourceItemId: 'i', counts: { messages: { added: -1 }, transactions: { added: 0 } }, recordsDigest: SHA } },
      { action: 'records.imported', payload: { importId: 'imp', format: 'f', sourceItemId: 'i', counts: { messages: { added: 0 }, transactions: { added: 0 } }, recordsDigest: 'not a hash' } },
      { action: 'item.deleted' },
    ]);
    assert.deepEqual(
      r.unrecognised.map((u) => u.seq),
      [1, 2, 3, 4, 5],
    );
    assert.match(r.unrecognised[0]!.reason, /^item\.added payload: captured\.offsetMinutes /);
    assert.match(r.unrecognised[1]!.reason, /^records\.imported payload: recordsDigestV /);
    assert.match(r.unrecognised[2]!.reason, /^records\.imported payload: counts\.messages\.added /);
    assert.match(r.unrecognised[3]!.reason, /^records\.imported payload: recordsDigest /);
    assert.equal(r.unrecognised[4]!.reason, 'unknown action "item.deleted"');
    assert.equal(r.items.size + r.imports.size, 0);
  });

  it('replays in seq order whatever order the map holds the entries in', () => {
    const { rows } = chain([
      { action: 'case.created', payload: { fields: { title: 'a' } } },
      { action: 'case.updated', payload: { changes: { title: 'b' } } },
    ]);
    const intact = verifyChain(CASE, rows, head(rows)).intact;
    const reversed = new Map([...intact].reverse());
    assert.deepEqual(replay(reversed).fields, { title: 'b' });
  });
});
