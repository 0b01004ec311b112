import type { CaseStatus, IncidentType } from '../../../shared/case-model';

/** The case filters of the association view, as the form holds them. */
export interface SelectionForm {
  status: CaseStatus | '';
  type: IncidentType | '';
  /** yyyy-MM-dd from the date input, or '' */
  since: string;
}

export const NO_SELECTION: SelectionForm = { status: '', type: '', since: '' };

/** The request form: "since" is the start of that day on this computer's clock, as an instant. */
export function toSelection(f: SelectionForm): { status?: CaseStatus; incidentType?: IncidentType; since?: string } {
  const since = f.since ? new Date(`${f.since}T00:00:00`) : null;
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.type ? { incidentType: f.type } : {}),
    ...(since && !Number.isNaN(since.getTime()) ? { since: since.toISOString() } : {}),
  };
}
