import { formatInstant } from '../../../shared/format.js';
import type { ZonedTime } from '../../../shared/records.js';
import { fixedZone } from '../../core/importers/index.js';
import { RecordRepo } from '../../core/records/record-repo.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface ListCliOptions extends GlobalOptions {
  flagged?: boolean;
  limit?: number;
}

/** A record's time as the person who lived it saw it: in its own zone, with the offset. */
export function shownTime(t: ZonedTime): string {
  return formatInstant(t.instant, t.zone ?? fixedZone(t.offsetMinutes));
}

const ARROW = { in: '←', out: '→', neutral: '·' } as const;

export async function messagesCommand(caseRef: string, opts: ListCliOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const messages = new RecordRepo(vault.context).listMessages(caseId, { ...(opts.flagged ? { flagged: true } : {}), ...(opts.limit ? { limit: opts.limit } : {}) });
    out.result({ caseId, messages });
    if (!messages.length) return out.line(out.t('cli.noMessages'));
    for (const m of messages) {
      const who = [m.counterpartName, m.counterpartAddress].filter(Boolean).join(' ') || '-';
      const body = m.body.replace(/\s*\n\s*/g, ' ⏎ ');
      out.line(`${m.flagged ? '★' : ' '} ${m.id.slice(0, 8)}  ${shownTime(m.time)}  ${ARROW[m.direction]} ${m.channel.padEnd(8)} ${who}: ${body.length > 120 ? body.slice(0, 119) + '…' : body}`);
    }
  });
}
