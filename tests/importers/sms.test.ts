import assert from 'node:assert/strict';
import { open, stat } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import { SurrogateRefJoiner } from '../../electron/core/importers/surrogate-refs.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { plainPng } from './fixtures/images.js';
import { mmsElement, smsBackup, smsElement } from './fixtures/sms.js';
import { importEnv } from './helpers.js';

const TRICKY = [
  { address: '+8613800138000', date: 1706681100000, type: 1 as const, body: '客服：您的账户已冻结 😎🙏 请点击链接', contactName: '京东客服' },
  { address: '95588', date: 1706681160000, type: 2 as const, body: 'line one\nline two\n\nline four', contactName: null },
  { address: '10086', date: 1706681220000, type: 1 as const, body: 'null', contactName: null },
  { address: '+447700900123', date: 1706681280000, type: 1 as const, body: 'Tom & Jerry <tags> "quoted" \'apos\' 𠀀 (CJK Ext B) 👩‍👩‍👧 flags 🇨🇳', contactName: 'Tom' },
];

describe('SMS Backup & Restore XML', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  before(async () => (env = await importEnv()));
  after(() => env.cleanup());

  it('joins surrogate-pair references split at every possible chunk boundary', () => {
    const input = 'a&#55357;&#56846;b&#xD83D;&#xDE4F;c&#10;&#55357;x&#56846;';
    for (let cut = 0; cut <= input.length; cut++) {
      const j = new SurrogateRefJoiner();
      const out = j.push(input.slice(0, cut)) + j.push(input.slice(cut)) + j.flush();
      assert.equal(out, 'a&#x1F60E;b&#x1F64F;c&#10;&#xFFFD;x&#xFFFD;', `cut at ${cut}`);
      assert.equal(j.loneSurrogates, 2);
    }
  });

  it('keeps emoji, CJK, newlines and the literal "null" exactly', async () => {
    const path = await env.file('sms-tricky.xml', smsBackup(TRICKY.map(smsElement)));
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.format, 'sms-backup-xml');
    assert.equal(result.counts.messages.added, 4);
    assert.equal(result.partial, null);
    const messages = new RecordRepo(env.vault.context).listMessages(env.caseId);
    assert.deepEqual(messages.map((m) => m.body), TRICKY.map((t) => t.body));
    assert.equal(messages[0]!.counterpartName, '京东客服');
    assert.equal(messages[0]!.direction, 'in');
    assert.equal(messages[1]!.direction, 'out');
    assert.equal(messages[1]!.counterpartName, undefined, '(Unknown) is not a name');
    assert.equal(messages[0]!.time.instant, '2024-01-31T06:05:00.000Z');
    assert.equal(messages[0]!.source.sha256, result.source.sha256);
    assert.equal(messages[0]!.source.locator, 'element 1');
    assert.equal(messages[3]!.source.locator, 'element 4');
  });

  it('re-importing the same backup adds nothing; an overlapping later backup adds only the new ones', async () => {
    const again = await importFile(env.vault, env.caseId, await env.file('sms-tricky.xml', smsBackup(TRICKY.map(smsElement))));
    assert.equal(again.source.duplicate, true);
    assert.equal(again.counts.messages.added, 0);
    assert.equal(again.counts.messages.duplicate, 4);
    const extra = { address: '95588', date: 1706681400000, type: 1 as const, body: '新消息', contactName: null };
    const later = await importFile(env.vault, env.caseId, await env.file('sms-later.xml', smsBackup([...TRICKY.slice(2), extra].map(smsElement))));
    assert.equal(later.counts.messages.added, 1);
    assert.equal(later.counts.messages.duplicate, 2);
    assert.equal(new RecordRepo(env.vault.context).count(env.caseId).messages, 5);
  });

  it('stores MMS images as items derived from the backup, linked as attachments', async () => {
    const png = await plainPng();
    const path = await env.file('mms.xml', smsBackup([mmsElement({ address: '+8613900000001', date: 1706682000000, box: 1, text: '看这张截图 👀', image: { data: png, name: 'IMG_0001.png', ct: 'image/png' } })]));
    const preview = await previewFile(path);
    assert.equal(preview.counts.attachments, 1);
    const result = await importFile(env.vault, env.caseId, path);
    assert.equal(result.attachmentItemIds.length, 1);
    const item = env.vault.items.get(result.attachmentItemIds[0]!);
    assert.equal(item.derivedFrom, result.source.itemId);
    assert.equal(item.mediaType, 'image/png');
    const chunks: Buffer[] = [];
    for await (const c of env.vault.items.read(item.id)) chunks.push(c);
    assert.deepEqual(Buffer.concat(chunks), png);
    const msg = new RecordRepo(env.vault.context).listMessages(env.caseId).find((m) => m.channel === 'mms')!;
    assert.equal(msg.body, '看这张截图 👀');
    assert.equal(msg.counterpartAddress, '+8613900000001');
    assert.deepEqual(msg.attachments, [item.id]);
    assert.deepEqual(result.newItemIds, [result.source.itemId, item.id]);
  });

  it('a truncated backup is imported up to the break and marked partial, on the chain too', async () => {
    const full = smsBackup(Array.from({ length: 10 }, (_, i) => smsElement({ address: '10690000', date: 1706690000000 + i * 1000, type: 1, body: `第${i}条 🔥` })));
    const cut = full.slice(0, full.indexOf('第7条') - 20);
    const result = await importFile(env.vault, env.caseId, await env.file('truncated.xml', cut));
    assert.ok(result.partial, 'marked partial');
    assert.equal(result.counts.messages.read, 7, 'the seven complete messages before the cut');
    const entry = env.vault.log(env.caseId).at(-1)!;
    assert.equal(entry.action, 'records.imported');
    assert.deepEqual((entry.payload as { partial: unknown }).partial, result.partial);
  });

  it('refuses a DOCTYPE with entities (billion laughs, XXE) and stores nothing', async () => {
    const before = env.vault.items.list(env.caseId).length;
    const seq = env.vault.log(env.caseId).length;
    for (const doctype of [
      '<!DOCTYPE smses [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
      '<!DOCTYPE smses [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      '<!DOCTYPE smses SYSTEM "http://attacker.invalid/x.dtd">',
    ]) {
      const xml = `<?xml version="1.0"?>\n${doctype}\n<smses count="1"><sms address="1" date="1706681100000" type="1" body="&lol2;" /></smses>`;
      const path = await env.file('evil.xml', xml);
      await assert.rejects(importFile(env.vault, env.caseId, path, { format: 'sms-backup-xml' }), (e: unknown) => e instanceof RedressError && e.code === 'IMPORT_UNSAFE');
    }
    // An undeclared entity is not expanded: the message breaks off there and the import says so.
    const undeclared = await previewFile(await env.file('undeclared.xml', '<smses count="1"><sms address="1" date="1706681100000" type="1" body="&xxe;" /></smses>'));
    assert.ok(undeclared.partial);
    assert.equal(undeclared.counts.messages, 0);
    assert.equal(env.vault.items.list(env.caseId).length, before);
    assert.equal(env.vault.log(env.caseId).length, seq);
  });

  it('a 2 GiB file is streamed and given up early, without loading it', async () => {
    const path = await env.file('huge.xml', smsBackup([smsElement(TRICKY[0]!)]).replace('</smses>\n', ''));
    const handle = await open(path, 'r+');
    await handle.truncate(2 * 1024 **3); // sparse: zero bytes after the first message
    await handle.close();
    assert.equal((await stat(path)).size, 2 * 1024 ** 3);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    const preview = await previewFile(path);
    assert.equal(preview.counts.messages, 1);
    assert.ok(preview.partial, 'the NUL bytes end the XML: partial');
    assert.ok(process.memoryUsage().rss - rssBefore < 200 * 1024 * 1024, 'no memory spike');
    assert.ok(Date.now() - started < 60_000);
  });

  it('cancels when the signal aborts', async () => {
    const path = await env.file('cancel.xml', smsBackup(TRICKY.map(smsElement)));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(importFile(env.vault, env.caseId, path, { signal: controller.signal }), (e: unknown) => e instanceof RedressError && e.code === 'CANCELLED');
  });
});
