// The timestamp commands of the built CLI against a real TSA (openssl ts -reply on loopback): off by default and
// nothing sent, on with an authority the user added, stamped, and the .tsq/.tsr round trip for an offline computer.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { startTestTsa, type TestTsa } from '../helpers/tsa.js';
import { tempDir } from '../helpers/vault.js';

describe('redress timestamps (built CLI)', () => {
  let tsa: TestTsa;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let env: Record<string, string>;
  let caseId: string;
  before(async () => {
    tsa = await startTestTsa();
    dir = await tempDir();
    env = { REDRESS_DATA_DIR: join(dir.path, 'vault'), REDRESS_PASSPHRASE: 'a long enough passphrase' };
    assert.equal((await cli(['init'], env)).code, 0);
    caseId = (await cli(['case', 'create', '--title', '冒充支付宝客服', '--type', 'impersonation'], env)).stdout.trim();
  });
  after(async () => {
    await tsa.close();
    await dir.cleanup();
  });

  it('is off until turned on: timestamp refuses and nothing is sent', async () => {
    const status = await cli(['timestamps', '--json'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json().settings.enabled, false);
    const r = await cli(['timestamp', caseId], env);
    assert.notEqual(r.code, 0);
    assert.equal(tsa.requests, 0);
  });

  it('add-tsa prints the root fingerprint; on, then timestamp records a token openssl accepts', async () => {
    const root = join(dir.path, 'root.pem');
    await writeFile(root, tsa.rootPem);
    const added = await cli(['timestamps', 'add-tsa', '--id', 'assoc', '--name', '某消保协会 TSA', '--url', tsa.url, '--root', root, '--json'], env);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.json().rootFingerprints[0], /^[0-9a-f]{64}$/);
    assert.equal((await cli(['timestamps', 'on', '--tsa', 'assoc'], env)).code, 0);
    const r = await cli(['timestamp', caseId, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.status, 'stamped');
    const { entries } = (await cli(['log', caseId, '--json'], env)).json();
    const last = entries.at(-1);
    assert.equal(last.action, 'timestamp.recorded');
    assert.match(await tsa.opensslVerify({ digestHex: last.payload.imprint, token: Buffer.from(last.payload.token, 'base64') }), /Verification: OK/);
    const zh = await cli(['timestamp', caseId], { ...env, REDRESS_LANG: 'zh-CN' });
    assert.match(zh.stdout, /已加盖时间戳/);
  });

  it('--tsq writes a request another device sends; --tsr brings the answer in; a second --tsr is refused', async () => {
    assert.equal((await cli(['add', caseId, join(dir.path, 'root.pem')], env)).code, 0);
    const tsq = join(dir.path, 'head.tsq');
    const q = await cli(['timestamp', caseId, '--tsq', tsq, '--json'], env);
    assert.equal(q.code, 0, q.stderr);
    const tsr = join(dir.path, 'head.tsr');
    await writeFile(tsr, await tsa.replyTo(await readFile(tsq)));
    const r = await cli(['timestamp', caseId, '--tsr', tsr, '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().imprint, q.json().imprint);
    const again = await cli(['timestamp', caseId, '--tsr', tsr], env);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /refused: it is for another hash/);
    const verify = await cli(['verify', '--json'], env);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
});
