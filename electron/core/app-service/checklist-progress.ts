import { ChecklistState } from '../../../shared/checklist.js';
import { appendEntry } from '../custody/chain.js';
import { RedressError } from '../errors.js';
import type { Vault } from '../vault/vault.js';

const checklistKey = (caseId: string) => `checklist:${caseId}`;

/**
 * Checklist progress, kept in the vault's settings table: encrypted with the rest of the database, never in a plain file.
 */
export class ChecklistProgress {
  constructor(private readonly vault: Vault) {}

  private get(key: string): unknown {
    const row = this.vault.context.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  }

  private put(key: string, value: unknown): void {
    this.vault.context.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  checklist(caseId: string): ChecklistState {
    const parsed = ChecklistState.safeParse(this.get(checklistKey(caseId)) ?? {});
    return parsed.success ? parsed.data : {};
  }

  /** A ticked step is part of the case's history, so it is recorded on the custody chain as well. */
  setStep(caseId: string, stepId: string, state: ChecklistState[string]): ChecklistState {
    this.vault.cases.get(caseId);
    for (const itemId of state.itemIds) if (this.vault.items.get(itemId).caseId !== caseId) throw new RedressError('INVALID_INPUT', { field: 'itemIds', reason: 'item of another case' });
    const { db, clock, actor } = this.vault.context;
    db.transaction(() => {
      const current = this.checklist(caseId);
      const next = { ...state, ...(state.done ? { doneAt: state.doneAt ?? clock.now().toISOString() } : { doneAt: undefined }) };
      if (!next.doneAt) delete next.doneAt;
      this.put(checklistKey(caseId), { ...current, [stepId]: next });
      appendEntry(db, clock, actor, caseId, 'checklist.step', { stepId, done: state.done, itemIds: state.itemIds });
    })();
    return this.checklist(caseId);
  }
}
