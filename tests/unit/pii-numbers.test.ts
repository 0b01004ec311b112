import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPersonalNumbers, isChineseIdNumber, isLuhn, normaliseDigits, type PersonalNumber } from '../../shared/pii-numbers.js';

// Check characters computed here, independently of the module, so that a wrong table there cannot agree with itself.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idCheck(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * ID_WEIGHTS[i]!;
  return '10X98765432'[sum % 11]!;
}
const makeId = (area: string, birth: string, seq: string) => area + birth + seq + idCheck(area + birth + seq);
function luhnDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // the check digit will be appended, so the payload's last digit is the first one doubled
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
const makeCard = (body: string) => body + luhnDigit(body);
const luhnOk = (s: string) => luhnDigit(s.slice(0, -1)) === s.at(-1);
/** `pattern` with its one '?' replaced by the digit that makes the whole pass Luhn */
const luhnFill = (pattern: string) => [...'0123456789'].map((d) => pattern.replace('?', d)).find((s) => luhnOk(s.replace(/\D/g, '')))!;
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const groupsOf = (s: string, size: number, sep = ' ') => s.match(new RegExp(`.{1,${size}}`, 'g'))!.join(sep);
const wrongLast = (s: string) => s.slice(0, -1) + String((Number(s.at(-1)) + 1) % 10);

const ID = makeId('110105', '19850312', '123');
const ID_X = makeId('110105', '19850312', '120');
const CARD16 = makeCard('622202123456789');
const CARD19 = makeCard('622202123456789012');
const PHONE = '13800138000';
const SHA256 = 'a5da121ca6a6a340ba877342b51d80b680dbf92f39b487accc064672b99d41cb';

/** [kind, the text of the span, digits]: what a reader checks, and start/end are implied by the slice */
const found = (text: string) => findPersonalNumbers(text).map((p) => [p.kind, text.slice(p.start, p.end), p.digits]);
const at = (text: string, written: string, kind: PersonalNumber['kind'], digits: string): PersonalNumber => {
  const start = text.indexOf(written);
  assert.ok(start >= 0, `${written} is in the text`);
  return { kind, start, end: start + written.length, digits };
};

describe('pii numbers: fixtures', () => {
  it('are what they claim to be', () => {
    assert.equal(ID, '110105198503121234');
    assert.equal(ID_X, '11010519850312120X');
    assert.equal(CARD16, '6222021234567894');
    assert.equal(CARD19.length, 19);
    assert.ok(isLuhn(CARD16) && isLuhn(CARD19));
  });
});

describe('normaliseDigits', () => {
  it('turns full-width digits and X into ASCII', () => {
    assert.equal(normaliseDigits('６２２２０２１２'), '62220212');
    assert.equal(normaliseDigits('１２３Ｘ'), '123X');
    assert.equal(normaliseDigits('１２３ｘ'), '123X');
  });
  it('uppercases x and drops every other character', () => {
    assert.equal(normaliseDigits('110105 19850312-120x'), '11010519850312120X');
    assert.equal(normaliseDigits('６２２２　０２１２\u00a0３４５６\n7894'), '6222021234567894');
    assert.equal(normaliseDigits('+86 (138) 0013·8000'), '8613800138000');
    assert.equal(normaliseDigits('卡号：abc'), '');
    assert.equal(normaliseDigits(''), '');
  });
});

describe('isChineseIdNumber', () => {
  it('accepts valid numbers, with a digit or X as check character', () => {
    assert.equal(isChineseIdNumber(ID), true);
    assert.equal(isChineseIdNumber(ID_X), true);
    assert.equal(isChineseIdNumber(makeId('440305', '20000229', '007')), true, 'a leap day');
    assert.equal(isChineseIdNumber(makeId('650102', '19000101', '001')), true, 'the first day allowed');
  });
  it('refuses every wrong check character', () => {
    for (const c of '0123456789X') {
      if (c === ID.at(-1)) continue;
      assert.equal(isChineseIdNumber(ID.slice(0, 17) + c), false, c);
    }
  });
  it('refuses impossible or out-of-range birth dates even with a correct check character', () => {
    for (const birth of ['19850230', '19000229', '19850431', '19851301', '19850001', '19850100', '19850132', '18991231', '29990101']) {
      assert.equal(isChineseIdNumber(makeId('110105', birth, '123')), false, birth);
    }
  });
  it('accepts a birth date of today and refuses tomorrow (local calendar)', () => {
    const today = new Date(2024, 0, 31);
    assert.equal(isChineseIdNumber(makeId('110105', '20240131', '123'), today), true);
    assert.equal(isChineseIdNumber(makeId('110105', '20240201', '123'), today), false);
  });
  it('refuses an area code starting with 0, wrong lengths and non-normalised input', () => {
    assert.equal(isChineseIdNumber(makeId('010105', '19850312', '123')), false);
    assert.equal(isChineseIdNumber(ID.slice(0, 17)), false);
    assert.equal(isChineseIdNumber(ID + '0'), false);
    assert.equal(isChineseIdNumber(ID_X.toLowerCase()), false);
    assert.equal(isChineseIdNumber(fullWidth(ID)), false);
    assert.equal(isChineseIdNumber('11010519850312X234'), false);
  });
});

describe('isLuhn', () => {
  it('accepts numbers whose check digit is right', () => {
    assert.equal(isLuhn('79927398713'), true);
    assert.equal(isLuhn('4111111111111111'), true);
    assert.equal(isLuhn(CARD19), true);
  });
  it('refuses a wrong check digit, non-digits and a lone digit', () => {
    assert.equal(isLuhn('79927398710'), false);
    assert.equal(isLuhn(wrongLast(CARD16)), false);
    assert.equal(isLuhn('4111 1111 1111 1111'), false);
    assert.equal(isLuhn('0'), false);
    assert.equal(isLuhn(''), false);
  });
});

describe('findPersonalNumbers: plain numbers', () => {
  it('finds an ID number, with a digit or an X (any case, full-width) at the end', () => {
    assert.deepEqual(found(ID), [['id-number', ID, ID]]);
    assert.deepEqual(found(ID_X), [['id-number', ID_X, ID_X]]);
    assert.deepEqual(found(ID_X.toLowerCase()), [['id-number', ID_X.toLowerCase(), ID_X]]);
    assert.deepEqual(found(ID_X.slice(0, 17) + 'Ｘ'), [['id-number', ID_X.slice(0, 17) + 'Ｘ', ID_X]]);
  });
  it('finds 16- and 19-digit cards and a mobile number', () => {
    assert.deepEqual(found(CARD16), [['bank-card', CARD16, CARD16]]);
    assert.deepEqual(found(CARD19), [['bank-card', CARD19, CARD19]]);
    assert.deepEqual(found(PHONE), [['phone', PHONE, PHONE]]);
  });
  it('finds every mobile prefix 13 to 19', () => {
    for (const head of ['13', '14', '15', '16', '17', '18', '19']) {
      const phone = head + '912345678';
      assert.deepEqual(found(`电话${phone}。`), [['phone', phone, phone]]);
    }
  });
  it('gives UTF-16 offsets into the original text, past astral characters', () => {
    const text = `📱😀${PHONE}`;
    assert.deepEqual(findPersonalNumbers(text), [{ kind: 'phone', start: 4, end: 15, digits: PHONE }]);
  });
  it('keeps separators before and after the number outside its span', () => {
    const text = ` \u3000- 138 0013 8000 -\u3000 `;
    assert.deepEqual(findPersonalNumbers(text), [at(text, '138 0013 8000', 'phone', PHONE)]);
  });
});

describe('findPersonalNumbers: numbers written in groups', () => {
  const separators: [string, string][] = [
    ['space', ' '],
    ['ideographic space', '\u3000'],
    ['no-break space', '\u00a0'],
    ['tab', '\t'],
    ['line feed', '\n'],
    ['CRLF', '\r\n'],
    ['hyphen-minus', '-'],
    ['hyphen', '\u2010'],
    ['non-breaking hyphen', '\u2011'],
    ['figure dash', '\u2012'],
    ['en dash', '\u2013'],
    ['em dash', '\u2014'],
    ['full-width hyphen', '\uff0d'],
    ['dot', '.'],
    ['full-width dot', '\uff0e'],
    ['middle dot', '\u00b7'],
    ['spaced hyphen', ' - '],
    ['space and line break', ' \r\n'],
  ];
  for (const [name, sep] of separators) {
    it(`finds ID, card and phone grouped by ${name}`, () => {
      const id = [ID_X.slice(0, 6), ID_X.slice(6, 14), ID_X.slice(14)].join(sep);
      const card = groupsOf(CARD19, 4, sep);
      const phone = ['138', '0013', '8000'].join(sep);
      const text = `身份证：${id}；卡号：${card}；手机：${phone}。`;
      assert.deepEqual(findPersonalNumbers(text), [
        at(text, id, 'id-number', ID_X),
        at(text, card, 'bank-card', CARD19),
        at(text, phone, 'phone', PHONE),
      ]);
    });
  }
  it('finds other groupings people use', () => {
    const cases: [string, string, PersonalNumber['kind']][] = [
      [`${ID.slice(0, 6)} ${ID.slice(6, 10)} ${ID.slice(10, 14)} ${ID.slice(14)}`, ID, 'id-number'],
      [groupsOf(ID_X, 4), ID_X, 'id-number'],
      [groupsOf(CARD16, 4, '-'), CARD16, 'bank-card'],
      [groupsOf(CARD19, 5), CARD19, 'bank-card'],
      ['138 00138000', PHONE, 'phone'],
      ['1380 013 8000', PHONE, 'phone'],
    ];
    for (const [written, digits, kind] of cases) assert.deepEqual(found(`（${written}）`), [[kind, written, digits]], written);
  });
  it('finds full-width digits and Ｘ, and mixed full-width and ASCII', () => {
    const id = fullWidth(`${ID_X.slice(0, 6)}\u3000${ID_X.slice(6, 14)}\u3000${ID_X.slice(14)}`);
    const card = fullWidth(CARD16.slice(0, 8)) + CARD16.slice(8);
    const phone = `１３８-${'0013'}－８０００`;
    const text = `${id}，${card}，${phone}`;
    assert.deepEqual(findPersonalNumbers(text), [
      at(text, id, 'id-number', ID_X),
      at(text, card, 'bank-card', CARD16),
      at(text, phone, 'phone', PHONE),
    ]);
  });
  it('finds a dot-grouped card whose last group looks like decimals', () => {
    const card = makeCard('62220212345678901');
    const written = groupsOf(card, 4, '.');
    assert.match(written, /\.\d\d$/);
    assert.deepEqual(found(`卡号 ${written}`), [['bank-card', written, card]]);
  });
  it('finds a number whose separators are mixed', () => {
    const written = `6222 0212-3456\u30007894`;
    assert.deepEqual(found(`卡：${written}`), [['bank-card', written, CARD16]]);
  });
  it('does not join groups across a gap of more than 3 characters, two line breaks or an ellipsis', () => {
    assert.deepEqual(found('138    0013 8000'), []);
    assert.deepEqual(found('138 \n\n 0013 8000'), []);
    assert.deepEqual(found('1380\n\n0138000'), []);
    assert.deepEqual(found('6222021234...567894'), []);
    assert.deepEqual(found('138--0013--8000'), []);
  });
});

describe('findPersonalNumbers: phone prefixes', () => {
  const written = ['+8613800138000', '+86 138 0013 8000', '＋86-138-0013-8000', '0086 13800138000', '008613800138000', '86 138 0013 8000', '86-13800138000', '8613800138000'];
  for (const w of written) {
    it(`takes ${JSON.stringify(w)} with its prefix`, () => {
      assert.deepEqual(found(`联系我：${w}。`), [['phone', w, PHONE]]);
    });
  }
  it('leaves out a prefix that is not China’s', () => {
    assert.deepEqual(found('+1 13800138000'), [['phone', PHONE, PHONE]]);
    assert.deepEqual(found('+44 13800138000'), [['phone', PHONE, PHONE]]);
    assert.deepEqual(found(`+${PHONE}`), [['phone', PHONE, PHONE]], 'a plus before the national number is no prefix');
    assert.deepEqual(found(`+0086 ${PHONE}`), [['phone', `0086 ${PHONE}`, PHONE]]);
  });
  it('does not split a prefix across groups', () => {
    assert.deepEqual(found('8 613800138000'), []);
    assert.deepEqual(found('0 086 13800138000'), [['phone', PHONE, PHONE]]);
    assert.deepEqual(found('8613 8001 38000'), [], 'the prefix leaves a 2-digit stub of a group');
  });
});

describe('findPersonalNumbers: overlapping candidates', () => {
  it('prefers the longer span', () => {
    // both the first 16 digits and all 19 are valid cards
    const long = makeCard(CARD16 + '12');
    const card = `${groupsOf(CARD16, 4)} ${long.slice(16)}`;
    assert.deepEqual(found(card), [['bank-card', card, long]]);
    const withPhone = `138 0013 8000 1234${luhnDigit(PHONE + '1234')}`;
    assert.deepEqual(found(withPhone), [['bank-card', withPhone, PHONE + '1234' + luhnDigit(PHONE + '1234')]]);
  });
  it('prefers an ID number over a card of the same length that overlaps it', () => {
    // the card ends on the ID's first group and both spans are 20 characters; the card starts first
    const card = luhnFill('62220  2123?  110105');
    const id = `110105 19850312 ${ID.slice(14)}`;
    const text = `${card.slice(0, -6)}${id}`;
    assert.equal(card.length, id.length);
    assert.deepEqual(findPersonalNumbers(text), [at(text, id, 'id-number', ID)]);
  });
  it('prefers an ID number over a card on the same span', () => {
    let both = '';
    for (let seq = 0; seq < 1000 && !both; seq++) {
      const id = makeId('110105', '19850312', String(seq).padStart(3, '0'));
      if (!id.endsWith('X') && isLuhn(id)) both = id;
    }
    assert.ok(both, 'some sequence number gives an ID that also passes Luhn');
    assert.deepEqual(found(both), [['id-number', both, both]]);
  });
  it('finds neighbours separately when together they are nothing', () => {
    const text = `${CARD16} ${PHONE} ${ID}`;
    assert.deepEqual(findPersonalNumbers(text), [
      at(text, CARD16, 'bank-card', CARD16),
      at(text, PHONE, 'phone', PHONE),
      at(text, ID, 'id-number', ID),
    ]);
  });
  it('returns spans sorted and disjoint', () => {
    const text = `${PHONE}\n${groupsOf(CARD19, 4)}\n+86 ${PHONE} ${ID_X}`;
    const spans = findPersonalNumbers(text);
    assert.equal(spans.length, 4);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1]!.end <= spans[i]!.start);
  });
});

describe('findPersonalNumbers: what is not a personal number', () => {
  const none: [string, string][] = [
    ['a SHA-256 digest', SHA256],
    ['a digest with a card-length digit run inside', `deadbeef${CARD16}cafe${SHA256.slice(28)}`],
    ['a digest starting with a digit run', `${CARD19}ab${SHA256.slice(21)}`],
    ['a digest ending with a digit run', `${SHA256.slice(0, 53)}f${PHONE}`],
    ['a digest with an ID inside', `ab${ID}cd${SHA256.slice(22)}`],
    ['an upper-case digest with digit runs', `SHA256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08 ${'E'}${ID_X}0`],
    ['an Alipay trade number', '交易号 2024013122001412345678901234'],
    ['a 28-digit number holding a valid 19-digit card', `订单号：999999999${CARD19}`],
    ['a 28-digit number holding a valid ID number', `2024${ID}123456`],
    ['a 20-digit number holding a valid 16-digit card', `${CARD16}1234`],
    ['a WeChat Pay transaction number', '4200002024202401311234567890'],
    ['a 12-digit run holding a phone', `${PHONE}1`],
    ['a UUID', '550e8400-e29b-41d4-a716-446655440000'],
    ['a UUID with a phone-like tail', `123e4567-e89b-12d3-a456-0${PHONE}`],
    ['an all-digit UUID', '12345678-1234-1234-1234-123456789012'],
    ['base64', 'MTM4MDAxMzgwMDA= QUJD13800138000RUZH/6222021234567894x+ab=='],
    ['digits glued to letters', `ID${PHONE} No${CARD16} tel${PHONE}abc ${ID}a`],
    ['a hex literal', `0x${CARD16}`],
    ['amounts', '¥500.00 ￥1,234.56 500000.00 -5000.00 $1234567890123456.78'],
    ['a phone-shaped amount', '转账 13800138000.00 元'],
    ['a card-shaped amount after a currency sign', `金额 ¥ ${CARD16}`],
    ['a date and time', '2024-01-31 12:30:45'],
    ['a date and time as groups', '2024-01-31 12:30'],
    ['a date and time with dots', '2024.01.31 13:30:45.123'],
    ['Chinese dates', '2024年1月31日 2024年01月31日 13时30分'],
    ['compact dates', '20240131 20240131123045'],
    ['version numbers', 'v13.0.3 Electron 41.7.1 Windows 10.0.19045.3803 1.2.3.4.5.6.7.8.9.10.11.12'],
    ['an IP address', '192.168.100.200 10.0.0.1'],
    ['an ID number with a wrong check character', `身份证 ${wrongLast(ID)}`],
    ['an ID number with a wrong X', `${ID.slice(0, 17)}X`],
    ['an ID number with an impossible birth date', makeId('110105', '19850230', '123')],
    ['an ID number born before 1900', makeId('110105', '18991231', '123')],
    ['an ID number born in the future', makeId('110105', '29990101', '123')],
    ['a 16-digit number failing Luhn', `卡号 ${wrongLast(CARD16)}`],
    ['a 19-digit number failing Luhn in groups', groupsOf(wrongLast(CARD19), 4)],
    ['a Luhn-valid number starting with 0', makeCard('000000000000123')],
    ['11 digits starting 10 or 12', '10800138000 12800138000 11800138000'],
    ['a landline', '010-12345678 0755-12345678'],
    ['10 digits', '1380013800'],
    ['a masked card', '6222 **** **** 7894'],
    ['counts in a sentence', '转账 3 次 共 5000 元'],
    ['numbers in a sentence', '2024年1月31日 12:30，我分 3 次向对方转账 5000 元、2000 元和 800 元，共 7800 元。'],
    ['a long chain of small numbers', Array.from({ length: 200 }, (_, i) => i % 100).join(' ')],
  ];
  for (const [name, text] of none) {
    it(`finds nothing in ${name}`, () => {
      assert.deepEqual(found(text), []);
    });
  }
  it('does not let a date, a count or an amount head a card or ID', () => {
    const amount = luhnFill(`5000? ${PHONE}`).slice(0, 5);
    assert.ok(luhnOk(amount + PHONE), 'amount and phone together pass Luhn');
    const cases = [`${amount} ${PHONE}`, `2024-01-31 ${PHONE}`, `2024 01 31 ${PHONE}`, `50000 ${PHONE}`, `第 3 笔 ${PHONE}`, `500 ${PHONE}`];
    for (const text of cases) assert.deepEqual(found(text), [['phone', PHONE, PHONE]], text);
    const card = groupsOf(CARD16, 4);
    assert.deepEqual(found(`2024-01-31 ${card}`), [['bank-card', card, CARD16]]);
    assert.deepEqual(found(`01 31 ${card} 12`), [['bank-card', card, CARD16]]);
  });
});

describe('findPersonalNumbers: realistic texts', () => {
  it('finds an ID and a full-width card typed with an IME', () => {
    const id = `${ID_X.slice(0, 6)} ${ID_X.slice(6, 14)} ${ID_X.slice(14)}`;
    const card = fullWidth(groupsOf(CARD16, 4, '\u3000'));
    const text = `我的身份证号是 ${id}，卡号${card}，请核实。`;
    assert.equal(id, '110105 19850312 120X');
    assert.deepEqual(findPersonalNumbers(text), [at(text, id, 'id-number', ID_X), at(text, card, 'bank-card', CARD16)]);
  });
  it('finds the card and phone among dates, amounts and counts', () => {
    const card = groupsOf(CARD19, 4);
    const text = `2024年1月31日 12:30，我向卡号 ${card} 转账 ¥5,000.00，共 3 次，对方手机 +86 138 0013 8000，说 2024-02-01 退款。`;
    assert.deepEqual(findPersonalNumbers(text), [at(text, card, 'bank-card', CARD19), at(text, '+86 138 0013 8000', 'phone', PHONE)]);
  });
  it('leaves order numbers, amounts and times around the victim’s own numbers', () => {
    const id = `${ID.slice(0, 6)}-${ID.slice(6, 14)}-${ID.slice(14)}`;
    const text = `订单号 2024013122001412345678901234，金额 1,234.56 元，时间 2024-01-31 12:30:45，我的手机 ${PHONE}，身份证 ${id}。`;
    assert.deepEqual(findPersonalNumbers(text), [at(text, PHONE, 'phone', PHONE), at(text, id, 'id-number', ID)]);
  });
  it('finds nothing in a bank SMS that names only a card’s tail', () => {
    const text = '【工商银行】您尾号7894的卡于01月31日12:30支出500000.00元，余额1234.56元。客服95588，验证码 123456。';
    assert.deepEqual(found(text), []);
  });
  it('finds a number broken across lines, as a message wraps it', () => {
    const text = `卡号：6222 0212\r\n3456 7894\n手机：138\n0013 8000\n`;
    assert.deepEqual(found(text), [
      ['bank-card', '6222 0212\r\n3456 7894', CARD16],
      ['phone', '138\n0013 8000', PHONE],
    ]);
  });
  it('finds numbers in a pasted statement row', () => {
    const text = `2024-01-31 12:30:45\t转账\t-5000.00\t${CARD16}\t${PHONE}\t成功`;
    assert.deepEqual(findPersonalNumbers(text), [at(text, CARD16, 'bank-card', CARD16), at(text, PHONE, 'phone', PHONE)]);
  });
});

describe('findPersonalNumbers: a text of about 1 MB', () => {
  it('finds every number in a repeated paragraph and nothing else', () => {
    const card = groupsOf(CARD16, 4);
    const paragraph =
      `订单 2024013122001412345678901234 于 2024-01-31 12:30:45 付款 ¥500.00，哈希 ${SHA256}。` +
      `卡号 ${card}，手机 +86 138-0013-8000，身份证 ${ID_X}；转账 3 次 共 5000 元。\n`;
    const reps = Math.ceil(1_000_000 / paragraph.length);
    const text = paragraph.repeat(reps);
    assert.ok(text.length >= 1_000_000);
    const spans = findPersonalNumbers(text);
    assert.equal(spans.length, reps * 3);
    const expected: [PersonalNumber['kind'], string, string][] = [
      ['bank-card', card, CARD16],
      ['phone', '+86 138-0013-8000', PHONE],
      ['id-number', ID_X, ID_X],
    ];
    spans.forEach((p, i) => {
      const [kind, written, digits] = expected[i % 3]!;
      assert.equal(p.kind, kind);
      assert.equal(text.slice(p.start, p.end), written);
      assert.equal(p.digits, digits);
      assert.equal(p.start - spans[i % 3]!.start, Math.floor(i / 3) * paragraph.length);
    });
  });
  it('finds nothing in a megabyte of one digit run, of small joined groups, or of hex', () => {
    assert.deepEqual(findPersonalNumbers('6'.repeat(1_000_000)), []);
    assert.deepEqual(findPersonalNumbers('1 '.repeat(500_000)), []);
    assert.deepEqual(findPersonalNumbers(`${SHA256}\n`.repeat(15_400)), []);
  });
});
