import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskLast4, maskProfile, maskText } from '../../electron/core/packets/masking.js';
import { getRecipient, listRecipients } from '../../electron/core/packets/recipients.js';
import { formatSha256Sums, parseSha256Sums } from '../../electron/core/packets/sha256sums.js';
import { planVolumes } from '../../electron/core/packets/volumes.js';
import { wrapText } from '../../electron/core/packets/pdf/wrap.js';
import { PACKET_SECTIONS } from '../../shared/recipient.js';
import { VictimProfile } from '../../shared/victim-profile.js';
import { PROFILE } from './fixtures.js';

// One unit per character: line widths are character counts.
const mono = { widthOfTextAtSize: (s: string, size: number) => [...s].length * size };

describe('packet building blocks', () => {
  it('wraps Latin at spaces and CJK anywhere, never starting a line with closing punctuation', () => {
    assert.deepEqual(wrapText('the quick brown fox jumps', mono, 1, 10), ['the quick', 'brown fox', 'jumps']);
    assert.deepEqual(wrapText('请把钱转到安全账户里面', mono, 1, 4), ['请把钱转', '到安全账', '户里面']);
    assert.deepEqual(wrapText('一二三，四五', mono, 1, 3), ['一二', '三，四', '五']);
    assert.deepEqual(wrapText('abcdefghij', mono, 1, 4), ['abcd', 'efgh', 'ij'], 'an overlong token is cut by character');
    assert.deepEqual(wrapText('line one\nline two', mono, 1, 20), ['line one', 'line two']);
    assert.deepEqual(wrapText('转账 transfer 5000 元', mono, 1, 12), ['转账 transfer', '5000 元']);
  });

  it('masks to the last four, keeping separators', () => {
    assert.equal(maskLast4('6222021234567890'), '************7890');
    assert.equal(maskLast4('6222 0212 3456 7890'), '**** **** **** 7890');
    assert.equal(maskLast4('123'), '123');
  });

  it("masks the victim's own numbers inside free text per recipient", () => {
    const profile = VictimProfile.parse(PROFILE);
    const text = '卡号6222021234567890，身份证110101199003071234，电话13800138000';
    assert.equal(maskText(text, profile, getRecipient('cn-police')), text);
    assert.equal(maskText(text, profile, getRecipient('cn-alipay')), '卡号************7890，身份证**************1234，电话*******8000');
    const ico = maskProfile(profile, getRecipient('uk-ico'));
    assert.deepEqual(ico.cards, []);
    assert.equal(ico.idNumber, undefined);
    assert.equal(ico.fields.find((f) => f.field === 'idNumber')!.rule, 'omit');
  });

  it('ships every recipient the issue names, each complete in both languages', () => {
    const ids = listRecipients().map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 16);
    for (const r of listRecipients()) {
      assert.ok(r.name['zh-CN'] && r.name.en && r.submit['zh-CN'] && r.submit.en, r.id);
      assert.ok(r.sections.every((s) => (PACKET_SECTIONS as readonly string[]).includes(s)));
      assert.ok(r.sections.includes('evidence-index') && r.sections.includes('integrity'), `${r.id} carries the evidence index and integrity page`);
      if (r.kind === 'platform') assert.notEqual(r.personalData.idNumber, 'full', `${r.id} must not get the full ID number`);
    }
  });

  it('SHA256SUMS round-trips in the coreutils format', () => {
    const files = [{ path: 'originals/E01-截图.png', sha256: 'a'.repeat(64), size: 1 }];
    const text = formatSha256Sums(files);
    assert.equal(text, `${'a'.repeat(64)}  originals/E01-截图.png\n`);
    assert.deepEqual(parseSha256Sums(text), [{ path: 'originals/E01-截图.png', sha256: 'a'.repeat(64) }]);
  });

  it('plans volumes under the total limit, in order, and names files too big on their own', () => {
    const core = [{ path: 'packet.pdf', size: 3_000_000 }];
    const evidence = [1, 2, 3, 4, 5].map((i) => ({ path: `originals/E0${i}.jpg`, size: 3_000_000 }));
    const plan = planVolumes(core, [...evidence, { path: 'originals/big.mp4', size: 25_000_000 }], { totalBytes: 10_000_000 });
    assert.deepEqual(plan.oversized, ['originals/big.mp4']);
    for (const v of plan.volumes.filter((v) => !v.some((f) => f.path.endsWith('big.mp4')))) assert.ok(v.reduce((a, f) => a + f.size, 0) < 10_000_000);
    assert.equal(plan.volumes[0]![0]!.path, 'packet.pdf');
    const withChecks = planVolumes(core, evidence, { totalBytes: 10_000_000 }, [{ path: 'SHA256SUMS', size: 500 }]);
    assert.ok(withChecks.volumes.every((v) => v[0]!.path === 'SHA256SUMS'), 'every volume can be checked on its own');
    assert.equal(plan.volumes.flat().length, 7);
    assert.deepEqual(planVolumes(core, evidence, null).volumes.length, 1);
    assert.deepEqual(planVolumes(core, evidence, { perFileBytes: 2_000_000 }).oversized.length, 6);
  });
});
