import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFingerprint, normaliseFingerprint, sameFingerprint } from '../../shared/key-fingerprint.js';

describe('vault key fingerprints as people compare them', () => {
  const digest = 'a38370b3dcc17e7550ce8d33f2628bd4' + '0'.repeat(32);
  it('eight groups of four upper-case hex digits: the first 128 bits of the SHA-256', () => {
    assert.equal(formatFingerprint(digest), 'A383 70B3 DCC1 7E75 50CE 8D33 F262 8BD4');
  });
  it('accepts it typed any way: case, spaces, dashes, colons, the whole digest', () => {
    for (const typed of ['A383 70B3 DCC1 7E75 50CE 8D33 F262 8BD4', 'a38370b3dcc17e7550ce8d33f2628bd4', 'a383-70b3-dcc1-7e75-50ce-8d33-f262-8bd4', 'A3:83:70:B3:DC:C1:7E:75:50:CE:8D:33:F2:62:8B:D4', digest, ' a383 70b3\tdcc1 7e75 50ce 8d33 f262 8bd4 ']) {
      assert.equal(normaliseFingerprint(typed), 'a38370b3dcc17e7550ce8d33f2628bd4', typed);
    }
    assert.ok(sameFingerprint('A383 70B3 DCC1 7E75 50CE 8D33 F262 8BD4', digest));
  });
  it('refuses what is not one: too short, too long, not hex; and two different keys are not the same', () => {
    for (const bad of ['', 'A383 70B3', 'a38370b3dcc17e7550ce8d33f2628bd40', 'g38370b3dcc17e7550ce8d33f2628bd4', `${digest}00`]) assert.equal(normaliseFingerprint(bad), null, bad);
    assert.equal(sameFingerprint('a38370b3dcc17e7550ce8d33f2628bd4', 'a38370b3dcc17e7550ce8d33f2628bd5'), false);
    assert.equal(sameFingerprint('not one', 'not one'), false);
  });
});
