// Child process for the kill tests: does one kind of work until the parent SIGKILLs it, saying on stdout how far it got.
//   stage  DATA PREFS CASE SRC_DIR hold|import   dropped files through AppService ('records.stageBytes', then confirm)
//   packet DATA CASE OUT_DIR [after-entry]        one packet build; after-entry: SIGKILL itself once packet.exported commits
// Each says "ready" once its vault is open, then how far it got, then "done", and waits to be killed.
//   bundle DATA BUNDLE_DIR                         imports every .redress file of a folder (transfer passphrase in $TRANSFER)
// Each mode loads only what it uses (dynamic imports): a child that starts sooner gives the kills more of the work.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ImportStage } from '../../shared/ipc/channels-records.js';
import { openVault } from '../helpers/vault.js';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

const [mode, ...args] = process.argv.slice(2) as [string, ...string[]];
const say = (line: string) => process.stdout.write(`${line}\n`);
/** After its work a child says "done" and stays, vault open, until it is killed: every kill is a kill. */
const idle = () => new Promise(() => setInterval(() => undefined, 1000));

if (mode === 'stage') {
  const [dataDir, prefs, caseId, srcDir, then] = args as [string, string, string, string, 'hold' | 'import'];
  const { appService } = await import('./kill-helpers.js');
  const { service, value } = appService(dataDir, prefs);
  await service.init();
  await value('vault.unlock', { passphrase: 'correct horse battery staple' });
  say('ready');
  const settle = async (stage: ImportStage): Promise<ImportStage> => {
    let s = stage;
    while (s.state === 'reading' || s.state === 'importing') {
      await delay(2);
      s = await value<ImportStage>('records.stageStatus', { stageId: s.stageId });
    }
    return s;
  };
  for (const name of (await readdir(srcDir)).sort()) {
    const data = new Uint8Array(await readFile(join(srcDir, name)));
    say(`staging ${name}`);
    const ready = await settle(await value<ImportStage>('records.stageBytes', { caseId, name, data }));
    if (ready.state !== 'ready') throw new Error(`stage of ${name} ended ${ready.state}: ${JSON.stringify(ready.error)}`);
    say(`staged ${name}`);
    if (then === 'hold') await idle();
    say(`confirm ${name}`);
    const done = await settle(await value<ImportStage>('records.stageConfirm', { stageId: ready.stageId }));
    if (done.state !== 'done') throw new Error(`import of ${name} ended ${done.state}: ${JSON.stringify(done.error)}`);
    say(`imported ${name} ${done.result!.sourceItemId}`);
  }
  say('done');
  await idle();
} else if (mode === 'packet') {
  const [dataDir, caseId, outDir, variant] = args as [string, string, string, string | undefined];
  const { buildPacket } = await import('../../electron/core/packets/index.js');
  const vault = await openVault(dataDir);
  if (variant === 'after-entry') {
    // A crash in the narrowest window: the packet.exported entry has committed, the packet is not in place yet.
    const { db } = vault.context;
    const exports = () => (db.prepare(`SELECT COUNT(*) AS n FROM custody WHERE json_extract(body, '$.action') = 'packet.exported'`).get() as { n: number }).n;
    const before = exports();
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: (...a: unknown[]) => unknown) => {
      const run = transaction(fn);
      return (...a: unknown[]) => {
        const out = run(...a);
        if (!db.inTransaction && exports() > before) process.kill(process.pid, 'SIGKILL');
        return out;
      };
    }) as typeof db.transaction;
  }
  say('ready');
  const started = performance.now();
  const result = await buildPacket(vault, { caseId, recipientId: 'cn-police', outDir });
  say(`built ${Math.round(performance.now() - started)} ${result.packetSha256}`);
  say('done');
  await idle();
} else if (mode === 'bundle') {
  const [dataDir, bundleDir] = args as [string, string];
  const { importBundle } = await import('../../electron/core/bundles/index.js');
  const vault = await openVault(dataDir);
  say('ready');
  for (const name of (await readdir(bundleDir)).filter((n) => n.endsWith('.redress')).sort()) {
    say(`importing ${name}`);
    const r = await importBundle(vault, join(bundleDir, name), { passphrase: process.env.TRANSFER ?? '' });
    say(`imported ${name} ${r.status}`);
  }
  say('done');
  await idle();
} else {
  throw new Error(`unknown mode ${mode}`);
}
