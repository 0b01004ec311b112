import type { IncidentType } from '../case-model.js';
import { Checklist } from '../checklist.js';
import accountTakeover from './account-takeover.json' with { type: 'json' };
import dataLeak from './data-leak.json' with { type: 'json' };
import fakeInvestment from './fake-investment.json' with { type: 'json' };
import impersonation from './impersonation.json' with { type: 'json' };
import loanFraud from './loan-fraud.json' with { type: 'json' };
import other from './other.json' with { type: 'json' };
import phishing from './phishing.json' with { type: 'json' };
import romanceScam from './romance-scam.json' with { type: 'json' };
import taskScam from './task-scam.json' with { type: 'json' };

const RAW: Record<IncidentType, unknown> = {
  impersonation,
  'fake-investment': fakeInvestment,
  'loan-fraud': loanFraud,
  'task-scam': taskScam,
  'romance-scam': romanceScam,
  'account-takeover': accountTakeover,
  'data-leak': dataLeak,
  phishing,
  other,
};

const cache = new Map<IncidentType, Checklist>();

/** The checklist for an incident type, validated against the schema the first time it is used. */
export function checklistFor(type: IncidentType): Checklist {
  let list = cache.get(type);
  if (!list) {
    list = Checklist.parse(RAW[type]);
    if (list.incidentType !== type) throw new Error(`checklist file for ${type} declares ${list.incidentType}`);
    cache.set(type, list);
  }
  return list;
}
