import type { Money } from '../../../../shared/case-model.js';
import { TZDate } from '@date-fns/tz';
import { format as formatDate } from 'date-fns';
import { formatInstant, formatMoney } from '../../../../shared/format.js';
import type { ZonedTime } from '../../../../shared/records.js';
import { maskText } from '../masking.js';
import type { PacketModel } from '../model.js';
import type { Block } from './blocks.js';

const zoneOf = (t: ZonedTime) => t.zone ?? offsetZone(t.offsetMinutes);

/** Etc/GMT zones have inverted signs; only whole hours exist as IANA names, so fall back to UTC otherwise. */
function offsetZone(minutes: number): string {
  if (minutes % 60 !== 0) return 'UTC';
  const h = minutes / 60;
  return h === 0 ? 'UTC' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}

/**
 * A time the user entered (case start, a loss) is shown in the offset it was entered with, so it reads the same as
 * the records beside it; only times without an offset fall back to the packet's zone.
 */
function enteredZone(iso: string, fallback: string): string {
  return /[+-]\d\d:\d\d$/.exec(iso)?.[0] ?? fallback;
}

const PLATFORM_NAMES: Record<string, 'alipay' | 'wechat'> = { alipay: 'alipay', wechat: 'wechat', 'wechat-pay': 'wechat', tenpay: 'wechat' };

/** incident names are written to sit inside a sentence ("an impersonation scam"); a table cell starts with a capital */
const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function money(m: Money, lang: string): string {
  return formatMoney(m, lang);
}

export function totalsText(totals: Money[], lang: string): string {
  return totals.length ? totals.map((t) => money(t, lang)).join(lang === 'zh-CN' ? '、' : ', ') : '—';
}

/** The whole packet PDF, in the recipient's order of sections, as blocks. */
export function packetBlocks(m: PacketModel): Block[] {
  const L = m.labels;
  const when = (iso: string | undefined) => (iso ? formatInstant(new Date(iso).toISOString(), enteredZone(iso, m.zone)) : '—');
  const platform = (p: string | undefined) => (p && PLATFORM_NAMES[p] ? L.identifierKinds[PLATFORM_NAMES[p]!]! : p);
  const mask = (s: string) => maskText(s, m.profile, m.recipient);
  const recipientName = m.recipient.name[m.lang];
  const blocks: Block[] = [];
  const sections = new Set(m.recipient.sections);
  const itemNo = new Map(m.items.map((i) => [i.item.id, i.n]));

  if (sections.has('cover')) {
    blocks.push({ t: 'title', text: L.subject });
    blocks.push({
      t: 'kv',
      rows: [
        [L.to, `${recipientName}${m.recipient.hotline && !recipientName.includes(m.recipient.hotline) ? ` (${m.recipient.hotline})` : ''}`],
        [L.from, [m.masked.name, m.masked.phone, m.masked.email].filter(Boolean).join(' · ') || '—'],
        [L.date, formatDate(new TZDate(m.generatedAt.getTime(), m.zone), L.letterDateFormat)],
        [L.re, m.kase.title],
      ],
    });
    blocks.push({
      t: 'p',
      text: L.coverIntro({ incident: L.incidentTypes[m.kase.incidentType], totals: totalsText(m.totals, m.lang), items: m.items.length, start: when(m.kase.startedAt) }),
    });
    blocks.push({ t: 'h2', text: L.coverRequest }, { t: 'p', text: m.request });
    blocks.push({ t: 'p', text: L.coverContents, gray: true });
    blocks.push({ t: 'h2', text: L.howToSubmit }, { t: 'p', text: m.recipient.submit[m.lang] });
    blocks.push({ t: 'p', text: L.coverClose });
    blocks.push({ t: 'signature', labels: [L.signature, L.signedDate] });
  }

  if (sections.has('summary')) {
    blocks.push({ t: 'h1', text: L.summary, newPage: true });
    blocks.push({ t: 'h2', text: L.complainant });
    const p = m.masked;
    const rows: [string, string][] = [[L.name, p.name ?? '—']];
    if (p.idNumber) rows.push([L.idNumber, p.idNumber]);
    if (p.phone) rows.push([L.phone, p.phone]);
    if (p.email) rows.push([L.email, p.email]);
    if (p.address) rows.push([L.address, p.address]);
    if (p.cards.length) rows.push([L.cards, p.cards.map((c) => `${c.bank} ${c.number}`.trim()).join('\n')]);
    const caseKeys = [L.incidentType, L.started, L.discovered, L.totalLoss, L.evidenceCount, L.request];
    blocks.push({ t: 'kv', rows, alignKeys: caseKeys });
    blocks.push({
      t: 'kv',
      alignKeys: rows.map(([k]) => k),
      rows: [
        [L.incidentType, capitalize(L.incidentTypes[m.kase.incidentType])],
        [L.started, when(m.kase.startedAt)],
        [L.discovered, when(m.kase.discoveredAt)],
        [L.totalLoss, totalsText(m.totals, m.lang)],
        [L.evidenceCount, String(m.items.length)],
        [L.request, m.request],
      ],
    });
    blocks.push({ t: 'h2', text: L.recipientAsks(recipientName) }, { t: 'bullets', items: m.recipient.asks.map((a) => a[m.lang]) });
  }

  if (sections.has('narrative')) {
    blocks.push({ t: 'h1', text: L.narrative, newPage: true });
    blocks.push({ t: 'p', text: m.kase.narrative.trim() ? mask(m.kase.narrative) : L.noNarrative, size: 10.5 });
  }

  if (sections.has('timeline')) {
    const events: { at: string; zone: string; text: string; source: string }[] = [];
    if (m.kase.startedAt) events.push({ at: m.kase.startedAt, zone: enteredZone(m.kase.startedAt, m.zone), text: L.evCaseStarted, source: '' });
    if (m.kase.discoveredAt) events.push({ at: m.kase.discoveredAt, zone: enteredZone(m.kase.discoveredAt, m.zone), text: L.evCaseDiscovered, source: '' });
    for (const loss of m.kase.losses) {
      if (loss.occurredAt) events.push({ at: loss.occurredAt, zone: enteredZone(loss.occurredAt, m.zone), text: `${L.evLoss} ${money(loss.amount, m.lang)}${loss.description ? ` — ${mask(loss.description)}` : ''}`, source: '' });
    }
    for (const tx of m.records.transactions.slice(0, 300)) {
      const who = [tx.counterpartyName, tx.counterpartyAccount].filter(Boolean).join(' ');
      events.push({ at: tx.time.instant, zone: zoneOf(tx.time), text: `${L.evTransaction(L.directions[tx.direction] ?? tx.direction)} ${money(tx.amount, m.lang)}${who ? ` → ${mask(who)}` : ''}`, source: itemNo.get(tx.source.itemId) ?? '' });
    }
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    blocks.push({ t: 'h1', text: L.timeline, newPage: true });
    blocks.push({
      t: 'table',
      columns: [
        { title: L.time, width: 30 },
        { title: L.event, width: 58 },
        { title: L.source, width: 12 },
      ],
      rows: events.map((e) => [formatInstant(new Date(e.at).toISOString(), e.zone), e.text, e.source]),
    });
  }

  if (sections.has('losses')) {
    blocks.push({ t: 'h1', text: L.losses });
    if (!m.kase.losses.length) blocks.push({ t: 'p', text: L.noLosses, gray: true });
    else
      blocks.push({
        t: 'table',
        columns: [
          { title: L.time, width: 30 },
          { title: L.description, width: 45 },
          { title: L.amount, width: 25, align: 'right' },
        ],
        rows: [
          ...m.kase.losses.map((l) => [when(l.occurredAt), l.description ? mask(l.description) : '', money(l.amount, m.lang)]),
          ...m.totals.map((t) => ['', L.totalFor(t.currency), money(t, m.lang)]),
        ],
        size: 9,
        boldLastRows: m.totals.length,
      });
  }

  if (sections.has('counterparties')) {
    blocks.push({ t: 'h1', text: L.counterparties });
    const rows = m.kase.parties.flatMap((party) => {
      const ids = party.identifiers.length ? party.identifiers : [{ kind: 'other' as const, value: '—' }];
      return ids.map((id, i) => [
        i === 0 ? (L.roles[party.role] ?? party.role) : '',
        i === 0 ? (party.name ?? '') : '',
        `${L.identifierKinds[id.kind] ?? id.kind}: ${id.value}`,
        [('note' in id ? id.note : '') ?? '', i === 0 ? (party.note ?? '') : ''].filter(Boolean).join(' '),
      ]);
    });
    if (!rows.length) blocks.push({ t: 'p', text: L.noCounterparties, gray: true });
    else
      blocks.push({
        t: 'table',
        columns: [
          { title: L.role, width: 14 },
          { title: L.name, width: 22 },
          { title: L.identifier, width: 38 },
          { title: L.note, width: 26 },
        ],
        rows,
        size: 9,
      });
  }

  if (sections.has('evidence-index')) {
    blocks.push({ t: 'h1', text: L.evidenceIndex, newPage: true });
    blocks.push({
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
    });
  }

  if (sections.has('messages') && m.records.messages.length) {
    blocks.push({ t: 'h1', text: L.messages, newPage: true });
    blocks.push({ t: 'p', text: L.recordSource(m.records.messages.length), gray: true, size: 9 });
    blocks.push({
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
    });
  }

  if (sections.has('transactions') && m.records.transactions.length) {
    blocks.push({ t: 'h1', text: L.transactions, newPage: true });
    blocks.push({ t: 'p', text: L.recordSource(m.records.transactions.length), gray: true, size: 9 });
    blocks.push({
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
    });
  }

  if (sections.has('appendices') && m.items.length) {
    blocks.push({ t: 'h1', text: L.appendices, newPage: true });
    m.items.forEach((pi, index) => {
      // the caption names the file in originals/, so it gives that file's hash (differs from the vault's when GPS was removed)
      const caption = [L.appendix(pi.n, pi.item.title), L.fileIn(pi.path), `SHA-256 ${pi.fileSha256}`];
      if (pi.pdfImage) blocks.push({ t: 'image', caption, load: pi.pdfImage });
      else {
        if (index > 0) blocks.push({ t: 'pagebreak' });
        blocks.push({ t: 'h2', text: caption[0]! }, { t: 'p', text: `${caption[1]!}\n${caption[2]!}`, size: 8.5, gray: true });
        blocks.push({ t: 'p', text: pi.text !== undefined ? mask(pi.text) : L.notReproduced, size: 9 });
      }
    });
  }

  if (sections.has('integrity')) {
    blocks.push({ t: 'h1', text: L.integrity, newPage: true });
    blocks.push({ t: 'p', text: L.integrityIntro });
    blocks.push({ t: 'kv', rows: [[L.chainHead, `#${m.kase.head.seq} ${m.kase.head.hash}`], [L.algorithm, L.algorithmText]] });
    blocks.push({ t: 'h2', text: L.howToCheck }, { t: 'bullets', items: L.checkSteps });
    blocks.push({ t: 'h2', text: L.disclosure }, { t: 'p', text: L.disclosureIntro });
    blocks.push({ t: 'bullets', items: m.masked.fields.map((f) => `${L.fieldNames[f.field]}: ${f.present ? L.rules[f.rule] : L.notProvided}`) });
    const redacted = m.items.filter((i) => i.redactedFrom);
    blocks.push({ t: 'h2', text: L.redactedItems }, { t: 'bullets', items: redacted.length ? redacted.map((i) => `${i.n} ${i.item.title} — ${L.redactedMark(itemNo.get(i.redactedFrom!.itemId) ?? '', i.redactedFrom!.sha256)}`) : [L.noneRedacted] });
    const located = m.items.filter((i) => i.transform);
    blocks.push({ t: 'h2', text: L.locationItems }, { t: 'bullets', items: located.length ? located.map((i) => `${i.n} ${i.item.title}`) : [L.noneLocation] });
  }

  if (sections.has('declaration')) {
    blocks.push({ t: 'h1', text: L.declaration, newPage: !sections.has('integrity') });
    blocks.push({ t: 'p', text: L.declarationText });
    blocks.push({ t: 'signature', labels: [L.signature, L.signedDate] });
  }
  return blocks;
}
