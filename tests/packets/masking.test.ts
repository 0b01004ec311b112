// Masking decides what of the victim's own data a recipient reads: every rule of every field, and the free-text pass
// that keeps a masked number from being read in full in the narrative or a message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDisclosure, maskLast4, maskProfile, maskText } from '../../electron/core/packets/masking.js';
import { getRecipient } from '../../electron/core/packets/recipients.js';
import type { Disclosure, Recipient } from '../../shared/recipient.js';
import { VictimProfile } from '../../shared/victim-profile.js';

const PROFILE = VictimProfile.parse({
  name: '张三',
  idNumber: '110101199003071234',
  phone: '13800138000',
  email: 'zhangsan@example.com',
  address: '北京市朝阳区建国路1号',
  cards: [
    { bank: '中国工商银行', number: '6222021234567890' },
    { bank: 'Bank of X', number: '4000 1234 5678 9010' },
  ],
});

/** A recipient whose rules are given per field (the rest of it does not matter to masking). */
function recipient(rules: Partial<Recipient['personalData']>): Recipient {
  const base = getRecipient('cn-police');
  return { ...base, personalData: { name: 'full', idNumber: 'full', phone: 'full', email: 'full', address: 'full', cardNumbers: 'full', ...rules } };
}

describe('masking', () => {
  it('maskLast4 keeps the last four characters that are not spaces or dashes, and every separator in place', () => {
    assert.equal(maskLast4('6222021234567890'), '************7890');
    assert.equal(maskLast4('6222-0212-3456-7890'), '****-****-****-7890');
    assert.equal(maskLast4('62 22\t02 12 345 67890'), '** **\t** ** *** *7890');
    assert.equal(maskLast4('12-34'), '12-34', 'four characters: nothing to hide');
    assert.equal(maskLast4('12345'), '*2345');
    assert.equal(maskLast4('abc'), 'abc');
    assert.equal(maskLast4(''), '');
    assert.equal(maskLast4('  中国工商银行 '), '  **工商银行 ');
  });

  it('applyDisclosure: full as is, last4 masked, omit and empty values give nothing', () => {
    assert.equal(applyDisclosure('13800138000', 'full'), '13800138000');
    assert.equal(applyDisclosure('13800138000', 'last4'), '*******8000');
    assert.equal(applyDisclosure('13800138000', 'omit'), undefined);
    for (const rule of ['full', 'last4', 'omit'] as Disclosure[]) {
      assert.equal(applyDisclosure('', rule), undefined);
      assert.equal(applyDisclosure(undefined, rule), undefined);
    }
  });

  for (const rule of ['full', 'last4', 'omit'] as Disclosure[]) {
    it(`maskProfile applies "${rule}" to each field on its own`, () => {
      const raw: Record<string, string> = { name: PROFILE.name, idNumber: PROFILE.idNumber!, phone: PROFILE.phone!, email: PROFILE.email!, address: PROFILE.address! };
      for (const field of ['name', 'idNumber', 'phone', 'email', 'address'] as const) {
        const masked = maskProfile(PROFILE, recipient({ [field]: rule }));
        const expected = rule === 'full' ? raw[field] : rule === 'last4' ? maskLast4(raw[field]!) : undefined;
        assert.equal(masked[field], expected, field);
        const entry = masked.fields.find((f) => f.field === field)!;
        assert.deepEqual(entry, { field, rule, present: true, ...(expected ? { shown: expected } : {}) });
        // the other fields are untouched (full)
        for (const other of ['name', 'idNumber', 'phone', 'email', 'address'] as const) if (other !== field) assert.equal(masked[other], raw[other], `${other} when ${field} is ${rule}`);
      }
    });
  }

  it('maskProfile: cards per rule, and the list of fields in order', () => {
    const full = maskProfile(PROFILE, recipient({}));
    assert.deepEqual(full.cards, PROFILE.cards);
    assert.deepEqual(
      full.fields.map((f) => f.field),
      ['name', 'idNumber', 'phone', 'email', 'address', 'cardNumbers'],
    );
    assert.deepEqual(full.fields.at(-1), { field: 'cardNumbers', rule: 'full', present: true, shown: '6222021234567890, 4000 1234 5678 9010' });
    const last4 = maskProfile(PROFILE, recipient({ cardNumbers: 'last4' }));
    assert.deepEqual(last4.cards, [
      { bank: '中国工商银行', number: '************7890' },
      { bank: 'Bank of X', number: '**** **** **** 9010' },
    ]);
    assert.equal(last4.fields.at(-1)!.shown, '************7890, **** **** **** 9010');
    const omit = maskProfile(PROFILE, recipient({ cardNumbers: 'omit' }));
    assert.deepEqual(omit.cards, []);
    assert.deepEqual(omit.fields.at(-1), { field: 'cardNumbers', rule: 'omit', present: true });
  });

  it('maskProfile: a profile without the data says so (present: false) and shows nothing', () => {
    const empty = maskProfile(VictimProfile.parse({}), recipient({}));
    assert.deepEqual(empty, {
      cards: [],
      fields: [
        { field: 'name', rule: 'full', present: false },
        { field: 'idNumber', rule: 'full', present: false },
        { field: 'phone', rule: 'full', present: false },
        { field: 'email', rule: 'full', present: false },
        { field: 'address', rule: 'full', present: false },
        { field: 'cardNumbers', rule: 'full', present: false },
      ],
    });
  });

  it('maskText replaces every occurrence of the card, ID and phone numbers by the recipient’s form', () => {
    const text = 'card 6222021234567890 again 6222021234567890; id 110101199003071234; phone 13800138000; other 4000 1234 5678 9010; mail zhangsan@example.com';
    assert.equal(maskText(text, PROFILE, recipient({})), text, 'full: unchanged');
    assert.equal(
      maskText(text, PROFILE, recipient({ cardNumbers: 'last4', idNumber: 'last4', phone: 'last4' })),
      'card ************7890 again ************7890; id **************1234; phone *******8000; other **** **** **** 9010; mail zhangsan@example.com',
    );
    assert.equal(maskText(text, PROFILE, recipient({ cardNumbers: 'omit', idNumber: 'omit', phone: 'omit', email: 'omit' })), 'card [—] again [—]; id [—]; phone [—]; other [—]; mail zhangsan@example.com');
    // each field follows its own rule
    assert.equal(maskText(text, PROFILE, recipient({ phone: 'omit' })), text.replace('13800138000', '[—]'));
    assert.equal(maskText(text, PROFILE, recipient({ idNumber: 'last4' })), text.replace('110101199003071234', '**************1234'));
  });

  it('maskText finds the victim\'s numbers however they were typed: spaces, dashes, dots, full-width digits, a line break, +86', () => {
    const platform = recipient({ cardNumbers: 'last4', idNumber: 'omit', phone: 'last4' });
    const typed = [
      ['6222 0212 3456 7890', '**** **** **** 7890'],
      ['6222-0212-3456-7890', '****-****-****-7890'],
      ['６２２２０２１２３４５６７８９０', '************７８９０'],
      ['62220212\n34567890', '********\n****7890'],
      ['6222.0212.3456.7890', '****.****.****.7890'],
      ['4000123456789010', '************9010'],
      ['+86 138-0013-8000', '*** ***-****-8000'],
      ['138 0013 8000', '*** **** 8000'],
      ['８６１３８００１３８０００', '*********８０００'],
    ];
    for (const [raw, masked] of typed) assert.equal(maskText(`我的号码：${raw}，请核实`, PROFILE, platform), `我的号码：${masked}，请核实`, raw);
    for (const id of ['110101 19900307 1234', '110101-19900307-1234', '１１０１０１１９９００３０７１２３４']) assert.equal(maskText(`身份证 ${id} 。`, PROFILE, platform), '身份证 [—] 。', id);
  });

  it('maskText leaves other people\'s cards and phones (the evidence) and numbers that only contain the victim\'s digits', () => {
    const platform = recipient({ cardNumbers: 'last4', idNumber: 'omit', phone: 'omit' });
    const text = '转账到对方卡 6217 0000 0000 0000 004（骗子电话 139-1234-5678），订单号 2024013122001380013800099，金额 13800.00 元';
    assert.equal(maskText(text, PROFILE, platform), text);
  });

  it("maskText masks anyone's resident ID number (check digit valid) by the ID rule, however it was typed", () => {
    const other = '11010519491231002X';
    const text = `对方发来的身份证 ${other.slice(0, 6)} ${other.slice(6, 14)} ${other.slice(14, 17)}ｘ`;
    assert.equal(maskText(text, PROFILE, recipient({ idNumber: 'omit' })), '对方发来的身份证 [—]');
    assert.equal(maskText(text, PROFILE, recipient({ idNumber: 'last4' })), '对方发来的身份证 ****** ******** 002ｘ');
    assert.equal(maskText(text, PROFILE, recipient({})), text, 'full: as typed');
  });

  it('maskText without an ID number or phone in the profile leaves the text as it is', () => {
    const bare = VictimProfile.parse({ name: 'x' });
    assert.equal(maskText('id 110101199003071234 phone 13800138000', bare, recipient({ idNumber: 'omit', phone: 'omit', cardNumbers: 'omit' })), 'id 110101199003071234 phone 13800138000');
  });

  it('the victim\'s own login with a platform is not masked from that platform: its phone shown in full there, masked elsewhere', () => {
    const alipay = getRecipient('cn-alipay');
    const wechat = getRecipient('cn-wechat-pay');
    assert.equal(alipay.personalData.phone, 'last4', 'the platform\'s profile masks phones');
    const profile = VictimProfile.parse({ ...PROFILE, platformAccounts: [{ recipientId: 'cn-alipay', account: '+86 138-0013-8000' }] });
    const own = maskProfile(profile, alipay);
    assert.equal(own.phone, '13800138000');
    assert.deepEqual(own.fields.find((f) => f.field === 'phone'), { field: 'phone', rule: 'full', present: true, shown: '13800138000', ownAccount: true });
    assert.equal(own.ownAccount, '+86 138-0013-8000');
    assert.equal(maskText('我的支付宝账号 138 0013 8000 被盗', profile, alipay), '我的支付宝账号 138 0013 8000 被盗');
    // another platform, and the same platform for another victim's account, still mask it
    assert.notEqual(maskProfile(profile, wechat).phone, '13800138000');
    assert.ok(!maskText('我的手机 138 0013 8000', profile, wechat).includes('0013 8000'));
    assert.equal(maskProfile(profile, wechat).ownAccount, undefined);
    // an account that is not the phone (an email login) is shown, and the phone stays masked
    const byEmail = VictimProfile.parse({ ...PROFILE, platformAccounts: [{ recipientId: 'cn-alipay', account: 'zhangsan@example.com' }] });
    assert.equal(maskProfile(byEmail, alipay).ownAccount, 'zhangsan@example.com');
    assert.notEqual(maskProfile(byEmail, alipay).phone, '13800138000');
    // accounts are capped like every profile field
    assert.throws(() => VictimProfile.parse({ ...PROFILE, platformAccounts: Array.from({ length: 51 }, () => ({ recipientId: 'cn-alipay', account: 'x' })) }));
  });
});
