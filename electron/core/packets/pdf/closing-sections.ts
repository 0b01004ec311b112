import { isUncheckedImage } from '../disclosure.js';
import type { Block } from './blocks.js';
import type { SectionContext } from './section-context.js';

export function integrity({ m, L, itemNo }: SectionContext): Block[] {
  const redacted = m.items.filter((i) => i.redactedFrom);
  const located = m.items.filter((i) => i.transform);
  const unchecked = m.items.filter((i) => isUncheckedImage(i.item.mediaType, i.redactedFrom));
  return [
    { t: 'h1', text: L.integrity, newPage: true },
    { t: 'p', text: L.integrityIntro },
    { t: 'p', text: L.signedBy },
    { t: 'kv', rows: [[L.keyFingerprint, m.keyFingerprint], [L.chainHead, `#${m.kase.head.seq} ${m.kase.head.hash}`], [L.algorithm, L.algorithmText]] },
    { t: 'h2', text: L.howToCheck },
    { t: 'bullets', items: L.checkSteps },
    { t: 'h2', text: L.disclosure },
    { t: 'p', text: L.disclosureIntro },
    { t: 'bullets', items: m.masked.fields.map((f) => `${L.fieldNames[f.field]}: ${f.present ? L.rules[f.rule] : L.notProvided}`) },
    { t: 'h2', text: L.redactedItems },
    { t: 'bullets', items: redacted.length ? redacted.map((i) => `${i.n} ${i.item.title} — ${L.redactedMark(itemNo.get(i.redactedFrom!.itemId) ?? '', i.redactedFrom!.sha256)}`) : [L.noneRedacted] },
    { t: 'h2', text: L.locationItems },
    { t: 'bullets', items: located.length ? located.map((i) => `${i.n} ${i.item.title}`) : [L.noneLocation] },
    // the masking above holds for text; what an image shows travels as it is, and the page says so rather than claim it
    ...(unchecked.length ? [{ t: 'h2' as const, text: L.uncheckedItems }, { t: 'p' as const, text: L.uncheckedIntro }, { t: 'bullets' as const, items: unchecked.map((i) => `${i.n} ${i.item.title}`) }] : []),
  ];
}

export function declaration({ L, sections }: SectionContext): Block[] {
  return [
    // right after the integrity section it shares that page
    { t: 'h1', text: L.declaration, newPage: !sections.has('integrity') },
    { t: 'p', text: L.declarationText },
    { t: 'signature', labels: [L.signature, L.signedDate] },
  ];
}
