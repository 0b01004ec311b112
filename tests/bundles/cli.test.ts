import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/vault.js';
import { pack, unpack } from './craft.js';

describe('redress export / import-bundle (built CLI)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let volunteer: Record<string, string>;
  let association: Record<string, string>;
  let caseId: string;
  let bundle: string;

  before(async () => {
    dir = await tempDir();
    const common = { REDRESS_TRANSFER_PASSPHRASE: 'handed over by phone' };
    volunteer = { ...common, REDRESS_DATA_DIR: join(dir.path, 'volunteer'), REDRESS_PASSPHRASE: 'volunteer passphrase', REDRESS_ACTOR: 'volunteer Li' };
    association = { ...common, REDRESS_DATA_DIR: join(dir.path, 'association'), REDRESS_PASSPHRASE: 'association passphrase', REDRESS_ACTOR: 'association Wang' };
    for (const env of [volunteer, association]) assert.equal((await cli(['init'], env)).code, 0);
    caseId = (await cli(['case', 'create', '--title', '刷单返利', '--type', 'task-scam'], volunteer)).stdout.trim();
    const file = join(dir.path, 'chat.txt');
    await writeFile(file, '请先垫付 500 元\n');
    assert.equal((await cli(['add', caseId, file], volunteer)).code, 0);
    bundle = join(dir.path, 'case.redress');
  });
  after(() => dir.cleanup());

  it('export writes the bundle and records it', async () => {
    const r = await cli(['export', caseId.slice(0, 8), '--out', bundle, '--json'], volunteer);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().caseId, caseId);
    assert.match(r.json().sha256, /^[0-9a-f]{64}$/);
    const log = (await cli(['log', caseId, '--json'], volunteer)).json();
    const entries = log.entries ?? log;
    assert.equal(entries.at(-1).action, 'case.exported');
    assert.equal(entries.at(-1).actor, 'volunteer Li');
  });

  it('import-bundle with a wrong transfer passphrase fails cleanly (exit 7)', async () => {
    const r = await cli(['import-bundle', bundle], { ...association, REDRESS_TRANSFER_PASSPHRASE: 'wrong wrong wrong' });
    assert.equal(r.code, 7);
    assert.match(r.stderr, /Wrong transfer passphrase/);
    assert.equal((await cli(['case', 'list', '--json'], association)).json().cases.length, 0);
  });

  it('import-bundle stores the case with the transfer on its chain; a second import changes nothing', async () => {
    const r = await cli(['import-bundle', bundle, '--json'], association);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().status, 'imported');
    const log = (await cli(['log', caseId, '--json'], association)).json();
    const entries = log.entries ?? log;
    const last = entries.at(-1);
    assert.equal(last.action, 'case.transferred');
    assert.equal(last.payload.exportedBy, 'volunteer Li');
    assert.equal(last.payload.importedBy, 'association Wang');
    assert.equal((await cli(['verify', caseId], association)).code, 0);
    const again = await cli(['import-bundle', bundle], association);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /already stored/);
  });

  it('vault-key prints the fingerprint; known-vaults records it; the import then says which vault signed the bundle', async () => {
    const key = await cli(['vault-key', '--json'], volunteer);
    assert.equal(key.code, 0, key.stderr);
    const { fingerprint } = key.json();
    assert.match(fingerprint, /^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
    const zh = await cli(['vault-key'], { ...volunteer, LANG: 'zh_CN.UTF-8' });
    assert.ok(zh.stdout.includes(`本证据库的密钥指纹：${fingerprint}`), zh.stdout);

    const fresh = { ...association, REDRESS_DATA_DIR: join(dir.path, 'association-2') };
    assert.equal((await cli(['init'], fresh)).code, 0);
    const unknown = await cli(['import-bundle', bundle], fresh);
    assert.equal(unknown.code, 0, unknown.stderr);
    assert.ok(unknown.stdout.includes(`Signed by a vault you have not recorded (${fingerprint})`), unknown.stdout);

    assert.equal((await cli(['known-vaults', 'add', fingerprint.replace(/ /g, '-').toLowerCase(), '--label', '志愿者 李'], association)).code, 0);
    const listed = await cli(['known-vaults', '--json'], association);
    assert.deepEqual(listed.json().knownVaults.map((k: { fingerprint: string; label: string }) => [k.fingerprint, k.label]), [[fingerprint, '志愿者 李']]);
    const bad = await cli(['known-vaults', 'add', 'not-hex', '--label', 'x'], association);
    assert.notEqual(bad.code, 0);
    const again = join(dir.path, 'case-again.redress');
    assert.equal((await cli(['export', caseId, '--out', again], volunteer)).code, 0);
    const known = await cli(['import-bundle', again, '--json'], association);
    assert.equal(known.code, 0, known.stderr);
    assert.deepEqual(known.json().signer, { status: 'known', fingerprint, label: '志愿者 李' });
    const text = await cli(['import-bundle', again], { ...fresh, LANG: 'zh_CN.UTF-8' });
    assert.match(text.stdout, /由您未登记的证据库签名/);
    // an update to that case, its signature stripped: refused until the user says they confirmed it
    const file = join(dir.path, 'more.txt');
    await writeFile(file, '又转了 200 元\n');
    assert.equal((await cli(['add', caseId, file], volunteer)).code, 0);
    const update = join(dir.path, 'case-update.redress');
    assert.equal((await cli(['export', caseId, '--out', update], volunteer)).code, 0);
    const stripped = join(dir.path, 'case-update-unsigned.redress');
    await pack(stripped, 'handed over by phone', (await unpack(update, 'handed over by phone')).filter(([n]) => n !== 'manifest.sig'));
    const refused = await cli(['import-bundle', stripped], association);
    assert.equal(refused.code, 7, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /which came here from the vault key .* but it is not signed at all/);
    const accepted = await cli(['import-bundle', stripped, '--accept-signer', '--json'], association);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(accepted.json().status, 'updated');
    assert.equal((await cli(['known-vaults', 'remove', fingerprint], association)).code, 0);
    assert.deepEqual((await cli(['known-vaults', '--json'], association)).json().knownVaults, []);
  });
});
