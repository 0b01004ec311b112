import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ImportStage } from '../../shared/ipc/channels-records.js';
import { sampleSms, smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { PASSPHRASE, tempDir } from '../helpers/vault.js';
import { appService, delay, filesHolding, spawnChild } from './kill-helpers.js';

/** An SMS backup whose every message carries `marker`, so that any piece of the file found on disk gives it away. */
function markedBackup(marker: string, messages: number, seed = 0): Buffer {
  return Buffer.from(smsBackup(Array.from({ length: messages }, (_, i) => smsElement({ ...sampleSms(seed * 100_000 + i), body: `${sampleSms(i).body} ${marker} #${seed}-${i}` }))));
}

/**
 * Issue 13: "Files dropped or pasted into the app for import are staged in the OS temp folder (plaintext!) and survive
 * a crash and restart." A dropped file goes through the real channel ('records.stageBytes'); at no point, and not
 * after a SIGKILL and a restart, may any piece of it be readable in the temp folder or in the vault's folder.
 */
describe('dropped files are never staged as plaintext', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let tmp: string;
  let dataDir: string;
  let prefs: string;
  let caseId: string;
  const savedTmp = process.env.TMPDIR;

  before(async () => {
    dir = await tempDir('redress-staging-plain-');
    tmp = join(dir.path, 'tmp');
    await mkdir(tmp);
    // os.tmpdir() is this folder for the rest of this process and for its children: the scan sees all they put there.
    process.env.TMPDIR = tmp;
    assert.equal(tmpdir(), tmp);
    dataDir = join(dir.path, 'data');
    prefs = join(dir.path, 'prefs.json');
    const { service, value } = appService(dataDir, prefs);
    await service.init();
    await value('vault.create', { passphrase: PASSPHRASE });
    caseId = (await value<{ id: string }>('cases.create', { title: 'Dropped', incidentType: 'impersonation' })).id;
    await service.lock('system');
  });
  after(async () => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    await dir.cleanup();
  });

  const leaks = async (needles: Buffer[]) => [...(await filesHolding(tmp, needles)), ...(await filesHolding(dataDir, needles))];

  it('through records.stageBytes: nothing readable in the temp folder or the vault folder while reading, ready, importing or after', async () => {
    const marker = `DROPPED-${randomBytes(12).toString('hex')}`;
    const needles = [Buffer.from(marker)];
    const { service, value } = appService(dataDir, prefs);
    await service.init();
    await value('vault.unlock', { passphrase: PASSPHRASE });
    try {
      const data = markedBackup(marker, 3000);
      let stage = await value<ImportStage>('records.stageBytes', { caseId, name: 'sms-backup.xml', data: new Uint8Array(data) });
      assert.deepEqual(await leaks(needles), [], `staged (${stage.state}): no plaintext on disk`);
      while (stage.state === 'reading') {
        await delay(5);
        stage = await value<ImportStage>('records.stageStatus', { stageId: stage.stageId });
      }
      assert.equal(stage.state, 'ready', JSON.stringify(stage.error));
      assert.equal(stage.preview!.counts.messages, 3000);
      assert.deepEqual(await leaks(needles), [], 'ready: no plaintext on disk');
      stage = await value<ImportStage>('records.stageConfirm', { stageId: stage.stageId });
      while (stage.state === 'importing') {
        await delay(2);
        stage = await value<ImportStage>('records.stageStatus', { stageId: stage.stageId });
      }
      assert.equal(stage.state, 'done', JSON.stringify(stage.error));
      assert.equal(stage.result!.messages.added, 3000);
      assert.deepEqual(await leaks(needles), [], 'imported: the original is sealed, the messages are in the encrypted database');
    } finally {
      await service.lock('system');
    }
    assert.deepEqual(await leaks(needles), [], 'locked');
  });

  it('a crash with a dropped file staged, or while it is read or stored, leaves nothing readable, before and after a restart', async () => {
    const src = join(dir.path, 'src-crash');
    await mkdir(src);
    const marker = `CRASHED-${randomBytes(12).toString('hex')}`;
    const needles = [Buffer.from(marker)];
    await writeFile(join(src, 'a-sms.xml'), markedBackup(marker, 4000, 1));
    await writeFile(join(src, 'b-sms.xml'), markedBackup(marker, 4000, 2));
    // Held after staging (the user looks at the preview), and killed at random moments of a read and an import.
    const rounds: (['hold', number] | ['import', number])[] = [['hold', 0], ['import', 0], ['import', 150], ['import', 400], ['import', 900]];
    for (const [then, wait] of rounds) {
      const child = spawnChild(['stage', dataDir, prefs, caseId, src, then], { TMPDIR: tmp });
      await child.waitFor(then === 'hold' ? 'staged' : 'staging');
      await delay(wait);
      await child.kill();
      assert.deepEqual(await leaks(needles), [], `after a SIGKILL (${then} +${wait} ms; child got to: ${child.lines.at(-1)})`);

      // the restart: the app starts and unlocks; no stage survives, and nothing can be found on disk
      const { service, value } = appService(dataDir, prefs);
      await service.init();
      await value('vault.unlock', { passphrase: PASSPHRASE });
      assert.deepEqual(await leaks(needles), [], 'after the restart');
      await service.lock('system');
    }
  });

  it('staging copies left in the temp folder by an older version are removed when the app starts', async () => {
    // what earlier versions left behind after a crash: mkdtemp(tmpdir()/redress-stage-XXXXXX)/<dropped name>, 0700/0600
    const old = await mkdtemp(join(tmp, 'redress-stage-'));
    await writeFile(join(old, 'alipay.csv'), 'old plaintext', { mode: 0o600 });
    const unrelated = join(tmp, 'redress-stage-notes');
    await mkdir(unrelated);
    await writeFile(join(unrelated, 'a.txt'), 'not ours: the name does not match');
    const { service } = appService(dataDir, prefs);
    await service.init();
    const left = (await readdir(tmp)).filter((n) => n.startsWith('redress-stage-'));
    assert.deepEqual(left, ['redress-stage-notes']);
  });
});
