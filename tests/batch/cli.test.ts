import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';

describe('redress batch-export and stats (built CLI)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  const ids: string[] = [];

  before(async () => {
    dir = await tempDir();
    env = { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_PASSPHRASE: 'association passphrase' };
    assert.equal((await cli(['init'], env)).code, 0);
    const file = join(dir.path, 'chat.txt');
    await writeFile(file, '对方: 先交保证金\n');
    for (const [title, type] of [['刷单返利 1', 'task-scam'], ['冒充客服 2', 'impersonation'], ['刷单返利 3', 'task-scam']]) {
      const id = (await cli(['case', 'create', '--title', title!, '--type', type!], env)).stdout.trim();
      ids.push(id);
      assert.equal((await cli(['add', id, file], env)).code, 0);
    }
  });
  after(() => dir.cleanup());

  it('batch-export builds the matching cases in workers and writes the summary; a rerun resumes', async () => {
    const out = join(dir.path, 'batch');
    const r = await cli(['batch-export', '--type', 'task-scam', '--for', 'cn-police', '--out', out, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const result = r.json();
    assert.equal(result.total, 2);
    assert.equal(result.built, 2);
    assert.ok((await stat(join(out, 'summary.xlsx'))).size > 0);
    const csv = await readFile(join(out, 'summary.csv'), 'utf8');
    for (const id of [ids[0], ids[2]]) assert.ok(csv.includes(id!));
    assert.ok(!csv.includes(ids[1]!));
    const again = await cli(['batch-export', '--type', 'task-scam', '--for', 'cn-police', '--out', out], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 packet\(s\) built, 2 already done/);
  });

  it('stats prints the figures and writes the table and chart files', async () => {
    const r = await cli(['stats', '--json', '--csv', join(dir.path, 's.csv'), '--xlsx', join(dir.path, 's.xlsx'), '--chart', join(dir.path, 's.png')], env);
    assert.equal(r.code, 0, r.stderr);
    const s = r.json();
    assert.equal(s.cases, 3);
    assert.deepEqual(s.byType[0], { type: 'task-scam', count: 2 });
    assert.equal(s.files.length, 3);
    const png = await readFile(join(dir.path, 's.png'));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    const text = await cli(['stats'], { ...env, LANG: 'zh_CN.UTF-8' });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /案件统计/);
  });
});
