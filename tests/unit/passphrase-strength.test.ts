import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { createI18n } from '../../shared/i18n/index.js';
import {
  MIN_GUESSES_LOG10,
  SUGGESTION_KEYS,
  WARNING_KEYS,
  humanDuration,
  laptopSeconds,
  loadPassphraseEstimator,
  weakPassphraseError,
  type PassphraseEstimate,
} from '../../shared/passphrase-strength.js';

/** two Latin words in a row: an English phrase (a lone example such as “qwerty” or “aaa” inside a Chinese sentence is fine) */
const ENGLISH = /[A-Za-z]{2,}[\s,.;:!?'-]+[A-Za-z]{2,}/;

async function estimate(passphrase: string): Promise<PassphraseEstimate> {
  return (await loadPassphraseEstimator()).estimate(passphrase);
}

describe('passphrase strength (zxcvbn-ts + common, en and a Chinese dictionary)', () => {
  before(async () => {
    await loadPassphraseEstimator();
  });

  const refused: [string, PassphraseEstimate['reason']][] = [
    ['12345678', 'common'],
    ['password', 'common'],
    ['Password', 'common'],
    ['        ', 'guessable'],
    ['woaini1314', 'common'],
    ['5201314', 'short'],
    ['52013145201314', 'guessable'],
    ['1314520', 'short'],
    ['147258369', 'common'],
    ['qq123456789', 'common'],
    ['iloveyou', 'common'],
    ['1qaz2wsx', 'common'],
    ['13800138000', 'digits'],
    ['623456789012', 'digits'],
    ['19900101', 'digits'],
    ['zhangwei', 'guessable'],
    ['zhangwei1990', 'guessable'],
    ['wangfang123', 'guessable'],
    ['zhangwei19900101', 'guessable'],
    ['woaini5201314', 'common'],
    ['woaini520520', 'guessable'],
    ['我爱你一生一世啊', 'guessable'],
    ['恭喜发财万事如意', 'guessable'],
    // full-width digits, as a Chinese IME types them
    ['１３８００１３８０００', 'digits'],
    ['５２０１３１４５２０', 'common'],
    ['pass word 1234', 'common'],
    ['short', 'short'],
  ];
  for (const [passphrase, reason] of refused) {
    test(`refuses ${JSON.stringify(passphrase)} (${reason})`, async () => {
      const e = await estimate(passphrase);
      assert.equal(e.acceptable, false, `${passphrase}: 10^${e.guessesLog10.toFixed(2)} guesses`);
      assert.equal(e.reason, reason);
      assert.ok(e.level <= 2);
      assert.ok(e.warning !== null || e.suggestions.length > 0, 'a refusal always says what to do');
    });
  }

  const accepted = [
    // diceware-like: four words from the EFF list (which zxcvbn-ts knows as a dictionary)
    'plaza tumble oyster quantum',
    'uncover gravy stiffen oxidant',
    // a Chinese sentence in characters, not a saying
    '外婆家门口的老槐树开花了',
    // pinyin sentence that is nobody's idiom
    'laohuai shu kaihua le waipo jia',
    // every passphrase the existing suites create vaults and bundles with
    'correct horse battery staple',
    'transfer passphrase',
  ];
  for (const passphrase of accepted) {
    test(`accepts ${JSON.stringify(passphrase)}`, async () => {
      const e = await estimate(passphrase);
      assert.equal(e.acceptable, true, `${passphrase}: ${e.reason}, 10^${e.guessesLog10.toFixed(2)}`);
      assert.equal(e.reason, null);
      assert.ok(e.level >= 3);
      assert.ok(e.guessesLog10 >= MIN_GUESSES_LOG10);
      assert.equal(e.warning, null);
      assert.deepEqual(e.suggestions, []);
    });
  }

  test('specific feedback: the most used passwords, repeats, names, digits', async () => {
    assert.equal((await estimate('password')).warning, 'topTen');
    assert.equal((await estimate('        ')).warning, 'simpleRepeat');
    assert.equal((await estimate('13800138000')).warning, 'digitsOnly');
    assert.equal((await estimate('woaini1314')).level, 0);
    const name = await estimate('zhangwei');
    assert.equal(name.warning, 'namesByThemselves');
  });

  test('the threshold is 10^9 guesses: 2.5 years of an 8-core laptop at 0.64 s per guess', () => {
    assert.equal(MIN_GUESSES_LOG10, 9);
    const years = laptopSeconds(9) / (365.25 * 86_400);
    assert.ok(years > 2.4 && years < 2.6, String(years));
    assert.deepEqual(humanDuration(laptopSeconds(9)), { unit: 'years', count: 3 });
    assert.deepEqual(humanDuration(30), { unit: 'lessThanMinute', count: 0 });
    assert.deepEqual(humanDuration(90 * 60), { unit: 'hours', count: 2 });
    assert.deepEqual(humanDuration(laptopSeconds(14)), { unit: 'centuries', count: 100 });
  });

  test('every key the estimator can return has a message in both languages, and no English reaches the Chinese one', () => {
    const en = createI18n('en');
    const zh = createI18n('zh-CN');
    const cjk = /[\u3400-\u9fff]/;
    const keys = [
      ...WARNING_KEYS.map((k) => `passphrase.warning.${k}`),
      ...SUGGESTION_KEYS.map((k) => `passphrase.suggestion.${k}`),
      ...['short', 'common', 'digits', 'guessable'].map((k) => `passphrase.reason.${k}`),
      ...[0, 1, 2, 3, 4].map((k) => `passphrase.level.${k}`),
      ...['lessThanMinute', 'minutes', 'hours', 'days', 'months', 'years', 'centuries'].map((k) => `passphrase.time.${k}`),
      'passphrase.meter',
      'passphrase.loading',
      'passphrase.laptop',
    ];
    for (const key of keys) {
      const params = { min: 8, count: 3, time: '…' };
      assert.ok(en.exists(key, params), `en ${key}`);
      assert.ok(zh.exists(key, params), `zh-CN ${key}`);
      const text = zh.t(key, params);
      assert.match(text, cjk, `zh-CN ${key} is not Chinese: ${text}`);
      assert.doesNotMatch(text, ENGLISH, `zh-CN ${key}: ${text}`);
      assert.doesNotMatch(text, /\{\{|\$t\(/, `zh-CN ${key}: ${text}`);
      assert.doesNotMatch(en.t(key, params), /\{\{|\$t\(/, `en ${key}`);
    }
  });

  test('PASSPHRASE_WEAK is a typed error whose message explains the reason, in both languages', async () => {
    const error = weakPassphraseError(await estimate('woaini1314'));
    assert.ok(error);
    assert.equal(error.code, 'PASSPHRASE_WEAK');
    assert.equal(error.messageKey, 'errors.passphraseWeak');
    assert.equal(error.params.reason, 'common');
    const en = createI18n('en').t(error.messageKey, error.params);
    const zh = createI18n('zh-CN').t(error.messageKey, error.params);
    assert.match(en, /too easy to guess\. It is one of the most used passwords/);
    assert.match(zh, /^这个密码太容易被猜到。这是最常用的密码之一/);
    assert.doesNotMatch(zh, ENGLISH);
    const short = weakPassphraseError(await estimate('short'))!;
    assert.match(createI18n('en').t(short.messageKey, short.params), /at least 8 characters/);
    assert.equal(weakPassphraseError(await estimate('plaza tumble oyster quantum')), null);
  });

  test('loads once: every field shares one estimator', async () => {
    // how fast it estimates per keystroke is measured by npm run bench -- passphrase, not asserted here
    const estimator = await loadPassphraseEstimator();
    assert.equal(await loadPassphraseEstimator(), estimator);
  });
});
