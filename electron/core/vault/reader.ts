import { CaseRepo } from '../cases/case-repo.js';
import { readEntries } from '../custody/chain.js';
import type { CustodyEntry } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { ItemRepo } from '../items/item-repo.js';
import type { Problem, VerifyReport } from '../verify/problems.js';
import { verifyCase, type VerifyOptions } from '../verify/verify-case.js';
import { verifyDatabase } from '../verify/verify-database.js';

/**
 * What statistics, verification and previews may do with a vault: read. Their context's database connection is
 * query-only (SQLite refuses any write on it), so nothing reached through this view can append a custody entry or
 * change a record, even past the types. Signal Desktop splits its ReadableDB from its WritableDB for the same reason.
 */
export interface ReadableVault {
  readonly cases: Pick<CaseRepo, 'get' | 'resolve' | 'list' | 'ids'>;
  readonly items: Pick<ItemRepo, 'get' | 'resolve' | 'list' | 'links' | 'objectName' | 'read' | 'readAll'>;
  readonly context: VaultContext;
  readonly dataDir: string;
  log(caseId: string): CustodyEntry[];
  verify(caseId?: string, options?: VerifyOptions): Promise<VerifyReport>;
}

export class VaultReader implements ReadableVault {
  readonly cases: CaseRepo;
  readonly items: ItemRepo;

  constructor(
    readonly context: VaultContext,
    /** problems of the vault as a whole that are not in its database (a rollback: vault/heads.ts), per case or all */
    private readonly vaultProblems: (caseId?: string) => Problem[] = () => [],
  ) {
    this.cases = new CaseRepo(context);
    this.items = new ItemRepo(context);
  }

  get dataDir(): string {
    return this.context.dataDir;
  }

  log(caseId: string): CustodyEntry[] {
    this.cases.get(caseId);
    return readEntries(this.context.db, caseId);
  }

  /** Recomputes every chain and re-hashes every stored original (of one case, or of all). */
  async verify(caseId?: string, options: VerifyOptions = {}): Promise<VerifyReport> {
    const ids = caseId ? [this.cases.get(caseId).id] : this.cases.ids();
    // The database file under every case: once per run, reported with the case when one case is checked.
    const database = options.chainOnly ? [] : verifyDatabase(this.context.db, caseId ?? '');
    const cases = [];
    for (const id of ids) {
      const kase = this.cases.get(id);
      const items = this.items.list(id);
      const objectNames = new Map(items.map((i) => [i.id, this.items.objectName(i.id)]));
      cases.push(await verifyCase(this.context, kase, items, objectNames, options));
    }
    const outside = this.vaultProblems(caseId);
    if (caseId && database.length + outside.length) cases[0] = { ...cases[0]!, problems: [...database, ...outside, ...cases[0]!.problems], ok: false };
    const problems = caseId ? [] : [...database, ...outside, ...this.orphanRows(ids)];
    return { ok: cases.every((c) => c.ok) && problems.length === 0, checkedAt: new Date().toISOString(), cases, problems };
  }

  /** Custody entries or items whose case row was deleted outside Redress. */
  private orphanRows(knownCases: string[]): VerifyReport['problems'] {
    const known = new Set(knownCases);
    const rows = this.context.db.prepare('SELECT DISTINCT case_id FROM custody UNION SELECT DISTINCT case_id FROM items').all() as { case_id: string }[];
    return rows
      .filter((r) => !known.has(r.case_id))
      .map((r) => ({ kind: 'case-record-altered' as const, caseId: r.case_id, detail: `case ${r.case_id} has custody entries or items but its case record is gone` }));
  }
}
