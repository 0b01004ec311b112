// Each custody action's payload schema (custody/actions.ts): what the app writes is accepted, with extra fields kept,
// and each thing a schema names is refused when it is missing or of another shape, since replay and verify trust
// only what parses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CUSTODY_PAYLOADS, isCustodyAction, parseAction, type CustodyAction } from '../../electron/core/custody/actions.js';
import { canonicalJson } from '../../electron/core/custody/entry.js';

const SHA = '0123456789abcdef'.repeat(4);
const ITEM = { itemId: 'i', sha256: SHA };

/** A valid payload per action, as the app writes it. */
const VALID: Record<CustodyAction, Record<string, unknown>> = {
  'case.created': { fields: { title: 't' } },
  'case.updated': { changes: { title: 't' } },
  'case.exported': { format: 'redress-case-bundle', items: 0, bytes: 0 },
  'case.export-failed': { exportSeq: 1, reason: 'disk full' },
  'case.transferred': {},
  'item.added': {
    ...ITEM,
    kind: 'photo',
    size: 0,
    objectName: 'o',
    title: '',
    notes: '',
    tags: [],
    source: 'capture',
    originalName: null,
    mediaType: 'image/png',
    captured: { instant: '2026-11-24T09:00:00.000Z', offsetMinutes: -300, zone: 'America/New_York' },
    derivedFrom: null,
  },
  'item.annotated': { ...ITEM, changes: {} },
  'item.excluded': { ...ITEM, reason: '' },
  'item.linked': { ...ITEM, targetType: 'transaction', targetId: 't' },
  'records.imported': { importId: 'imp', format: 'alipay-csv', sourceItemId: 'i', counts: { messages: { added: 0 }, transactions: { added: 0 } }, recordsDigest: SHA, recordsDigestV: 2 },
  'records.flagged': { records: [{ type: 'message', id: 'm' }] },
  'records.unflagged': { records: [{ type: 'transaction', id: 't' }] },
  'checklist.step': { stepId: 's', done: false },
  'packet.exported': {},
  'timestamp.recorded': { subject: 'chain-head', seq: 3, imprint: SHA, tsaId: 'freetsa', tsaName: 'CN=tsa', genTime: '2026-12-04T05:00:00.000Z', localTime: '2026-12-04T05:00:01.000Z', skewMs: 1000, serial: '01', tokenSha256: SHA, token: 'MA==' },
  'vault.rollback-acknowledged': { seen: { seq: 3, hash: SHA }, found: { seq: 0, hash: '' }, entriesMissing: 0 },
};

/** [action, a change to the valid payload, the path the refusal names] */
const INVALID: [CustodyAction, (p: Record<string, unknown>) => void, string][] = [
  ['case.created', (p) => delete p.fields, 'fields'],
  ['case.created', (p) => void (p.fields = 'x'), 'fields'],
  ['case.updated', (p) => delete p.changes, 'changes'],
  ['case.exported', (p) => void (p.items = -1), 'items'],
  ['case.exported', (p) => void (p.bytes = 1.5), 'bytes'],
  ['case.exported', (p) => void (p.format = 1), 'format'],
  ['case.export-failed', (p) => void (p.exportSeq = 0), 'exportSeq'],
  ['case.export-failed', (p) => void (p.exportSeq = 1.5), 'exportSeq'],
  ['case.export-failed', (p) => delete p.reason, 'reason'],
  ['item.added', (p) => void (p.itemId = ''), 'itemId'],
  ['item.added', (p) => void (p.sha256 = SHA.toUpperCase()), 'sha256'],
  ['item.added', (p) => void (p.sha256 = SHA + '0'), 'sha256'],
  ['item.added', (p) => void (p.sha256 = 'x' + SHA.slice(1)), 'sha256'],
  ['item.added', (p) => void (p.sha256 = SHA.slice(1) + 'x'), 'sha256'],
  ['item.added', (p) => delete p.kind, 'kind'],
  ['item.added', (p) => void (p.size = -1), 'size'],
  ['item.added', (p) => void (p.size = 0.5), 'size'],
  ['item.added', (p) => void (p.objectName = ''), 'objectName'],
  ['item.added', (p) => delete p.title, 'title'],
  ['item.added', (p) => delete p.notes, 'notes'],
  ['item.added', (p) => void (p.tags = [1]), 'tags.0'],
  ['item.added', (p) => delete p.source, 'source'],
  ['item.added', (p) => delete p.originalName, 'originalName'],
  ['item.added', (p) => delete p.mediaType, 'mediaType'],
  ['item.added', (p) => delete p.captured, 'captured'],
  ['item.added', (p) => void (p.captured = { instant: 'x', offsetMinutes: 480 }), 'captured.zone'],
  ['item.added', (p) => void (p.captured = { instant: 'x', offsetMinutes: 1.5, zone: 'z' }), 'captured.offsetMinutes'],
  ['item.added', (p) => void (p.captured = { offsetMinutes: 1, zone: 'z' }), 'captured.instant'],
  ['item.added', (p) => delete p.derivedFrom, 'derivedFrom'],
  ['item.annotated', (p) => void (p.changes = { title: 1 }), 'changes.title'],
  ['item.annotated', (p) => void (p.changes = { notes: null }), 'changes.notes'],
  ['item.annotated', (p) => void (p.changes = { tags: 'a' }), 'changes.tags'],
  ['item.annotated', (p) => delete p.changes, 'changes'],
  ['item.excluded', (p) => delete p.reason, 'reason'],
  ['item.excluded', (p) => delete p.sha256, 'sha256'],
  ['item.linked', (p) => delete p.targetType, 'targetType'],
  ['item.linked', (p) => delete p.targetId, 'targetId'],
  ['records.imported', (p) => void (p.importId = ''), 'importId'],
  ['records.imported', (p) => delete p.format, 'format'],
  ['records.imported', (p) => delete p.sourceItemId, 'sourceItemId'],
  ['records.imported', (p) => delete p.counts, 'counts'],
  ['records.imported', (p) => void (p.counts = { messages: { added: 0 } }), 'counts.transactions'],
  ['records.imported', (p) => void (p.counts = { messages: { added: 1.5 }, transactions: { added: 0 } }), 'counts.messages.added'],
  ['records.imported', (p) => void (p.counts = { messages: { added: 0 }, transactions: { added: -1 } }), 'counts.transactions.added'],
  ['records.imported', (p) => void (p.recordsDigest = 'x'), 'recordsDigest'],
  ['records.imported', (p) => void (p.recordsDigestV = 1), 'recordsDigestV'],
  ['records.imported', (p) => void (p.recordsDigestV = 3), 'recordsDigestV'],
  ['records.flagged', (p) => void (p.records = [{ type: 'item', id: 'm' }]), 'records.0.type'],
  ['records.flagged', (p) => void (p.records = [{ type: 'message', id: '' }]), 'records.0.id'],
  ['records.unflagged', (p) => delete p.records, 'records'],
  ['checklist.step', (p) => void (p.stepId = ''), 'stepId'],
  ['checklist.step', (p) => void (p.done = 'yes'), 'done'],
  ['vault.rollback-acknowledged', (p) => void (p.seen = { seq: 0, hash: SHA }), 'seen.seq'],
  ['vault.rollback-acknowledged', (p) => void (p.found = { seq: -1, hash: '' }), 'found.seq'],
  ['vault.rollback-acknowledged', (p) => void (p.entriesMissing = -1), 'entriesMissing'],
];

describe('custody payload schemas', () => {
  it('every action has a valid example here, and each parses as written, extra fields kept', () => {
    assert.deepEqual(Object.keys(VALID).sort(), Object.keys(CUSTODY_PAYLOADS).sort());
    for (const [action, payload] of Object.entries(VALID)) {
      const withExtra = { ...payload, later: { field: 1 } };
      const r = parseAction(action, withExtra);
      assert.ok(r.ok, `${action}: ${r.ok ? '' : r.reason}`);
      assert.equal(canonicalJson(r.entry.payload), canonicalJson(withExtra), action);
      assert.equal(r.entry.action, action);
    }
  });

  it('optional fields may be absent: annotation changes, the version of an old records digest', () => {
    assert.ok(parseAction('item.annotated', { ...ITEM, changes: { title: 'x', notes: 'y', tags: ['z'] } }).ok);
    const { recordsDigestV: _v, ...v1 } = VALID['records.imported'];
    assert.ok(parseAction('records.imported', v1).ok);
    assert.ok(parseAction('item.added', { ...VALID['item.added'], originalName: 'a.png', derivedFrom: 'other' }).ok);
  });

  for (const [action, change, path] of INVALID) {
    it(`${action}: refused without ${path} in its shape (${change.toString().replace(/\s+/g, ' ').slice(6, 70)})`, () => {
      const payload = structuredClone(VALID[action]);
      change(payload);
      const r = parseAction(action, payload);
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.reason, new RegExp(`^${action.replace('.', '\\.')} payload: ${path.replace(/\./g, '\\.')} `));
    });
  }

  it("a refusal quotes the schema's own message", () => {
    const payload = { ...VALID['checklist.step'], done: 'yes' };
    const issue = CUSTODY_PAYLOADS['checklist.step'].safeParse(payload).error!.issues[0]!;
    assert.ok(issue.message.length > 0);
    assert.deepEqual(parseAction('checklist.step', payload), { ok: false, reason: `checklist.step payload: done ${issue.message}` });
  });

  it('an unknown action is refused, prototype names included; a payload that is not an object is refused at its root', () => {
    for (const action of ['item.deleted', 'constructor', 'toString', '__proto__', '']) {
      assert.equal(isCustodyAction(action), false, action);
      const r = parseAction(action, {});
      assert.deepEqual(r, { ok: false, reason: `unknown action ${JSON.stringify(action)}` });
    }
    assert.deepEqual(parseAction('x'.repeat(100), {}), { ok: false, reason: `unknown action "${'x'.repeat(60)}"` });
    assert.match((parseAction('checklist.step', null) as { reason: string }).reason, /^checklist\.step payload: \(root\) /);
  });
});
