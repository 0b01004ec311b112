import { RecordRepo } from '../records/record-repo.js';
import type { Vault } from '../vault/vault.js';
import type { Handlers } from './dispatch.js';
import type { ImportStages } from './import-stages.js';

type RecordChannel =
  | 'records.stagePick'
  | 'records.stageBytes'
  | 'records.stageStatus'
  | 'records.stageConfirm'
  | 'records.stageCancel'
  | 'records.messages'
  | 'records.transactions'
  | 'records.flag';

export interface RecordHandlerDeps {
  /** the open vault, or throws VAULT_LOCKED */
  vault(): Vault;
  stages: ImportStages;
  /** the main-process file dialog */
  pickFiles(): Promise<string[]>;
}

/** Total for a page request: all records, or only the flagged / unflagged ones. */
function totalOf(all: number, flagged: number, filter: boolean | undefined): number {
  return filter === undefined ? all : filter ? flagged : all - flagged;
}

/** The import-preview and record channels, spread into AppService's handlers. */
export function recordHandlers(d: RecordHandlerDeps): Pick<Handlers, RecordChannel> {
  return {
    'records.stagePick': async ({ caseId }) => {
      d.vault().cases.get(caseId);
      const [path, ...rest] = await d.pickFiles();
      if (!path) return { stage: null, ignored: 0 };
      return { stage: d.stages.fromPath(d.vault(), caseId, path), ignored: rest.length };
    },
    'records.stageBytes': async ({ caseId, name, data }) => {
      const vault = d.vault();
      vault.cases.get(caseId);
      return d.stages.fromBytes(vault, caseId, name, data);
    },
    'records.stageStatus': ({ stageId }) => d.stages.status(stageId),
    'records.stageConfirm': ({ stageId }) => d.stages.confirm(d.vault(), stageId),
    'records.stageCancel': ({ stageId }) => d.stages.cancel(stageId),
    'records.messages': ({ caseId, offset, limit, flagged }) => {
      const vault = d.vault();
      vault.cases.get(caseId);
      const repo = new RecordRepo(vault.context);
      const n = repo.count(caseId);
      const records = repo.listMessages(caseId, { offset, limit, ...(flagged === undefined ? {} : { flagged }) });
      return { total: totalOf(n.messages, n.flaggedMessages, flagged), records };
    },
    'records.transactions': ({ caseId, offset, limit, flagged }) => {
      const vault = d.vault();
      vault.cases.get(caseId);
      const repo = new RecordRepo(vault.context);
      const n = repo.count(caseId);
      const records = repo.listTransactions(caseId, { offset, limit, ...(flagged === undefined ? {} : { flagged }) });
      return { total: totalOf(n.transactions, n.flaggedTransactions, flagged), records };
    },
    'records.flag': ({ caseId, recordIds, flagged }) => {
      const vault = d.vault();
      vault.cases.get(caseId);
      return { changed: new RecordRepo(vault.context).setFlagged(caseId, recordIds, flagged) };
    },
  };
}
