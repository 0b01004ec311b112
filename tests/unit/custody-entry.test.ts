import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { entryHash, GENESIS_HASH, type CustodyEntryBody } from '../../electron/core/custody/entry.js';

describe('custody entry hash', () => {
  it('is SHA-256 over the previous hash and the RFC 8785 form of the body, recomputable by hand', () => {
    const body: CustodyEntryBody = {
      v: 1,
      caseId: 'c1',
      seq: 1,
      time: '2026-11-24T09:00:00.000Z',
      offsetMinutes: 480,
      actor: '张三 (test)',
      action: 'case.created',
      payload: { z: 1.5, a: ['€', 1e21], é: null },
      prev: GENESIS_HASH,
    };
    // Written by hand per RFC 8785: keys sorted by UTF-16 code units, ES number serialization, no whitespace.
    const canonical =
      '{"action":"case.created","actor":"张三 (test)","caseId":"c1","offsetMinutes":480,"payload":{"a":["€",1e+21],"z":1.5,"é":null},"prev":"' +
      GENESIS_HASH +
      '","seq":1,"time":"2026-11-24T09:00:00.000Z","v":1}';
    const expected = createHash('sha256').update(GENESIS_HASH + canonical, 'utf8').digest('hex');
    assert.equal(entryHash(body), expected);
  });

  it('changes when any field changes', () => {
    const body: CustodyEntryBody = { v: 1, caseId: 'c', seq: 1, time: 't', offsetMinutes: 0, actor: 'a', action: 'x', payload: {}, prev: GENESIS_HASH };
    const base = entryHash(body);
    assert.notEqual(entryHash({ ...body, seq: 2 }), base);
    assert.notEqual(entryHash({ ...body, payload: { k: 1 } }), base);
    assert.notEqual(entryHash({ ...body, prev: 'f'.repeat(64) }), base);
  });
});
