import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importFile, previewFile } from '../../electron/core/importers/import-file.js';
import type { MessageDraft } from '../../electron/core/importers/types.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { telegramExport, WHATSAPP_ANDROID_DMY, WHATSAPP_IOS_MDY, WHATSAPP_ZH } from './fixtures/chats.js';
import { importEnv } from './helpers.js';

const msgs = (p: { sample: unknown[] }) => p.sample as MessageDraft[];

describe('chat exports', () => {
  let env: Awaited<ReturnType<typeof importEnv>>;
  before(async () => (env = await importEnv()));
  after(() => env.cleanup());

  it('WhatsApp Android, day first: multi-line messages, system lines, the victim as "out"', async () => {
    const p = await previewFile(await env.file('WhatsApp Chat with Agent Lee.txt', WHATSAPP_ANDROID_DMY), { zone: 'Asia/Shanghai', selfName: 'Me' });
    assert.equal(p.format, 'whatsapp');
    assert.equal(p.facts.dateOrder, 'dmy');
    const m = msgs(p);
    assert.equal(m.length, 5);
    assert.equal(m[0]!.direction, 'neutral');
    assert.equal(m[1]!.counterpartName, 'Agent Lee');
    assert.equal(m[1]!.body, 'Hello, I am from the investment platform 📈');
    assert.equal(m[2]!.direction, 'out');
    assert.equal(m[3]!.body, 'Start with 5,000 USDT.\nSend it to this address:\nTXyz123');
    assert.equal(m[3]!.time.instant, '2024-01-31T06:08:00.000Z');
    assert.equal(m[4]!.time.instant, '2024-02-01T01:00:00.000Z', '01/02 is 1 February, not 2 January');
    assert.equal(m[4]!.locator, 'line 7');
  });

  it('WhatsApp iOS, month first with AM/PM, and zh-CN with 下午', async () => {
    const ios = msgs(await previewFile(await env.file('_chat.txt', WHATSAPP_IOS_MDY), { zone: 'Europe/London' }));
    assert.equal(ios.length, 3);
    assert.equal(ios[0]!.time.instant, '2024-01-31T14:05:09.000Z');
    assert.equal(ios[2]!.time.instant, '2024-02-13T11:59:59.000Z');
    assert.equal(ios[2]!.body, 'Your account is frozen, pay the fee: 請立即付款');
    const zh = msgs(await previewFile(await env.file('zh.txt', WHATSAPP_ZH), { zone: 'Asia/Shanghai', format: 'whatsapp' }));
    assert.equal(zh[0]!.time.instant, '2024-01-31T06:05:00.000Z');
    assert.equal(zh[0]!.counterpartName, '王客服');
  });

  it('Telegram JSON: rich text joined, service entries skipped, offset from the exporter wall time', async () => {
    const path = await env.file('result.json', telegramExport());
    const result = await importFile(env.vault, env.caseId, path, { selfName: 'Victim' });
    assert.equal(result.format, 'telegram-json');
    assert.equal(result.counts.messages.added, 3);
    const m = new RecordRepo(env.vault.context).listMessages(env.caseId).filter((x) => x.channel === 'telegram');
    assert.equal(m[0]!.body, 'Welcome to the VIP group 🚀');
    assert.equal(m[0]!.time.offsetMinutes, 480);
    assert.equal(m[0]!.time.instant, '2024-01-31T06:05:00.000Z');
    assert.equal(m[1]!.body, 'See https://scam.invalid ok?');
    assert.equal(m[1]!.direction, 'out');
    assert.equal(m[2]!.body, '[photo: photos/photo_1.jpg]');
    assert.equal(m[0]!.source.locator, 'message 2 (id 2)');
    assert.equal(m[0]!.thread, 'Crypto Mentor');
  });
});
