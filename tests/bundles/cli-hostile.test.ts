// Issue 13 through the built CLI: hostile bundles are refused with exit 7 and a message in the user's language, and
// nothing is stored.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';
import { manifestOf, pack, unpack, withManifest } from './craft.js';
import { headerOnly, renameCase } from './forge.js';

describe('redress import-bundle refuses hostile bundles (built CLI)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let association: Record<string, string>;
  let climbing: string;
  let costly: string;
  const TRANSFER = 'handed over by phone 2026';

  before(async () => {
    dir = await tempDir();
    const volunteer = { REDRESS_DATA_DIR: join(dir.path, 'volunteer'), REDRESS_PASSPHRASE: 'volunteer passphrase', REDRESS_TRANSFER_PASSPHRASE: TRANSFER };
    association = { REDRESS_DATA_DIR: join(dir.path, 'association'), REDRESS_PASSPHRASE: 'association passphrase', REDRESS_TRANSFER_PASSPHRASE: TRANSFER };
    for (const env of [volunteer, association]) assert.equal((await cli(['init'], env)).code, 0);
    const caseId = (await cli(['case', 'create', '--title', '冒充客服', '--type', 'impersonation'], volunteer)).stdout.trim();
    const good = join(dir.path, 'good.redress');
    assert.equal((await cli(['export', caseId, '--out', good], volunteer)).code, 0);
    const members = await unpack(good, TRANSFER);
    climbing = join(dir.path, 'climbing.redress');
    await pack(climbing, TRANSFER, withManifest(members, renameCase(manifestOf(members), '../../../../tmp/victim')));
    costly = join(dir.path, 'costly.redress');
    await headerOnly(costly, { N: 2 ** 20, r: 16, p: 4 });
  });
  after(() => dir.cleanup());

  it('a case id that is a path: exit 7, nothing stored', async () => {
    const r = await cli(['import-bundle', climbing], association);
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /not a valid Redress case bundle \(the case id is not a UUID/);
    assert.equal((await cli(['case', 'list', '--json'], association)).json().cases.length, 0);
  });

  it('a header at the maximum scrypt cost: refused before deriving (hostile-caps.test.ts measures it), in Chinese for a Chinese locale', async () => {
    const r = await cli(['import-bundle', costly], { ...association, LANG: 'zh_CN.UTF-8' });
    assert.equal(r.code, 7, r.stderr);
    assert.match(r.stderr, /已拒绝 costly\.redress：其文件头要求的密钥派生开销超过 Redress 写入的任何案件包（内存超过 128 MiB/);
    const en = await cli(['import-bundle', costly], association);
    assert.match(en.stderr, /costly\.redress was refused: its header asks for a costlier key derivation than Redress ever writes/);
  });
});
