import sharp from 'sharp';
import type { Vault } from '../../electron/core/vault/vault.js';
import type { RecordDraft } from '../../electron/core/importers/types.js';
import { ProfileRepo } from '../../electron/core/profile/profile-repo.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';

/** A JPEG photo with GPS coordinates in its EXIF, as a phone writes them. */
export async function photoWithGps(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 200 } } })
    .composite([{ input: Buffer.from(`<svg width="${width}" height="${height}"><rect x="100" y="100" width="${width / 2}" height="${height / 3}" fill="#f5c542"/><circle cx="${width * 0.7}" cy="${height * 0.6}" r="${height / 5}" fill="#c0392b"/></svg>`) }])
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'TestPhone', Model: 'X1' }, IFD2: { DateTimeOriginal: '2026:11:20 14:03:12', OffsetTimeOriginal: '+08:00', BodySerialNumber: 'SN-123456' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 4500/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 1200/100' } })
    .toBuffer();
}

/** A plain JPEG with no metadata (goes into the PDF byte for byte). */
export async function plainPhoto(seed = 1, width = 1200, height = 900): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: (seed * 53) % 255, g: (seed * 91) % 255, b: (seed * 17) % 255 } } })
    .jpeg({ quality: 80 })
    .toBuffer();
}

/** A phone-style chat screenshot with text (PNG). */
export async function chatScreenshot(): Promise<Buffer> {
  const svg = `<svg width="720" height="1280" xmlns="http://www.w3.org/2000/svg"><rect width="720" height="1280" fill="#ededed"/>
  <rect x="20" y="120" width="520" height="90" rx="12" fill="#fff"/><text x="40" y="175" font-size="30" font-family="Noto Sans CJK SC" fill="#111">客服：请把钱转到安全账户</text>
  <rect x="180" y="240" width="520" height="90" rx="12" fill="#95ec69"/><text x="200" y="295" font-size="30" font-family="Noto Sans CJK SC" fill="#111">好的，卡号 6222 0212 3456 7890</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export const PROFILE = {
  name: '张三',
  idNumber: '110101199003071234',
  phone: '13800138000',
  email: 'zhangsan@example.com',
  address: '北京市朝阳区建国路1号',
  cards: [{ bank: '中国工商银行', number: '6222021234567890' }],
};

/** A realistic impersonation case: narrative, two losses, a suspect with identifiers, four items. */
export async function seedCase(vault: Vault) {
  new ProfileRepo(vault.context).set(PROFILE);
  const kase = vault.cases.create({
    title: '冒充京东客服退款诈骗',
    incidentType: 'impersonation',
    startedAt: '2026-11-20T14:05:00+08:00',
    discoveredAt: '2026-11-20T18:30:00+08:00',
    narrative:
      '2026年11月20日下午，一名自称京东客服的人打电话给我，称我的账户开通了“百万保障”服务，如不关闭每月将扣费。对方让我下载“云会议”APP并共享屏幕，随后指导我把银行卡 6222021234567890 中的钱转到所谓“安全账户”。\nI transferred the money in two payments before realising it was a scam. The caller used the number +86 171 0000 1234 and the account below.',
    losses: [
      { amount: { currency: 'CNY', minor: 4999950 }, occurredAt: '2026-11-20T15:10:00+08:00', description: '第一笔转账至 6217 0000 1111 2222' },
      { amount: { currency: 'CNY', minor: 2000000 }, occurredAt: '2026-11-20T15:42:00+08:00', description: '第二笔转账' },
    ],
    parties: [
      {
        id: 'p1',
        role: 'suspect',
        name: '李客服（自称）',
        identifiers: [
          { kind: 'phone', value: '+86 171 0000 1234' },
          { kind: 'bank-account', value: '6217 0000 1111 2222', note: '户名：王某某，中国建设银行' },
          { kind: 'app', value: '云会议 (com.fake.meeting)' },
        ],
      },
    ],
  });
  const gps = await vault.items.addBuffer(kase.id, await photoWithGps(), { name: 'IMG_0001.jpg', title: '现场照片（含位置）', kind: 'photo' });
  const plain = await vault.items.addBuffer(kase.id, await plainPhoto(), { name: 'receipt.jpg', title: '转账回单', kind: 'payment-record' });
  const shot = await vault.items.addBuffer(kase.id, await chatScreenshot(), { name: '聊天截图.png', title: '微信聊天截图', kind: 'screenshot' });
  const chat = await vault.items.addBuffer(kase.id, Buffer.from('客服: 请把钱转到安全账户\n我: 好的，卡号6222021234567890\nAgent: send the code now\n'), { name: 'chat.txt', title: '聊天记录导出', kind: 'chat-export', mediaType: 'text/plain' });
  return { kase, items: { gps: gps.item, plain: plain.item, shot: shot.item, chat: chat.item } };
}

/** Imported chat messages and transactions, as the importers store them (through the record repository). */
export function seedRecords(vault: Vault, caseId: string, source: { itemId: string; sha256: string }, messages: number, transactions: number): void {
  const base = Date.parse('2026-11-20T06:00:00Z');
  const records: RecordDraft[] = [];
  for (let i = 0; i < messages; i++) {
    records.push({
      kind: 'message',
      locator: String(i + 1),
      time: { instant: new Date(base + i * 37_000).toISOString(), offsetMinutes: 480, zone: 'Asia/Shanghai' },
      direction: i % 2 ? 'out' : 'in',
      channel: 'wechat',
      counterpartAddress: 'wxid_kefu8888',
      counterpartName: '京东客服',
      body: i % 2 ? `好的，我的卡号是 6222021234567890，第${i}条` : `请按照指引操作，把资金转入安全账户 6217000011112222（消息 ${i}）。Please act now.`,
      attachments: [],
    });
  }
  for (let i = 0; i < transactions; i++) {
    records.push({
      kind: 'transaction',
      locator: String(i + 2),
      time: { instant: new Date(base + i * 61_000).toISOString(), offsetMinutes: 480, zone: 'Asia/Shanghai' },
      direction: 'out',
      amount: { currency: 'CNY', minor: 100_00 + i },
      counterpartyName: '王某某',
      counterpartyAccount: '6217000011112222',
      platform: 'alipay',
      platformTxId: `2026112022001${String(i).padStart(8, '0')}`,
      status: '交易成功',
    });
  }
  new RecordRepo(vault.context).insertImport({ caseId, format: 'alipay-csv', source, records, partial: false, custody: { format: 'test-fixture' } });
}
