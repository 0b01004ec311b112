// On a Node older than 24 the CLI says so in one line, in the user's language, before the native layer loads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';

describe('the CLI on an older Node', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pretend: string;
  before(async () => {
    dir = await tempDir();
    // process.versions is what the check reads; the addon itself would load here, so a crash cannot hide a missing check
    pretend = join(dir.path, 'pretend-node-22.mjs');
    await writeFile(pretend, "Object.defineProperty(process, 'versions', { value: { ...process.versions, node: '22.11.0' } });\n");
  });
  after(() => dir.cleanup());

  const run = (lang: string) =>
    spawnSync(process.execPath, ['--import', pretend, BIN, 'init', '--json'], {
      env: { PATH: process.env.PATH, LANG: lang, REDRESS_DATA_DIR: join(dir.path, 'data'), REDRESS_PASSPHRASE: 'a passphrase long enough' },
      encoding: 'utf8',
    });

  it('refuses with one line and exit 8, touching nothing', () => {
    const r = run('en_US.UTF-8');
    assert.equal(r.status, 8);
    assert.equal(r.stdout, '');
    assert.equal(existsSync(join(dir.path, 'data')), false, 'no vault folder was made');
    assert.equal(r.stderr, 'Redress needs Node.js 24 or newer; this is v22.11.0. Please upgrade Node.js first.\n');
  });

  it('speaks Chinese on a Chinese system', () => {
    const r = run('zh_CN.UTF-8');
    assert.equal(r.status, 8);
    assert.match(r.stderr, /^Redress 需要 Node\.js 24 或更高版本，当前为 v22\.11\.0。请先升级 Node\.js。\n$/);
  });
});
