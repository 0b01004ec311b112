import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';

describe('redress CLI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  let caseId: string;
  let files: string[];

  before(async () => {
    dir = await tempDir();
    env = { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_PASSPHRASE: 'a long enough passphrase' };
    files = [];
    for (const [name, body] of [
      ['转账截图.png', Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)])],
      ['chat.txt', Buffer.from('客服: 请把钱转到安全账户\n')],
    ] as const) {
      const path = join(dir.path, name);
      await writeFile(path, body);
      files.push(path);
    }
  });
  after(() => dir.cleanup());

  let recoveryCode: string;

  it('init prints the recovery code once and refuses a second init (exit 6)', async () => {
    const r = await cli(['init', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    recoveryCode = r.json().recoveryCode;
    assert.match(recoveryCode, /^([0-9A-Z]{4}-){6}[0-9A-Z]{2}$/);
    const again = await cli(['init'], env);
    assert.equal(again.code, 6);
    assert.match(again.stderr, /already exists/);
  });

  it('case create prints the id; list and show find it', async () => {
    const r = await cli(['case', 'create', '--title', '冒充京东客服退款', '--type', 'impersonation'], env);
    assert.equal(r.code, 0, r.stderr);
    caseId = r.stdout.trim();
    assert.match(caseId, /^[0-9a-f-]{36}$/);
    const list = await cli(['case', 'list', '--json'], env);
    assert.deepEqual(list.json().cases.map((c: { id: string }) => c.id), [caseId]);
    const show = await cli(['case', 'show', caseId.slice(0, 8), '--json'], env);
    assert.equal(show.json().title, '冒充京东客服退款');
    assert.equal(show.json().incidentType, 'impersonation');
  });

  it('add stores files with their SHA-256, reports an unreadable file (exit 7) and keeps the rest', async () => {
    const r = await cli(['add', caseId, ...files, join(dir.path, 'missing.jpg'), '--note', '来自手机', '--json'], env);
    assert.equal(r.code, 7, r.stderr);
    const out = r.json();
    assert.equal(out.added.length, 2);
    assert.equal(out.failed.length, 1);
    assert.equal(out.failed[0].error.code, 'FILE_UNREADABLE');
    for (const [i, path] of files.entries()) {
      assert.equal(out.added[i].sha256, createHash('sha256').update(await readFile(path)).digest('hex'));
      assert.equal(out.added[i].notes, '来自手机');
    }
    assert.equal(out.added[0].mediaType, 'image/png');
    assert.equal(out.added[0].kind, 'screenshot');
  });

  it('items and log list what was added; log hashes recompute', async () => {
    const items = (await cli(['items', caseId, '--json'], env)).json().items;
    assert.equal(items.length, 2);
    const { entries } = (await cli(['log', caseId, '--json'], env)).json();
    assert.deepEqual(entries.map((e: { action: string }) => e.action), ['case.created', 'item.added', 'item.added']);
    const { default: canonicalizeModule } = await import('canonicalize');
    const canonicalize = canonicalizeModule as unknown as (v: unknown) => string;
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    for (const e of entries) {
      // v2: the hash covers the body with each payload field replaced by SHA-256 of [salt, name, value]
      const { hash, payload, salts, ...rest } = e;
      assert.equal(rest.v, 2);
      const digests = Object.fromEntries(Object.keys(payload).map((name) => [name, sha256(canonicalize([salts[name], name, payload[name]]))]));
      assert.equal(sha256(rest.prev + canonicalize({ ...rest, digests })), hash);
    }
  });

  it('verify exits 0 when intact and 5 naming the item when a stored file changes', async () => {
    const ok = await cli(['verify'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Intact: 1 case\(s\), 3 custody entries, 2 stored originals/);
    const items = (await cli(['items', caseId, '--json'], env)).json().items;
    // Find the object by trying each file in objects/: flip one byte in the first one.
    const { readdir } = await import('node:fs/promises');
    const objects = join(env.REDRESS_DATA_DIR!, 'objects');
    const shard = (await Promise.all((await readdir(objects)).map(async (s) => ({ s, names: await readdir(join(objects, s)) })))).find((x) => x.names.length)!;
    const path = join(objects, shard.s, shard.names[0]!);
    const bytes = await readFile(path);
    bytes[60]! ^= 0xff;
    await writeFile(path, bytes);
    const bad = await cli(['verify', '--json'], env);
    assert.equal(bad.code, 5);
    const problems = bad.json().cases[0].problems;
    assert.equal(problems.length, 1);
    assert.equal(problems[0].kind, 'item-file-altered');
    assert.ok(items.some((i: { id: string }) => i.id === problems[0].itemId));
    const human = await cli(['verify'], env);
    assert.equal(human.code, 5);
    assert.match(human.stdout, new RegExp(`\\[The stored original was altered\\] case ${caseId.slice(0, 8)} item ${problems[0].itemId}: `));
    // In Chinese: the label and the place in Chinese, and none of the core's English detail.
    const zh = await cli(['verify'], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.equal(zh.code, 5);
    const line = zh.stdout.split('\n').find((l) => l.includes(problems[0].itemId))!;
    assert.equal(line, `  [原始文件被篡改] 案件 ${caseId.slice(0, 8)} 物证 ${problems[0].itemId}`);
    // Ids are hex and may hold a run of letters (a0cdcac5 failed CI once): take them out before looking for English words.
    const withoutIds = zh.stdout.replaceAll(problems[0].itemId, '').replaceAll(caseId.slice(0, 8), '');
    assert.doesNotMatch(withoutIds, /[A-Za-z]{4,}/, zh.stdout);
    bytes[60]! ^= 0xff;
    await writeFile(path, bytes);
  });

  it('a wrong passphrase exits 3 and --json gives a typed error', async () => {
    const r = await cli(['case', 'list', '--json'], { ...env, REDRESS_PASSPHRASE: 'wrong passphrase' });
    assert.equal(r.code, 3);
    assert.equal(r.json().error.code, 'WRONG_PASSPHRASE');
    assert.equal(r.json().error.messageKey, 'errors.wrongPassphrase');
  });

  it('without a terminal or REDRESS_PASSPHRASE it asks for one (exit 3), never hangs', async () => {
    const r = await cli(['case', 'list'], { REDRESS_DATA_DIR: env.REDRESS_DATA_DIR });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /REDRESS_PASSPHRASE/);
  });

  it('speaks Chinese under a Chinese locale', async () => {
    const r = await cli(['case', 'show', 'ffffffff'], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /没有与 "ffffffff" 匹配的案件/);
  });

  it('bad arguments give usage (exit 2), not a stack trace', async () => {
    for (const args of [['bogus'], ['case', 'create', '--title', 'x', '--type', 'nope'], ['add', caseId], ['case', 'create', '--type', 'other']]) {
      const r = await cli(args, env);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.match(r.stderr, /redress --help/);
    }
  });

  it('recover sets a new passphrase with the recovery code; a wrong code exits 3', async () => {
    const wrong = await cli(['recover'], { ...env, REDRESS_RECOVERY_CODE: '0000-0000-0000-0000-0000-0000-00', REDRESS_NEW_PASSPHRASE: 'brand new passphrase' });
    assert.equal(wrong.code, 3);
    const ok = await cli(['recover', '--json'], { ...env, REDRESS_RECOVERY_CODE: recoveryCode.toLowerCase(), REDRESS_NEW_PASSPHRASE: 'brand new passphrase' });
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await cli(['case', 'list'], env)).code, 3);
    const list = await cli(['case', 'list', '--json'], { ...env, REDRESS_PASSPHRASE: 'brand new passphrase' });
    assert.equal(list.json().cases.length, 1);
    env.REDRESS_PASSPHRASE = 'brand new passphrase';
  });

  it('a missing vault exits 6 before asking for a passphrase', async () => {
    const r = await cli(['case', 'list'], { REDRESS_DATA_DIR: join(dir.path, 'none') });
    assert.equal(r.code, 6);
    assert.match(r.stderr, /redress init/);
  });
});
