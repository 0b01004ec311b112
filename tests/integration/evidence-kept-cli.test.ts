// The same faults as evidence-kept.test.ts, through the real CLI (dist/, as a user runs it): exit codes, what a
// person reads in English and in Chinese, and that no original is deleted along the way.
import assert from 'node:assert/strict';
import { copyFile, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';

const PASS = 'plaza tumble oyster quantum';
const ZH = { LANG: 'zh_CN.UTF-8' };

async function countObjects(dataDir: string): Promise<number> {
  let n = 0;
  for (const shard of await readdir(join(dataDir, 'objects')).catch(() => [] as string[])) n += (await readdir(join(dataDir, 'objects', shard))).length;
  return n;
}

describe('redress CLI: nothing is deleted automatically', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let dataDir: string;
  let env: Record<string, string>;
  let caseId: string;

  async function add(...names: string[]): Promise<void> {
    const files = [];
    for (const name of names) {
      const path = join(dir.path, name);
      await writeFile(path, `evidence ${name} ${'z'.repeat(500)}`);
      files.push(path);
    }
    const r = await cli(['add', caseId, ...files], env);
    assert.equal(r.code, 0, r.stderr);
  }

  beforeEach(async () => {
    dir = await tempDir('redress-kept-cli-');
    dataDir = join(dir.path, 'vault');
    env = { REDRESS_DATA_DIR: dataDir, REDRESS_PASSPHRASE: PASS };
    assert.equal((await cli(['init'], env)).code, 0);
    const r = await cli(['case', 'create', '--title', '冒充客服退款', '--type', 'impersonation'], env);
    caseId = r.stdout.trim();
    await add('a.png', 'b.png', 'c.png');
  });
  afterEach(() => dir.cleanup());

  it('vault.db deleted: every command exits 6 and says how to get out, in English and Chinese; no original is deleted', async () => {
    await rm(join(dataDir, 'vault.db'));
    for (const args of [['verify'], ['items', caseId], ['add', caseId, join(dir.path, 'a.png')]]) {
      const r = await cli(args, env);
      assert.equal(r.code, 6, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /vault\.db/);
      assert.match(r.stderr, /backup/);
    }
    const zh = await cli(['verify'], { ...env, ...ZH });
    assert.equal(zh.code, 6);
    assert.match(zh.stderr, /备份/);
    const json = await cli(['verify', '--json'], env);
    assert.equal(json.json().error.code, 'VAULT_DB_MISSING');
    assert.equal(await countObjects(dataDir), 3);
    assert.equal((await readdir(dataDir)).includes('vault.db'), false, 'no empty database was created');
  });

  it('an older vault.db restored: a warning on every command, verify exits 5, the newer originals are in quarantine and can be re-attached; acknowledge-rollback continues knowingly', async () => {
    await copyFile(join(dataDir, 'vault.db'), join(dir.path, 'backup.db'));
    await add('d.png', 'e.png');
    await copyFile(join(dir.path, 'backup.db'), join(dataDir, 'vault.db'));

    const items = await cli(['items', caseId, '--json'], env);
    assert.equal(items.code, 0, items.stderr);
    assert.equal(items.json().items.length, 3);
    assert.match(items.stderr, /quarantine/);
    assert.match(items.stderr, /older than/);
    const zh = await cli(['items', caseId], { ...env, ...ZH });
    assert.match(zh.stderr, /隔离/);
    assert.match(zh.stderr, /旧/);
    assert.equal(await countObjects(dataDir), 3);

    const verify = await cli(['verify', '--json'], env);
    assert.equal(verify.code, 5, verify.stderr);
    assert.equal(verify.json().problems[0].kind, 'vault-rolled-back');
    const verifyText = await cli(['verify'], env);
    assert.match(verifyText.stdout, /\[The vault database is older than the last state this vault recorded[^\]]*\] case /);

    const list = await cli(['quarantine', 'list', '--json'], env);
    assert.equal(list.code, 0, list.stderr);
    const entries = list.json().entries as { id: string; size: number; storedAt: string; intact: boolean; sha256: string }[];
    assert.equal(entries.length, 2);
    assert.equal(list.json().count, 2);
    assert.equal(list.json().bytes, entries[0]!.size + entries[1]!.size);
    for (const e of entries) assert.ok(e.intact && Date.parse(e.storedAt) > 0);
    const listText = await cli(['quarantine', 'list'], { ...env, ...ZH });
    assert.match(listText.stdout, new RegExp(entries[0]!.id.slice(0, 12)));

    const reattach = await cli(['quarantine', 'reattach', entries[0]!.id.slice(0, 12), '--case', caseId.slice(0, 8), '--json'], env);
    assert.equal(reattach.code, 0, reattach.stderr);
    assert.equal(reattach.json().item.sha256, entries[0]!.sha256);
    const missing = await cli(['quarantine', 'reattach', 'ffffffffffff', '--case', caseId], env);
    assert.equal(missing.code, 4);

    const refused = await cli(['quarantine', 'discard', entries[1]!.id.slice(0, 12)], env);
    assert.equal(refused.code, 2, 'discarding needs --yes');
    assert.equal((await cli(['quarantine', 'list', '--json'], env)).json().entries.length, 1);
    const discarded = await cli(['quarantine', 'discard', entries[1]!.id.slice(0, 12), '--yes', '--json'], env);
    assert.equal(discarded.code, 0, discarded.stderr);
    assert.equal((await cli(['quarantine', 'list', '--json'], env)).json().entries.length, 0);

    const ack = await cli(['acknowledge-rollback', '--json'], env);
    assert.equal(ack.code, 0, ack.stderr);
    assert.equal(ack.json().acknowledged, true);
    const after = await cli(['verify'], env);
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.doesNotMatch(after.stderr, /older than/);
    const log = (await cli(['log', caseId, '--json'], env)).json().entries as { action: string }[];
    assert.equal(log.at(-1)!.action, 'vault.rollback-acknowledged');
  });

  it('init next to an existing vault.db and objects/ without vault.json exits 6 and changes nothing', async () => {
    await rm(join(dataDir, 'vault.json'));
    const before = (await stat(join(dataDir, 'vault.db'))).mtimeMs;
    const r = await cli(['init'], env);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /vault\.json/);
    assert.equal((await stat(join(dataDir, 'vault.db'))).mtimeMs, before);
    assert.equal(await countObjects(dataDir), 3);
    const items = await cli(['items', caseId], env);
    assert.equal(items.code, 6);
    assert.match(items.stderr, /vault\.json/);
  });

  it('a damaged vault.json exits 6 (damaged), not 3 (wrong passphrase), and init leaves it alone', async () => {
    const path = join(dataDir, 'vault.json');
    const parsed = JSON.parse(await readFile(path, 'utf8'));
    const ct: string = parsed.recovery.tag;
    parsed.recovery.tag = (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1);
    const damaged = JSON.stringify(parsed, null, 2);
    await writeFile(path, damaged);
    const r = await cli(['items', caseId, '--json'], env);
    assert.equal(r.code, 6, r.stderr);
    assert.equal(r.json().error.code, 'VAULT_KEYFILE_DAMAGED');
    assert.equal((await cli(['init'], env)).code, 6);
    assert.equal(await readFile(path, 'utf8'), damaged);
  });

  it('a damaged database page exits 6 (vault damaged), not 1 (internal error)', async () => {
    const db = join(dataDir, 'vault.db');
    const h = await open(db, 'r+');
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, 4096 + 1000);
    b[0]! ^= 0x20;
    await h.write(b, 0, 1, 4096 + 1000);
    await h.close();
    const r = await cli(['verify', '--json'], env);
    assert.equal(r.code, 6, r.stdout + r.stderr);
    assert.equal(r.json().error.code, 'VAULT_CORRUPT');
  });
});
