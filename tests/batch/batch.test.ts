import assert from 'node:assert/strict';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { batchExport, STATE_FILE, type BatchProgress } from '../../electron/core/batch/index.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { createI18n } from '../../shared/i18n/index.js';
import { newVault, tempDir } from '../helpers/vault.js';

const { t } = createI18n('en');

describe('batch export', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let vault: Vault;
  const ids: string[] = [];
  let bad: string;

  before(async () => {
    dir = await tempDir();
    vault = (await newVault(join(dir.path, 'vault'))).vault;
    for (let i = 0; i < 6; i++) {
      const kase = vault.cases.create({
        title: i === 0 ? `=cmd|' /C calc'!A0` : `案件 ${i}`,
        incidentType: i % 2 ? 'task-scam' : 'impersonation',
        status: i === 5 ? 'closed' : 'ready',
        losses: [{ amount: { currency: 'CNY', minor: 10_000 * (i + 1) + 1 } }],
        parties: [{ id: 's', role: 'suspect', identifiers: [{ kind: 'phone', value: `+86 138 0000 000${i}` }] }],
      });
      ids.push(kase.id);
      for (let j = 0; j < 3; j++) await vault.items.addBuffer(kase.id, Buffer.from(`case ${i} chat log ${j}\n对方: 请转账\n`), { name: `chat-${j}.txt` });
    }
    // One bad case: a stored original is gone, so its packet cannot be built.
    bad = ids[3]!;
    const item = vault.items.list(bad)[0]!;
    await rm(vault.context.objects.pathOf(vault.items.objectName(item.id)));
  });
  after(async () => {
    await vault.close();
    await dir.cleanup();
  });

  it('builds a packet per matching case in worker threads, skips the bad case, and writes a safe summary', async () => {
    const out = join(dir.path, 'batch1');
    const events: BatchProgress[] = [];
    const r = await batchExport(vault, { selection: { status: 'ready' }, recipientId: 'cn-police', outDir: out, workers: 2, t, onProgress: (p) => events.push(p) });
    assert.equal(r.total, 5);
    assert.equal(r.built, 4);
    assert.deepEqual(r.failed.map((f) => f.caseId), [bad]);
    assert.equal(r.cancelled, false);
    for (const c of r.cases) {
      if (c.caseId === bad) continue;
      assert.equal(c.outcome?.status, 'done');
      const packet = (c.outcome as { packet: { zipPath: string; packetSha256: string } }).packet;
      assert.ok((await stat(packet.zipPath)).size > 0);
      // the export is on the case's chain, with the same packet hash
      const last = vault.log(c.caseId).at(-1)!;
      assert.equal(last.action, 'packet.exported');
      assert.equal(last.payload.packetSha256, packet.packetSha256);
    }
    assert.ok(events.some((e) => e.status === 'packet'), 'per-case packet progress');
    assert.equal(events.filter((e) => e.status === 'done').length, 4);
    assert.equal(events.filter((e) => e.status === 'failed').length, 1);

    const rows = Papa.parse<string[]>((await readFile(r.summaryCsv, 'utf8')).replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    assert.equal(rows.length, 6);
    const header = rows[0]!;
    const byId = new Map(rows.slice(1).map((row) => [row[0], row]));
    const first = byId.get(ids[0])!;
    assert.equal(first[header.indexOf('Title')], `'=cmd|' /C calc'!A0`);
    assert.equal(first[header.indexOf('Loss CNY')], '100.01');
    assert.equal(first[header.indexOf('Counterparties')], 'phone +86 138 0000 0000');
    assert.match(byId.get(bad)![header.indexOf('Result')]!, /^failed/);
    assert.equal(byId.get(ids[1])![header.indexOf('Packet SHA-256')], (r.cases[1]!.outcome as { packet: { packetSha256: string } }).packet.packetSha256);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(r.summaryXlsx);
    const ws = book.worksheets[0]!;
    assert.equal(ws.rowCount, 6);
    assert.equal(ws.getRow(2).getCell(2).value, `=cmd|' /C calc'!A0`); // a plain string value, not a formula
    assert.equal(ws.getRow(2).getCell(2).formula, undefined);

    // Resume: finished cases are not redone; the failed one is tried again.
    const again = await batchExport(vault, { selection: { status: 'ready' }, recipientId: 'cn-police', outDir: out, workers: 2, t });
    assert.equal(again.skipped, 4);
    assert.equal(again.built, 0);
    assert.equal(again.failed.length, 1);
    assert.equal(vault.log(ids[0]!).filter((e) => e.action === 'packet.exported').length, 1);

    // Another recipient in the same folder is refused rather than mixed in.
    await assert.rejects(batchExport(vault, { recipientId: 'us-ic3', outDir: out, t }), /INVALID_INPUT/);
  });

  it('cancel stops cleanly; running again finishes only what is left', async () => {
    const out = join(dir.path, 'batch2');
    const controller = new AbortController();
    const first = await batchExport(vault, {
      selection: { status: 'ready' },
      recipientId: 'cn-police',
      outDir: out,
      workers: 1,
      t,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.status === 'done') controller.abort();
      },
    });
    assert.equal(first.cancelled, true);
    assert.ok(first.built >= 1 && first.built < 4, `built ${first.built}`);
    const state = JSON.parse(await readFile(join(out, STATE_FILE), 'utf8'));
    assert.equal(Object.values(state.cases).filter((c) => (c as { status: string }).status === 'done').length, first.built);
    const second = await batchExport(vault, { selection: { status: 'ready' }, recipientId: 'cn-police', outDir: out, workers: 2, t });
    assert.equal(second.skipped, first.built);
    assert.equal(second.built + second.skipped, 4);
    assert.equal(second.cancelled, false);
  });
});
