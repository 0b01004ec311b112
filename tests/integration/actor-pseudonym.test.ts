// Who acted, as every custody entry records it, travels in every packet and bundle: it must name the vault, not the
// person at the computer. A review found "root (redress-cli 0.1.0)" (the OS user name) in every packet.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { defaultActor } from '../../electron/core/data-dir.js';
import { changeVaultPassphrase } from '../../electron/core/vault/change-passphrase.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { PASSPHRASE, TEST_KDF, tempDir } from '../helpers/vault.js';

const PSEUDONYM = /^vault-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4} \(redress-cli 0\.1\.0\)$/;

describe('the actor in custody entries is a per-vault pseudonym and the app version', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => void (dir = await tempDir()));
  afterEach(() => dir.cleanup());

  const actorOf = (v: Vault, caseId: string) => v.log(caseId).map((e) => e.actor);

  it('no OS user name; the same pseudonym after reopening and after a passphrase change; another vault has another', async () => {
    const env = {} as NodeJS.ProcessEnv;
    const { vault } = await Vault.create(join(dir.path, 'a'), PASSPHRASE, { actor: defaultActor('redress-cli', env), kdf: TEST_KDF });
    const caseId = vault.cases.create({ title: 't', incidentType: 'phishing' }).id;
    const [first] = actorOf(vault, caseId);
    assert.match(first!, PSEUDONYM);
    assert.ok(!first!.includes(userInfo().username + ' '), first);
    await changeVaultPassphrase(vault, PASSPHRASE, 'another long passphrase for this vault');
    await vault.close();

    const again = await Vault.open(join(dir.path, 'a'), 'another long passphrase for this vault', { actor: defaultActor('redress-cli', env) });
    again.cases.update(caseId, { title: 'u' });
    assert.deepEqual(new Set(actorOf(again, caseId)), new Set([first]));
    await again.close();

    const { vault: other } = await Vault.create(join(dir.path, 'b'), PASSPHRASE, { actor: defaultActor('redress-cli', env), kdf: TEST_KDF });
    const otherCase = other.cases.create({ title: 't', incidentType: 'phishing' }).id;
    const [second] = actorOf(other, otherCase);
    assert.match(second!, PSEUDONYM);
    assert.notEqual(second, first);
    await other.close();
  });

  it('REDRESS_ACTOR, a name the user chose, is kept as given', async () => {
    const { vault } = await Vault.create(dir.path, PASSPHRASE, { actor: defaultActor('redress-cli', { REDRESS_ACTOR: 'volunteer Li' }), kdf: TEST_KDF });
    const caseId = vault.cases.create({ title: 't', incidentType: 'phishing' }).id;
    assert.deepEqual(actorOf(vault, caseId), ['volunteer Li']);
    await vault.close();
  });

  it('the built CLI, with no REDRESS_ACTOR: no OS user name in the log nor in a packet it writes', async () => {
    const env = { REDRESS_DATA_DIR: join(dir.path, 'data'), REDRESS_PASSPHRASE: PASSPHRASE, USER: 'victim-name', LOGNAME: 'victim-name' };
    assert.equal((await cli(['init'], env)).code, 0);
    const caseId = (await cli(['case', 'create', '--title', 'fake refund', '--type', 'impersonation'], env)).stdout.trim();
    const r = await cli(['packet', caseId, '--for', 'cn-police', '--out', join(dir.path, 'out'), '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const manifest = await readFile(join(r.json().dir, 'manifest.json'), 'utf8');
    const entries = (JSON.parse(manifest) as { custody: { entries: { committed: { actor: string } }[] } }).custody.entries;
    assert.ok(entries.length > 0);
    for (const e of entries) assert.match(e.committed.actor, PSEUDONYM);
    assert.ok(!manifest.includes(`"${userInfo().username} (`), 'the OS user name is in the manifest');
    const log = (await cli(['log', caseId, '--json'], env)).json();
    for (const e of log.entries ?? log) assert.match(e.actor, PSEUDONYM);
  });
});
