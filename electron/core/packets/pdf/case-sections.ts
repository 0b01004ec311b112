import { formatInstant } from '../../../../shared/format.js';
import type { Block } from './blocks.js';
import { enteredZone, money, zoneOf, type SectionContext } from './section-context.js';

interface TimelineEvent {
  at: string;
  zone: string;
  text: string;
  source: string;
}

function timelineEvents({ m, L, mask, itemNo }: SectionContext): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (m.kase.startedAt) events.push({ at: m.kase.startedAt, zone: enteredZone(m.kase.startedAt, m.zone), text: L.evCaseStarted, source: '' });
  if (m.kase.discoveredAt) events.push({ at: m.kase.discoveredAt, zone: enteredZone(m.kase.discoveredAt, m.zone), text: L.evCaseDiscovered, source: '' });
  for (const loss of m.kase.losses) {
    if (loss.occurredAt) events.push({ at: loss.occurredAt, zone: enteredZone(loss.occurredAt, m.zone), text: `${L.evLoss} ${money(loss.amount, m.lang)}${loss.description ? ` — ${mask(loss.description)}` : ''}`, source: '' });
  }
  for (const tx of m.records.transactions.slice(0, 300)) {
    const who = [tx.counterpartyName, tx.counterpartyAccount].filter(Boolean).join(' ');
    events.push({ at: tx.time.instant, zone: zoneOf(tx.time), text: `${L.evTransaction(L.directions[tx.direction] ?? tx.direction)} ${money(tx.amount, m.lang)}${who ? ` → ${mask(who)}` : ''}`, source: itemNo.get(tx.source.itemId) ?? '' });
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function timeline(c: SectionContext): Block[] {
  const { L } = c;
  return [
    { t: 'h1', text: L.timeline, newPage: true },
    {
      t: 'table',
      columns: [
        { title: L.time, width: 30 },
        { title: L.event, width: 58 },
        { title: L.source, width: 12 },
      ],
      rows: timelineEvents(c).map((e) => [formatInstant(new Date(e.at).toISOString(), e.zone), e.text, e.source]),
    },
  ];
}

export function losses({ m, L, when, mask }: SectionContext): Block[] {
  const heading: Block = { t: 'h1', text: L.losses };
  if (!m.kase.losses.length) return [heading, { t: 'p', text: L.noLosses, gray: true }];
  return [
    heading,
    {
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
    },
  ];
}

function counterpartyRows({ m, L }: SectionContext): string[][] {
  return m.kase.parties.flatMap((party) => {
    const ids = party.identifiers.length ? party.identifiers : [{ kind: 'other' as const, value: '—' }];
    return ids.map((id, i) => [
      i === 0 ? (L.roles[party.role] ?? party.role) : '',
      i === 0 ? (party.name ?? '') : '',
      `${L.identifierKinds[id.kind] ?? id.kind}: ${id.value}`,
      [('note' in id ? id.note : '') ?? '', i === 0 ? (party.note ?? '') : ''].filter(Boolean).join(' '),
    ]);
  });
}

export function counterparties(c: SectionContext): Block[] {
  const { L } = c;
  const heading: Block = { t: 'h1', text: L.counterparties };
  const rows = counterpartyRows(c);
  if (!rows.length) return [heading, { t: 'p', text: L.noCounterparties, gray: true }];
  return [
    heading,
    {
      t: 'table',
      columns: [
        { title: L.role, width: 14 },
        { title: L.name, width: 22 },
        { title: L.identifier, width: 38 },
        { title: L.note, width: 26 },
      ],
      rows,
      size: 9,
    },
  ];
}
