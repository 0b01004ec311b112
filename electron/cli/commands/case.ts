import { CASE_STATUSES, INCIDENT_TYPES, totalLosses, type CaseRecord, type CaseStatus, type IncidentType } from '../../../shared/case-model.js';
import { formatInstant, formatMoney, localZone } from '../../../shared/format.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface CreateOptions extends GlobalOptions {
  title: string;
  type: IncidentType;
  narrative?: string;
  started?: string;
  discovered?: string;
}

export async function caseCreate(opts: CreateOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const kase = vault.cases.create({
      title: opts.title,
      incidentType: opts.type,
      ...(opts.narrative ? { narrative: opts.narrative } : {}),
      ...(opts.started ? { startedAt: opts.started } : {}),
      ...(opts.discovered ? { discoveredAt: opts.discovered } : {}),
    });
    out.result(kase);
    // The id alone on stdout, so scripts can write CASE=$(redress case create ...)
    out.line(kase.id);
    out.note(out.t('cli.caseCreated', { id: kase.id.slice(0, 8), title: kase.title }));
  });
}

export async function caseList(opts: GlobalOptions & { status?: CaseStatus; type?: IncidentType; search?: string }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const cases = vault.cases.list({
      ...(opts.status ? { status: opts.status } : {}),
      ...(opts.type ? { incidentType: opts.type } : {}),
      ...(opts.search ? { search: opts.search } : {}),
    });
    out.result({ cases });
    if (cases.length === 0) out.line(out.t('cli.noCases'));
    for (const c of cases) {
      out.line(`${c.id.slice(0, 8)}  ${out.t(`status.${c.status}`).padEnd(10)}  ${String(c.itemCount).padStart(5)}  ${c.title}  [${out.t(`incidentType.${c.incidentType}`)}]`);
    }
  });
}

export async function caseShow(ref: string, opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const kase = vault.cases.get(vault.cases.resolve(ref));
    out.result(kase);
    printCase(kase, out);
  });
}

function printCase(c: CaseRecord, out: Output): void {
  const zone = localZone();
  const locale = out.language;
  const row = (key: string, value: string) => out.line(`${out.t(`cli.case.${key}`)}: ${value}`);
  out.line(c.id);
  row('title', c.title);
  row('type', out.t(`incidentType.${c.incidentType}`));
  row('status', out.t(`status.${c.status}`));
  if (c.startedAt) row('started', formatInstant(c.startedAt, zone));
  if (c.discoveredAt) row('discovered', formatInstant(c.discoveredAt, zone));
  row('created', formatInstant(c.createdAt, zone));
  row('items', String(c.itemCount));
  row('head', `#${c.head.seq} ${c.head.hash}`);
  if (c.losses.length) {
    row('losses', '');
    for (const l of c.losses) out.line(`  ${formatMoney(l.amount, locale)}${l.description ? '  ' + l.description : ''}`);
    for (const total of totalLosses(c.losses)) out.line(`  ${out.t('cli.case.total')}: ${formatMoney(total, locale)}`);
  }
  if (c.parties.length) {
    row('parties', '');
    for (const p of c.parties) out.line(`  ${p.role}: ${p.name ?? ''} ${p.identifiers.map((i) => `${i.kind}=${i.value}`).join(' ')}`);
  }
  if (c.narrative) {
    row('narrative', '');
    out.line(c.narrative);
  }
}

export { CASE_STATUSES, INCIDENT_TYPES };
