import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPassphraseEstimator } from '../../shared/passphrase-strength.js';
import { Output } from '../../electron/cli/output.js';
import { describeEstimate } from '../../electron/cli/passphrase.js';
import { BIN, cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';

/** two Latin words in a row: an English phrase (a lone example such as “qwerty” or “aaa” inside a Chinese sentence is fine) */
const ENGLISH = /[A-Za-z]{2,}[\s,.;:!?'-]+[A-Za-z]{2,}/;

const STRONG = 'plaza tumble oyster quantum';
const NEXT = '外婆家门口的老槐树开花了';
const exists = (path: string) => access(path).then(() => true, () => false);
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), as a person at a terminal: each answer is typed only once
 * its prompt is on the screen. Resolves to what the terminal showed, escape sequences removed.
 */
function onTerminal(args: string[], env: Record<string, string>, answers: [prompt: RegExp, typed: string][]): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, REDRESS_TEST_KDF: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let seen = 0;
    const next = () => {
      const answer = answers[0];
      if (!answer) return;
      const matches = screen.slice(seen).match(answer[0]);
      if (!matches || matches.index === undefined) return;
      seen += matches.index + matches[0].length;
      answers.shift();
      child.stdin.write(answer[1] + '\r');
      next();
    };
    child.stdout.on('data', (d: Buffer) => {
      // eslint-disable-next-line no-control-regex -- terminal escape sequences are what must go
      screen += d.toString('utf8').replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '');
      next();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

describe('CLI: passphrases are checked when they are set (init, change-passphrase, recover, export)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let data: string;
  before(async () => {
    dir = await tempDir('redress-cli-pass-');
    data = join(dir.path, 'vault');
  });
  after(() => dir.cleanup());

  for (const weak of ['12345678', 'password', '        ', 'woaini1314', '5201314520']) {
    it(`init refuses ${JSON.stringify(weak)} (exit 3) and creates nothing`, async () => {
      const r = await cli(['init'], { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: weak });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /^redress: This passphrase is too easy to guess\. /);
      assert.equal(await exists(join(data, 'vault.json')), false);
    });
  }

  it('the refusal is a typed error in --json and in Chinese on a Chinese system', async () => {
    const json = await cli(['init', '--json'], { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: 'woaini1314' });
    assert.equal(json.code, 3);
    const { error } = json.json();
    assert.equal(error.code, 'PASSPHRASE_WEAK');
    assert.equal(error.messageKey, 'errors.passphraseWeak');
    assert.equal(error.params.reason, 'common');
    const zh = await cli(['init'], { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: '13800138000', LANG: 'zh_CN.UTF-8' });
    assert.equal(zh.code, 3);
    assert.match(zh.stderr, /^redress: 这个密码太容易被猜到。纯数字/);
    assert.doesNotMatch(zh.stderr.replace(/^redress: /, ''), ENGLISH);
  });

  let recoveryCode = '';
  it('init accepts a strong passphrase; change-passphrase checks the current one and the rule', async () => {
    const init = await cli(['init', '--json'], { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: STRONG });
    assert.equal(init.code, 0, init.stderr);
    recoveryCode = init.json().recoveryCode;
    const env = { REDRESS_DATA_DIR: data };
    const wrong = await cli(['change-passphrase'], { ...env, REDRESS_PASSPHRASE: 'not the passphrase', REDRESS_NEW_PASSPHRASE: NEXT });
    assert.equal(wrong.code, 3);
    assert.match(wrong.stderr, /Wrong passphrase/);
    const weak = await cli(['change-passphrase', '--json'], { ...env, REDRESS_PASSPHRASE: STRONG, REDRESS_NEW_PASSPHRASE: 'zhangwei1990' });
    assert.equal(weak.code, 3);
    assert.equal(weak.json().error.params.reason, 'guessable');
    const ok = await cli(['change-passphrase', '--json'], { ...env, REDRESS_PASSPHRASE: STRONG, REDRESS_NEW_PASSPHRASE: NEXT });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(ok.json(), { dataDir: data, changed: true });
    assert.equal((await cli(['case', 'list'], { ...env, REDRESS_PASSPHRASE: STRONG })).code, 3, 'the old passphrase no longer opens');
    assert.equal((await cli(['case', 'list'], { ...env, REDRESS_PASSPHRASE: NEXT })).code, 0);
  });

  it('the recovery code still works after a change, and recover applies the rule too', async () => {
    const env = { REDRESS_DATA_DIR: data, REDRESS_RECOVERY_CODE: recoveryCode };
    const weak = await cli(['recover'], { ...env, REDRESS_NEW_PASSPHRASE: 'qq123456789' });
    assert.equal(weak.code, 3);
    assert.match(weak.stderr, /too easy to guess/);
    const ok = await cli(['recover'], { ...env, REDRESS_NEW_PASSPHRASE: 'uncover gravy stiffen oxidant' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await cli(['case', 'list'], { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: 'uncover gravy stiffen oxidant' })).code, 0);
  });

  it('export refuses a weak transfer passphrase and writes no bundle', async () => {
    const env = { REDRESS_DATA_DIR: data, REDRESS_PASSPHRASE: 'uncover gravy stiffen oxidant' };
    const kase = await cli(['case', 'create', '--title', '冒充客服', '--type', 'impersonation'], env);
    assert.equal(kase.code, 0, kase.stderr);
    const out = join(dir.path, 'case.redress');
    const r = await cli(['export', kase.stdout.trim(), '--out', out], { ...env, REDRESS_TRANSFER_PASSPHRASE: '12345678' });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /most used passwords/);
    assert.equal(await exists(out), false);
    const ok = await cli(['export', kase.stdout.trim(), '--out', out], { ...env, REDRESS_TRANSFER_PASSPHRASE: 'handed over by phone' });
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('init on a terminal: a weak passphrase is explained and asked again, before it is typed twice', { skip: !HAS_SCRIPT && 'needs util-linux script' }, async () => {
    const dataDir = join(dir.path, 'tty');
    const prompt = /Choose a vault passphrase[^:]*: /;
    const r = await onTerminal(['init'], { REDRESS_DATA_DIR: dataDir, LANG: 'en_US.UTF-8' }, [
      [prompt, 'qwertyuiop'],
      [prompt, 'zhangwei1990'],
      [prompt, STRONG],
      [/Type it again: /, STRONG],
    ]);
    assert.equal(r.code, 0, r.screen);
    assert.match(r.screen, /Strength: Very easy to guess\. An ordinary laptop would need less than a minute to guess it\.\nThis passphrase is too easy to guess\. It is one of the most used passwords/);
    assert.match(r.screen, /Choose another one \(2 more tries\)\.[\s\S]*Choose another one \(1 more tries\)\./);
    assert.match(r.screen, /Strength: Strong\. An ordinary laptop would need more than a hundred years to guess it\./);
    assert.match(r.screen, /Your recovery code/);
    for (const secret of ['qwertyuiop', 'zhangwei1990', STRONG]) assert.equal(r.screen.includes(secret), false, 'nothing typed is echoed');
    const zh = await onTerminal(['init'], { REDRESS_DATA_DIR: join(dir.path, 'tty-zh'), LANG: 'zh_CN.UTF-8' }, [
      [/设置证据库密码[^：]*：/, 'woaini1314'],
      [/设置证据库密码[^：]*：/, '13800138000'],
      [/设置证据库密码[^：]*：/, '5201314520'],
    ]);
    assert.equal(zh.code, 3, zh.screen);
    assert.match(zh.screen, /强度：非常容易被猜到。/);
    assert.match(zh.screen, /请换一个（还可以再试 2 次）。/);
    assert.match(zh.screen, /redress: 这个密码太容易被猜到。这是最常用的密码之一/);
    assert.equal(await exists(join(dir.path, 'tty-zh', 'vault.json')), false);
  });

  it('the terminal meter speaks the user language: strength, time for a laptop, what is wrong', async () => {
    const estimator = await loadPassphraseEstimator();
    const zh = describeEstimate(new Output(false, { LANG: 'zh_CN.UTF-8' }), estimator.estimate('zhangwei1990'));
    assert.match(zh[0]!, /^强度：非常容易被猜到。用一台普通笔记本电脑猜出它需要：约 \d+ 分钟。$/);
    for (const line of zh) assert.doesNotMatch(line, ENGLISH, line);
    const en = describeEstimate(new Output(false, { LANG: 'en_US.UTF-8' }), estimator.estimate(STRONG));
    assert.deepEqual(en, ['Strength: Strong. An ordinary laptop would need more than a hundred years to guess it.']);
  });
});
