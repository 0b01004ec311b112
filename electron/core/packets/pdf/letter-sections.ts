import { TZDate } from '@date-fns/tz';
import { format as formatDate } from 'date-fns/format'; // not the barrel (see shared/format.ts)
import type { Block } from './blocks.js';
import { capitalize, totalsText, type SectionContext } from './section-context.js';

export function coverLetter({ m, L, recipientName, when }: SectionContext): Block[] {
  return [
    { t: 'title', text: L.subject },
    {
      t: 'kv',
      rows: [
        [L.to, `${recipientName}${m.recipient.hotline && !recipientName.includes(m.recipient.hotline) ? ` (${m.recipient.hotline})` : ''}`],
        [L.from, [m.masked.name, m.masked.phone, m.masked.email].filter(Boolean).join(' · ') || '—'],
        [L.date, formatDate(new TZDate(m.generatedAt.getTime(), m.zone), L.letterDateFormat)],
        [L.re, m.kase.title],
      ],
    },
    {
      t: 'p',
      text: L.coverIntro({ incident: L.incidentTypes[m.kase.incidentType], totals: totalsText(m.totals, m.lang), items: m.items.length, start: when(m.kase.startedAt) }),
    },
    { t: 'h2', text: L.coverRequest },
    { t: 'p', text: m.request },
    { t: 'p', text: L.coverContents, gray: true },
    { t: 'h2', text: L.howToSubmit },
    { t: 'p', text: m.recipient.submit[m.lang] },
    { t: 'p', text: L.coverClose },
    { t: 'signature', labels: [L.signature, L.signedDate] },
  ];
}

export function caseSummary({ m, L, recipientName, when }: SectionContext): Block[] {
  const p = m.masked;
  const rows: [string, string][] = [[L.name, p.name ?? '—']];
  if (p.idNumber) rows.push([L.idNumber, p.idNumber]);
  if (p.phone) rows.push([L.phone, p.phone]);
  if (p.email) rows.push([L.email, p.email]);
  if (p.address) rows.push([L.address, p.address]);
  if (p.cards.length) rows.push([L.cards, p.cards.map((c) => `${c.bank} ${c.number}`.trim()).join('\n')]);
  const caseKeys = [L.incidentType, L.started, L.discovered, L.totalLoss, L.evidenceCount, L.request];
  return [
    { t: 'h1', text: L.summary, newPage: true },
    { t: 'h2', text: L.complainant },
    { t: 'kv', rows, alignKeys: caseKeys },
    {
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
    },
    { t: 'h2', text: L.recipientAsks(recipientName) },
    { t: 'bullets', items: m.recipient.asks.map((a) => a[m.lang]) },
  ];
}

export function narrative({ m, L, mask }: SectionContext): Block[] {
  return [
    { t: 'h1', text: L.narrative, newPage: true },
    { t: 'p', text: m.kase.narrative.trim() ? mask(m.kase.narrative) : L.noNarrative, size: 10.5 },
  ];
}
