import { formatInstant } from '../../../../shared/format.js';
import type { Block } from './blocks.js';
import { money, zoneOf, type SectionContext } from './section-context.js';

export function evidenceIndex({ m, L, itemNo }: SectionContext): Block[] {
  return [
    { t: 'h1', text: L.evidenceIndex, newPage: true },
    {
      t: 'table',
      columns: [
        { title: L.number, width: 6 },
        { title: L.titleKindTime, width: 36 },
        { title: L.sha256, width: 58 },
      ],
      rows: m.items.map((pi) => {
        // the unredacted original normally stays home: then there is no packet number to point to, only its hash
        const marks = [pi.redactedFrom ? L.redactedOf(itemNo.get(pi.redactedFrom.itemId) ?? '') : '', pi.transform ? L.locationMark : ''].filter(Boolean);
        const hashes = [pi.item.sha256];
        if (pi.transform) hashes.push(L.packetFileHash, pi.fileSha256);
        if (pi.redactedFrom) hashes.push(L.originalHash, pi.redactedFrom.sha256);
        return [pi.n, [pi.item.title, `${L.kinds[pi.item.kind] ?? pi.item.kind} · ${formatInstant(pi.item.captured.instant, pi.item.captured.zone)}`, pi.path, ...marks].join('\n'), hashes.join('\n')];
      }),
      size: 7,
    },
  ];
}

export function messages({ m, L, mask, itemNo }: SectionContext): Block[] {
  if (!m.records.messages.length) return [];
  return [
    { t: 'h1', text: L.messages, newPage: true },
    { t: 'p', text: L.recordSource(m.records.messages.length), gray: true, size: 9 },
    {
      t: 'table',
      columns: [
        { title: L.time, width: 20 },
        { title: L.direction, width: 8 },
        { title: L.counterpart, width: 17 },
        { title: L.text, width: 47 },
        { title: L.source, width: 8 },
      ],
      rows: m.records.messages.map((msg) => [
        formatInstant(msg.time.instant, zoneOf(msg.time)),
        L.directions[msg.direction] ?? msg.direction,
        mask([msg.counterpartName, msg.counterpartAddress].filter(Boolean).join(' ')),
        mask(msg.body),
        `${itemNo.get(msg.source.itemId) ?? ''}:${msg.source.locator}`,
      ]),
      size: 7.5,
    },
  ];
}

export function transactions({ m, L, mask, platform, itemNo }: SectionContext): Block[] {
  if (!m.records.transactions.length) return [];
  return [
    { t: 'h1', text: L.transactions, newPage: true },
    { t: 'p', text: L.recordSource(m.records.transactions.length), gray: true, size: 9 },
    {
      t: 'table',
      columns: [
        { title: L.time, width: 19 },
        { title: L.direction, width: 7 },
        { title: L.amount, width: 14, align: 'right' },
        { title: L.account, width: 24 },
        { title: L.reference, width: 20 },
        { title: L.status, width: 8 },
        { title: L.source, width: 8 },
      ],
      rows: m.records.transactions.map((tx) => [
        formatInstant(tx.time.instant, zoneOf(tx.time)),
        L.directions[tx.direction] ?? tx.direction,
        money(tx.amount, m.lang),
        mask([tx.counterpartyName, tx.counterpartyAccount].filter(Boolean).join(' ')),
        [platform(tx.platform), tx.platformTxId ?? tx.merchantOrderId].filter(Boolean).join(' '),
        tx.status ?? '',
        `${itemNo.get(tx.source.itemId) ?? ''}:${tx.source.locator}`,
      ]),
      size: 7,
    },
  ];
}

export function appendices({ m, L, mask }: SectionContext): Block[] {
  if (!m.items.length) return [];
  const blocks: Block[] = [{ t: 'h1', text: L.appendices, newPage: true }];
  m.items.forEach((pi, index) => {
    // the caption names the file in originals/, so it gives that file's hash (differs from the vault's when GPS was removed)
    const caption = [L.appendix(pi.n, pi.item.title), L.fileIn(pi.path), `SHA-256 ${pi.fileSha256}`];
    if (pi.pdfImage) blocks.push({ t: 'image', caption, load: pi.pdfImage });
    else {
      if (index > 0) blocks.push({ t: 'pagebreak' });
      blocks.push({ t: 'h2', text: caption[0]! }, { t: 'p', text: `${caption[1]!}\n${caption[2]!}`, size: 8.5, gray: true });
      blocks.push({ t: 'p', text: pi.unrendered ? L.notRendered(pi.unrendered) : pi.text !== undefined ? mask(pi.text) : L.notReproduced, size: 9 });
    }
  });
  return blocks;
}
