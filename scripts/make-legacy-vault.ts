// Writes tests/fixtures/vault-<version>/: a small vault made by the installed better-sqlite3-multiple-ciphers
// through the real CLI (init, a case, files, an Alipay import, a flag), with what a later version must find in it.
// It was run once with 12.11.1 (the V8-ABI build used before the N-API 13.x) and the output committed, so that
// every later native layer is tested against a vault as real users' machines hold it. Do not regenerate it with a
// newer version: that would test the new layer against itself.
//   npm run build && node --import tsx scripts/make-legacy-vault.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alipayCsv, alipayRows } from '../tests/importers/fixtures/bills.js';
import { plainPng } from '../tests/importers/fixtures/images.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const version = (createRequire(import.meta.url)('better-sqlite3-multiple-ciphers/package.json') as { version: string }).version;
const out = join(root, 'tests', 'fixtures', `vault-${version}`);
const inputs = join(out, 'inputs');
const passphrase = 'legacy fixture passphrase';
rmSync(out, { recursive: true, force: true });
mkdirSync(inputs, { recursive: true });

const env = { ...process.env, REDRESS_DATA_DIR: join(out, 'data'), REDRESS_PASSPHRASE: passphrase, REDRESS_TEST_KDF: '1', REDRESS_LANG: 'en', TZ: 'Asia/Shanghai' };
const cli = (...args: string[]) => JSON.parse(execFileSync(process.execPath, [join(root, 'bin', 'redress.js'), ...args, '--json'], { env, encoding: 'utf8' }));

writeFileSync(join(inputs, 'note.txt'), '对方自称客服，要求我下载会议软件并共享屏幕。\n');
writeFileSync(join(inputs, 'screenshot.png'), await plainPng());
writeFileSync(join(inputs, 'alipay.csv'), alipayCsv(alipayRows(6)));

const init = cli('init');
const created = cli('case', 'create', '--title', '冒充客服退款', '--type', 'impersonation');
const caseId: string = created.id ?? created.case?.id;
cli('add', caseId, join(inputs, 'note.txt'), join(inputs, 'screenshot.png'), '--note', '第一次通话后');
const imported = cli('import', caseId, join(inputs, 'alipay.csv'));
const transactions = cli('transactions', caseId);
const firstTx: string = transactions.transactions[0].id;
cli('flag', caseId, firstTx);
const log = cli('log', caseId);
const items = cli('items', caseId);

writeFileSync(
  join(out, 'expected.json'),
  JSON.stringify(
    {
      madeWith: { 'better-sqlite3-multiple-ciphers': version, node: process.version, modules: process.versions.modules },
      passphrase,
      recoveryCode: init.recoveryCode,
      caseId,
      items: items.items.map((i: { id: string; sha256: string }) => ({ id: i.id, sha256: i.sha256 })),
      entries: log.entries.length,
      headHash: log.entries.at(-1).hash,
      transactions: transactions.transactions.length,
      importAdded: imported.added ?? imported.counts?.added,
      flagged: firstTx,
    },
    null,
    2,
  ) + '\n',
);
// the process lock and any WAL are part of a running vault, not of the fixture
rmSync(join(out, 'data', 'tmp'), { recursive: true, force: true });
console.log(readFileSync(join(out, 'expected.json'), 'utf8'));
