import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import type { Db } from './database.js';
import type { SealedHeads } from './keyfile.js';

/**
 * Rollback detection. The database cannot vouch for its own age: an older copy of vault.db (a restored backup), or
 * one whose WAL was deleted, cut short or damaged after a crash, is a perfectly valid database that simply lacks the
 * latest commits. So the vault keeps, outside the database, in vault.json, the custody heads (case id, sequence number
 * and hash of the last entry) it has seen, with a counter that only grows, sealed with AES-256-GCM under a key derived
 * from the master key (nobody without the key can forge or read them: case ids and counts stay private). On open, and
 * in verify, every head seen must still be in the database's chain: at its sequence number with its hash, or replaced
 * only the one way Redress itself replaces an entry (a newer exchange bundle superseding this vault's own transfer
 * entry, which then carries the old one verbatim).
 *
 * Cost: the heads are written by a background check, not per commit: it notices a commit (SQLite's data_version,
 * which changes whenever another connection commits) within RECORD_INTERVAL_MS and writes vault.json once for all
 * commits since, atomically and durably (write, fsync, rename, fsync of the folder), and once more at close. A burst
 * of ingests costs a few writes, and a CLI command one. The trade-off: commits in the last moment before a crash
 * (under RECORD_INTERVAL_MS plus one write) may be lost with a damaged WAL without the counter noticing; their
 * originals still go to quarantine (quarantine.ts), so no evidence is lost unseen, only the report is weaker. The
 * counter is written only after SQLite's synchronous=FULL commit returned, so it can lag behind the database but never
 * run ahead of it: a power cut cannot produce a false alarm.
 */
export const RECORD_INTERVAL_MS = 250;

export interface Head {
  caseId: string;
  seq: number;
  hash: string;
}

export interface SeenState {
  counter: number;
  at: string;
  heads: Head[];
}

/**
 * The finding, as verify and the UI receive it. Its boundary schema is RollbackFinding in shared/custody.ts (vault/'s
 * storage may import nothing outside the core); vault.ts checks at compile time that the two are the same type.
 */
export type RollbackState = 'behind' | 'diverged' | 'missing';

export interface RollbackCase {
  caseId: string;
  seenSeq: number;
  seenHash: string;
  /** the case's head in the database now; null when the case is gone */
  foundSeq: number | null;
  /** behind: the chain stops short of the head seen; diverged: another entry stands where it was; missing: no case */
  state: RollbackState;
}

export interface RollbackFinding {
  /** the last state recorded outside the database */
  seen: { counter: number; at: string } | null;
  /** the record in vault.json fails authentication (edited or damaged): the database's age cannot be told */
  unreadable: boolean;
  /** custody entries seen before and not in the database now (at least one per diverged case) */
  entriesMissing: number;
  cases: RollbackCase[];
}

const Plain = z.object({ v: z.literal(1), counter: z.number().int().nonnegative(), at: z.string(), heads: z.array(z.tuple([z.string(), z.number().int().positive(), z.string()])) });

export function headsKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'redress/v1/heads', 32));
}

function aad(vaultId: string, counter: number): Buffer {
  return Buffer.from(`redress-vault/v1/${vaultId}/heads/${counter}`, 'utf8');
}

export function sealHeads(key: Buffer, vaultId: string, state: SeenState): SealedHeads {
  const plain = deflateRawSync(Buffer.from(JSON.stringify({ v: 1, counter: state.counter, at: state.at, heads: state.heads.map((h) => [h.caseId, h.seq, h.hash]) })));
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad(vaultId, state.counter));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { counter: state.counter, nonce: nonce.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** null when the record does not authenticate under this vault's key. */
export function openHeads(key: Buffer, vaultId: string, sealed: SealedHeads): SeenState | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.nonce, 'base64'));
    decipher.setAAD(aad(vaultId, sealed.counter));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    const parsed = Plain.safeParse(JSON.parse(inflateRawSync(plain, { maxOutputLength: 256 * 1024 * 1024 }).toString('utf8')));
    if (!parsed.success || parsed.data.counter !== sealed.counter) return null;
    return { counter: parsed.data.counter, at: parsed.data.at, heads: parsed.data.heads.map(([caseId, seq, hash]) => ({ caseId, seq, hash })) };
  } catch {
    return null;
  }
}

/** Every case's head as the database records it now. */
export function currentHeads(db: Db): Head[] {
  return (db.prepare('SELECT id, head_seq, head_hash FROM cases ORDER BY id').all() as { id: string; head_seq: number; head_hash: string }[]).map((r) => ({ caseId: r.id, seq: r.head_seq, hash: r.head_hash }));
}

export function sameHeads(a: readonly Head[], b: readonly Head[]): boolean {
  return a.length === b.length && a.every((h, i) => h.caseId === b[i]!.caseId && h.seq === b[i]!.seq && h.hash === b[i]!.hash);
}

/** Whether the database still holds every head seen; what is missing when it does not. */
export function findRollback(db: Db, seen: SeenState): RollbackFinding | null {
  const entryAt = db.prepare('SELECT hash FROM custody WHERE case_id = ? AND seq = ?');
  const caseHead = db.prepare('SELECT head_seq FROM cases WHERE id = ?');
  const cases: RollbackCase[] = [];
  for (const head of seen.heads) {
    const stored = entryAt.get(head.caseId, head.seq) as { hash: string } | undefined;
    if (stored?.hash === head.hash || supersededHere(db, head)) continue;
    const found = (caseHead.get(head.caseId) as { head_seq: number } | undefined)?.head_seq ?? null;
    const state: RollbackState = found === null ? 'missing' : stored ? 'diverged' : 'behind';
    cases.push({ caseId: head.caseId, seenSeq: head.seq, seenHash: head.hash, foundSeq: found, state });
  }
  if (cases.length === 0) return null;
  const entriesMissing = cases.reduce((n, c) => n + (c.state === 'diverged' ? Math.max(1, c.seenSeq - (c.foundSeq ?? 0)) : c.seenSeq - (c.foundSeq ?? 0)), 0);
  return { seen: { counter: seen.counter, at: seen.at }, unreadable: false, entriesMissing, cases };
}

/** The finding when the record of what was seen cannot be authenticated. */
export function unreadableRecord(): RollbackFinding {
  return { seen: null, unreadable: true, entriesMissing: 0, cases: [] };
}

/**
 * Whether a 'case.transferred' entry at or after the head names it among the transfer entries it superseded (an
 * exchange bundle's rebase, bundles/import.ts), directly or inside an entry it superseded in turn.
 */
function supersededHere(db: Db, head: Head): boolean {
  const rows = db
    .prepare(`SELECT body FROM custody WHERE case_id = ? AND seq >= ? AND json_extract(body, '$.action') = 'case.transferred' AND json_extract(body, '$.payload.supersededTransfers') IS NOT NULL`)
    .all(head.caseId, head.seq) as { body: string }[];
  const pending: unknown[] = rows.map((r) => r.body);
  for (let guard = 0; pending.length && guard < 10_000; guard++) {
    const body = pending.pop();
    let payload: unknown;
    try {
      payload = (JSON.parse(String(body)) as { payload?: unknown }).payload;
    } catch {
      continue;
    }
    const list = (payload as { supersededTransfers?: unknown } | undefined)?.supersededTransfers;
    if (!Array.isArray(list)) continue;
    for (const s of list as { seq?: unknown; hash?: unknown; body?: unknown }[]) {
      if (s.seq === head.seq && s.hash === head.hash) return true;
      if (typeof s.body === 'string') pending.push(s.body);
    }
  }
  return false;
}

/**
 * Records the heads the database reaches, from the reading connection (which sees only committed data), in the
 * background and on demand. Each record must extend the last one (every head seen still in the chain): a database
 * rewound or rewritten while open (another tool, a file copied over it) freezes the recorder just as a rollback found
 * at open does. Frozen, the record of what was seen stays, so the rollback keeps being reported, until rebase() is
 * called for the user's explicit acknowledgement.
 */
export class HeadsRecorder {
  private timer: NodeJS.Timeout | null = null;
  private lastVersion: number | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly vaultId: string,
    private state: SeenState | null,
    private frozen: boolean,
    private readonly write: (sealed: SealedHeads) => Promise<void>,
    private readonly onRollback: (finding: RollbackFinding) => void,
  ) {}

  get seen(): SeenState | null {
    return this.state;
  }

  start(): void {
    this.timer ??= setInterval(() => this.poll(), RECORD_INTERVAL_MS);
    this.timer.unref();
  }

  /** Writes the heads now if they moved since the last record (and no rollback waits for acknowledgement). */
  record(): Promise<void> {
    return this.enqueue(false);
  }

  /** The user's acknowledgement of a rollback: the heads as they are become the new starting point. */
  rebase(): Promise<void> {
    this.frozen = false;
    return this.enqueue(true);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue;
  }

  /** Drops the key; the recorder cannot write afterwards. */
  dispose(): void {
    this.key.fill(0);
    this.frozen = true;
  }

  private poll(): void {
    let version: number;
    try {
      version = this.db.pragma('data_version', { simple: true }) as number;
    } catch {
      return; // the connection is busy (an iteration in progress) or closing: next time
    }
    if (version === this.lastVersion) return;
    void this.enqueue(false).then(
      () => void (this.lastVersion = version),
      () => undefined, // a failed write is retried at the next commit or at close; the record only lags
    );
  }

  private enqueue(force: boolean): Promise<void> {
    const run = this.queue.then(() => this.writeIfMoved(force));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeIfMoved(force: boolean): Promise<void> {
    if (this.frozen) return;
    const heads = currentHeads(this.db);
    if (!force && this.state && sameHeads(this.state.heads, heads)) return;
    // Continuity: only the heads that moved need looking up (at open, findRollback checked every one).
    const now = new Map(heads.map((h) => [h.caseId, h]));
    const moved = this.state?.heads.filter((h) => now.get(h.caseId)?.hash !== h.hash) ?? [];
    const finding = !force && this.state && moved.length ? findRollback(this.db, { ...this.state, heads: moved }) : null;
    if (finding) {
      this.frozen = true;
      this.onRollback(finding);
      return;
    }
    const next: SeenState = { counter: (this.state?.counter ?? 0) + 1, at: new Date().toISOString(), heads };
    await this.write(sealHeads(this.key, this.vaultId, next));
    this.state = next;
  }
}
