// A vault with one of everything verify checks (items of each origin, messages, transactions, an image's metadata,
// flags set and cleared), built once per test file and copied for each test, so that each test changes exactly one
// thing in the real SQLCipher database and looks for the one problem it must cause.
import assert from 'node:assert/strict';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importFile } from '../../electron/core/importers/import-file.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { Db } from '../../electron/core/vault/database.js';
import type { VerifyOptions } from '../../electron/core/verify/verify-case.js';
import type { Problem, ProblemKind, VerifyReport } from '../../electron/core/verify/problems.js';
import { alipayCsv, alipayRows } from '../importers/fixtures/bills.js';
import { jpegWithExif, plainPng } from '../importers/fixtures/images.js';
import { mmsElement, smsBackup, smsElement } from '../importers/fixtures/sms.js';
import { manualClock, newVault, openVault, tempDir } from '../helpers/vault.js';

export interface Fixture {
  /** the closed template vault's data folder: copy it, never change it */
  template: string;
  caseId: string;
  /** a second case, to move rows into */
  otherCaseId: string;
  sms: { importId: string; seq: number; itemId: string };
  alipay: { importId: string; seq: number; itemId: string };
  photo: { importId: string; seq: number; itemId: string };
  /** an MMS picture: derived from the SMS backup */
  attachmentId: string;
  /** added by hand and excluded */
  excludedId: string;
  messageIds: string[];
  transactionIds: string[];
  /** flagged now (the chain flags them) */
  flagged: string[];
  /** flagged and then unflagged */
  unflagged: string;
  cleanup(): Promise<void>;
}

export async function buildFixture(): Promise<Fixture> {
  const dir = await tempDir('redress-verify-');
  const template = join(dir.path, 'template');
  const { vault } = await newVault(template, { clock: manualClock() });
  const caseId = vault.cases.create({ title: '冒充客服退款', incidentType: 'impersonation', narrative: 'They called.' }).id;
  const otherCaseId = vault.cases.create({ title: 'other', incidentType: 'phishing' }).id;
  const file = async (name: string, data: string | Buffer) => {
    const path = join(dir.path, name);
    await writeFile(path, data);
    return path;
  };

  const picture = { data: await plainPng(), name: 'shot.png', ct: 'image/png' };
  const sms = await importFile(
    vault,
    caseId,
    await file(
      'sms.xml',
      smsBackup([
        smsElement({ address: '+8613800001111', date: 1706673600000, type: 1, body: '您的账户异常，请联系客服 "4001234567" 😎', contactName: '客服小王' }),
        smsElement({ address: '+8613800001111', date: 1706673660000, type: 2, body: 'ok, how?\nline two', contactName: '客服小王' }),
        smsElement({ address: '10086', date: 1706673720000, type: 1, body: 'verification code 482913', contactName: null }),
        mmsElement({ address: '+8613800001111', date: 1706673780000, box: 1, text: 'see the picture', image: picture }),
      ]),
    ),
    { zone: 'Asia/Shanghai' },
  );
  const rows = alipayRows(4).map((r, i) => ({ ...r, note: i === 1 ? '退款' : undefined }));
  const alipay = await importFile(vault, caseId, await file('alipay.csv', alipayCsv(rows)));
  const photo = await importFile(vault, caseId, await file('IMG_0001.jpg', await jpegWithExif({ gps: true, offset: '+08:00' })));
  const excluded = (await vault.items.addBuffer(caseId, Buffer.from('an unrelated screenshot'), { name: 'unrelated.txt', tags: ['x'] })).item;
  vault.items.exclude(excluded.id, 'not about this case');
  vault.items.annotate(sms.source.itemId, { notes: 'the first contact', tags: ['sms', 'scam'] });

  const repo = new RecordRepo(vault.context);
  const messageIds = repo.listMessages(caseId).map((m) => m.id);
  const transactionIds = repo.listTransactions(caseId).map((t) => t.id);
  repo.setFlagged(caseId, [messageIds[0]!, messageIds[1]!, transactionIds[0]!, transactionIds[2]!], true);
  repo.setFlagged(caseId, [messageIds[1]!], false);
  const report = await vault.verify();
  assert.equal(report.ok, true, JSON.stringify(allProblems(report)));
  assert.equal(sms.attachmentItemIds.length, 1);
  assert.ok(transactionIds.length >= 4 && messageIds.length === 4);
  await vault.close();
  return {
    template,
    caseId,
    otherCaseId,
    sms: { importId: sms.importId, seq: sms.custodySeq, itemId: sms.source.itemId },
    alipay: { importId: alipay.importId, seq: alipay.custodySeq, itemId: alipay.source.itemId },
    photo: { importId: photo.importId, seq: photo.custodySeq, itemId: photo.source.itemId },
    attachmentId: sms.attachmentItemIds[0]!,
    excludedId: excluded.id,
    messageIds,
    transactionIds,
    flagged: [messageIds[0]!, transactionIds[0]!, transactionIds[2]!],
    unflagged: messageIds[1]!,
    cleanup: () => dir.cleanup(),
  };
}

export function allProblems(report: VerifyReport): Problem[] {
  return [...report.problems, ...report.cases.flatMap((c) => c.problems)];
}

/** A fresh copy of the template vault for one test. */
export async function copyOf(fixture: Fixture): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await tempDir('redress-verify-copy-');
  const path = join(dir.path, 'vault');
  await cp(fixture.template, path, { recursive: true });
  return { path, cleanup: dir.cleanup };
}

/**
 * Changes the database the way someone holding the key could: plain SQL on the vault's own connection, with
 * foreign keys off (sqlite3 does not enforce them unless asked).
 */
export async function tamper(path: string, change: (db: Db) => void): Promise<void> {
  const vault = await openVault(path);
  try {
    const db = vault.context.db;
    db.pragma('foreign_keys = OFF');
    change(db);
  } finally {
    await vault.close();
  }
}

export async function verifyAt(path: string, options: VerifyOptions & { caseId?: string } = {}): Promise<VerifyReport> {
  const vault = await openVault(path);
  try {
    const { caseId, ...rest } = options;
    return await vault.verify(caseId, rest);
  } finally {
    await vault.close();
  }
}

/** The problems of a report, asserting that it failed and that every problem is of one of the kinds expected. */
export function only(report: VerifyReport, ...kinds: ProblemKind[]): Problem[] {
  const problems = allProblems(report);
  assert.equal(report.ok, false, 'verification must fail');
  const unexpected = problems.filter((p) => !kinds.includes(p.kind));
  assert.deepEqual(unexpected, [], `only ${kinds.join(', ')} expected`);
  for (const kind of kinds) assert.ok(problems.some((p) => p.kind === kind), `expected a ${kind} problem, got ${JSON.stringify(problems, null, 1)}`);
  return problems;
}
