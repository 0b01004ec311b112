import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson, committedBody, entryHash, fieldDigest, GENESIS_HASH, newSalts, type CustodyEntryBody } from '../../electron/core/custody/entry.js';

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

  it('v2: SHA-256 over the previous hash and the committed body, each payload field a salted digest, recomputable by hand', () => {
    const salts = { title: 'AAAAAAAAAAAAAAAAAAAAAA', size: 'BBBBBBBBBBBBBBBBBBBBBB' };
    const body: CustodyEntryBody = { v: 2, caseId: 'c1', seq: 2, time: '2026-11-24T09:00:00.000Z', offsetMinutes: 480, actor: 'vault-7K3M-9QXD (test)', action: 'item.added', payload: { title: '转账截图', size: 12 }, prev: 'a'.repeat(64), salts };
    const digest = (salt: string, name: string, json: string) => createHash('sha256').update(`["${salt}","${name}",${json}]`, 'utf8').digest('hex');
    const committed =
      `{"action":"item.added","actor":"vault-7K3M-9QXD (test)","caseId":"c1","digests":{"size":"${digest(salts.size, 'size', '12')}","title":"${digest(salts.title, 'title', '"转账截图"')}"},` +
      `"offsetMinutes":480,"prev":"${'a'.repeat(64)}","seq":2,"time":"2026-11-24T09:00:00.000Z","v":2}`;
    assert.equal(committedBody(body) && canonicalJson(committedBody(body)), committed);
    assert.equal(entryHash(body), createHash('sha256').update('a'.repeat(64) + committed, 'utf8').digest('hex'));
    assert.equal(fieldDigest(salts.title, 'title', '转账截图'), digest(salts.title, 'title', '"转账截图"'));
  });

  it('v2: a changed value or salt changes the hash; salts that do not name exactly the payload\'s fields hash to nothing valid', () => {
    const body: CustodyEntryBody = { v: 2, caseId: 'c', seq: 1, time: 't', offsetMinutes: 0, actor: 'a', action: 'x', payload: { k: 1 }, prev: GENESIS_HASH, salts: { k: 'CCCCCCCCCCCCCCCCCCCCCC' } };
    const base = entryHash(body);
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(entryHash({ ...body, payload: { k: 2 } }), base);
    assert.notEqual(entryHash({ ...body, salts: { k: 'DDDDDDDDDDDDDDDDDDDDDD' } }), base);
    const wrong: (Record<string, string> | undefined)[] = [undefined, {}, { k: 'CCCCCCCCCCCCCCCCCCCCCC', j: 'CCCCCCCCCCCCCCCCCCCCCC' }, { k: 'short' }, { j: 'CCCCCCCCCCCCCCCCCCCCCC' }];
    for (const salts of wrong) {
      const { salts: _s, ...rest } = body;
      assert.doesNotMatch(entryHash(salts ? { ...rest, salts } : rest), /^[0-9a-f]{64}$/, JSON.stringify(salts));
    }
    // a field left undefined is not stored, so it has no salt either: the stored body hashes as the written one
    const written = { ...body, payload: { k: 1, gone: undefined }, salts: newSalts({ k: 1, gone: undefined }) };
    assert.deepEqual(Object.keys(written.salts), ['k']);
    assert.equal(entryHash(JSON.parse(canonicalJson(written)) as CustodyEntryBody), entryHash(written));
  });
});
