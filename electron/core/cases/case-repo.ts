import { randomUUID } from 'node:crypto';
import { CaseFields, type CaseInput, type CaseRecord, type CaseStatus, type IncidentType } from '../../../shared/case-model.js';
import { appendEntry } from '../custody/chain.js';
import { GENESIS_HASH } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import { resolveRef } from '../resolve-ref.js';
import type { CaseRow } from '../vault/rows.js';

/** The stored row, with the item count the list query adds. */
type CaseRowWithCount = CaseRow & { item_count?: number };

export interface CaseFilter {
  status?: CaseStatus;
  incidentType?: IncidentType;
  search?: string;
}

const SELECT = `SELECT c.*, (SELECT COUNT(*) FROM items i WHERE i.case_id = c.id) AS item_count FROM cases c`;

export class CaseRepo {
  constructor(private readonly ctx: VaultContext) {}

  create(input: CaseInput): CaseRecord {
    const fields = parseFields(CaseFields, input);
    const id = randomUUID();
    const { db, clock, actor } = this.ctx;
    db.transaction(() => {
      const now = clock.now().toISOString();
      db.prepare(
        `INSERT INTO cases (id, title, incident_type, status, started_at, discovered_at, narrative, losses, parties, created_at, updated_at, head_seq, head_hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      ).run(id, fields.title, fields.incidentType, fields.status, fields.startedAt ?? null, fields.discoveredAt ?? null, fields.narrative, JSON.stringify(fields.losses), JSON.stringify(fields.parties), now, now, GENESIS_HASH);
      appendEntry(db, clock, actor, id, 'case.created', { fields: stripUndefined(fields) });
    })();
    return this.get(id);
  }

  /** Applies a partial change; the custody entry records exactly the fields that changed. */
  update(id: string, patch: Partial<CaseInput>): CaseRecord {
    const current = this.get(id);
    const merged = parseFields(CaseFields, { ...toFields(current), ...patch });
    const changes: Record<string, unknown> = {};
    for (const key of Object.keys(merged) as (keyof CaseFields)[]) {
      if (JSON.stringify(merged[key]) !== JSON.stringify(toFields(current)[key])) changes[key] = merged[key] ?? null;
    }
    if (Object.keys(changes).length === 0) return current;
    const { db, clock, actor } = this.ctx;
    db.transaction(() => {
      db.prepare(
        `UPDATE cases SET title = ?, incident_type = ?, status = ?, started_at = ?, discovered_at = ?, narrative = ?, losses = ?, parties = ? WHERE id = ?`,
      ).run(merged.title, merged.incidentType, merged.status, merged.startedAt ?? null, merged.discoveredAt ?? null, merged.narrative, JSON.stringify(merged.losses), JSON.stringify(merged.parties), id);
      appendEntry(db, clock, actor, id, 'case.updated', { changes });
    })();
    return this.get(id);
  }

  get(id: string): CaseRecord {
    const row = this.ctx.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CaseRowWithCount | undefined;
    if (!row) throw new RedressError('CASE_NOT_FOUND', { ref: id });
    return fromRow(row);
  }

  resolve(ref: string): string {
    return resolveRef(this.ctx.db, 'cases', ref);
  }

  list(filter: CaseFilter = {}): CaseRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.status) {
      where.push('c.status = ?');
      args.push(filter.status);
    }
    if (filter.incidentType) {
      where.push('c.incident_type = ?');
      args.push(filter.incidentType);
    }
    if (filter.search?.trim()) {
      where.push(`(c.title LIKE ? ESCAPE '\\' OR c.narrative LIKE ? ESCAPE '\\' OR c.parties LIKE ? ESCAPE '\\')`);
      const like = `%${filter.search.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`;
      args.push(like, like, like);
    }
    const sql = `${SELECT}${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY c.created_at DESC`;
    return (this.ctx.db.prepare(sql).all(...args) as CaseRowWithCount[]).map(fromRow);
  }

  ids(): string[] {
    return (this.ctx.db.prepare('SELECT id FROM cases ORDER BY created_at').all() as { id: string }[]).map((r) => r.id);
  }
}

export function toFields(record: CaseRecord): CaseFields {
  const { title, incidentType, status, startedAt, discoveredAt, narrative, losses, parties } = record;
  return stripUndefined({ title, incidentType, status, startedAt, discoveredAt, narrative, losses, parties });
}

function fromRow(row: CaseRowWithCount): CaseRecord {
  return stripUndefined({
    id: row.id,
    title: row.title,
    incidentType: row.incident_type as IncidentType,
    status: row.status as CaseStatus,
    startedAt: row.started_at ?? undefined,
    discoveredAt: row.discovered_at ?? undefined,
    narrative: row.narrative,
    losses: JSON.parse(row.losses),
    parties: JSON.parse(row.parties),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    itemCount: row.item_count ?? 0,
    head: { seq: row.head_seq, hash: row.head_hash },
  });
}

export function parseFields<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RedressError('INVALID_INPUT', { field: issue.path.map(String).join('.') || 'input', reason: issue.message });
  }
  return parsed.data;
}

/** Canonical JSON has no undefined: drop such keys so what is hashed equals what is stored. */
export function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
