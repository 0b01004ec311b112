import type { PacketSection } from '../../../../shared/recipient.js';
import type { PacketModel } from '../model.js';
import type { Block } from './blocks.js';
import { counterparties, losses, timeline } from './case-sections.js';
import { declaration, integrity } from './closing-sections.js';
import { appendices, evidenceIndex, messages, transactions } from './evidence-sections.js';
import { caseSummary, coverLetter, narrative } from './letter-sections.js';
import { sectionContext, type SectionContext } from './section-context.js';

export { money, totalsText } from './section-context.js';

// The order of the PDF, whatever order a recipient lists its sections in: the recipient only picks which appear.
const SECTIONS: [PacketSection, (c: SectionContext) => Block[]][] = [
  ['cover', coverLetter],
  ['summary', caseSummary],
  ['narrative', narrative],
  ['timeline', timeline],
  ['losses', losses],
  ['counterparties', counterparties],
  ['evidence-index', evidenceIndex],
  ['messages', messages],
  ['transactions', transactions],
  ['appendices', appendices],
  ['integrity', integrity],
  ['declaration', declaration],
];

/** The whole packet PDF, the recipient's sections of it, as blocks. */
export function packetBlocks(m: PacketModel): Block[] {
  const c = sectionContext(m);
  return SECTIONS.flatMap(([section, blocks]) => (c.sections.has(section) ? blocks(c) : []));
}
