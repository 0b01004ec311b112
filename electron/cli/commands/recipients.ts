import { listRecipients } from '../../core/packets/index.js';
import type { Output } from '../output.js';

/** Lists recipient profiles; needs no vault. */
export function recipientsCommand(out: Output): void {
  const recipients = listRecipients();
  out.result({ recipients });
  for (const r of recipients) {
    out.line(out.t('packet.recipientLine', { id: r.id.padEnd(16), kind: r.kind.padEnd(9), jurisdiction: r.jurisdiction, name: r.name[out.language] }));
  }
}
