import { createHash, randomUUID } from 'node:crypto';
import { findAuthority, type PendingTimestamp, type TimestampRecord, type TimestampSettings, type Tsa } from '../../../shared/timestamps.js';
import { appendEntry, readEntries } from '../custody/chain.js';
import type { CustodyEntry } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import { postQuery, TsaUnreachable } from './client.js';
import { buildQuery, readToken, tokenFromReply, TokenError, verifyTokenRootOptional, type VerifiedToken } from './rfc3161.js';
import { TimestampSettingsStore } from './settings.js';

type Ctx = Pick<VaultContext, 'db' | 'clock' | 'actor'>;
type Post = (url: string, der: Buffer, signal?: AbortSignal) => Promise<Buffer>;

export interface StampOptions {
  signal?: AbortSignal;
  /** the HTTP call (tests count and fail it); postQuery by default */
  post?: Post;
}

export type StampOutcome =
  | { status: 'stamped'; record: TimestampRecord }
  /** the head is already stamped (or is itself a timestamp entry): nothing to send */
  | { status: 'current' }
  /** the TSA could not be reached: the request waits in the queue */
  | { status: 'queued'; pending: PendingTimestamp; detail: string };

/**
 * Sends the hash of the case's newest custody entry to the chosen TSA and records the token on the chain. Only the
 * 32-byte digest leaves the computer, to the TSA's URL alone. A token that fails any check is refused by name and
 * nothing is recorded; a TSA that cannot be reached leaves the request queued.
 */
export async function stampCaseHead(ctx: Ctx, caseId: string, opts: StampOptions = {}): Promise<StampOutcome> {
  const store = new TimestampSettingsStore(ctx.db);
  const settings = store.read();
  const tsa = activeAuthority(settings);
  const head = headToStamp(ctx, caseId);
  if (!head) return { status: 'current' };
  const query = buildQuery(head.hash, tsa.policy);
  let reply: Buffer;
  try {
    reply = await (opts.post ?? postQuery)(tsa.url!, query.der, opts.signal);
  } catch (err) {
    if (!(err instanceof TsaUnreachable)) throw err;
    return { status: 'queued', pending: enqueue(store, { caseId, subject: 'chain-head', imprint: head.hash, seq: head.seq, tsaId: tsa.id, nonce: null }, err.message, ctx), detail: err.message };
  }
  const record = await recordReply(ctx, caseId, tsa, reply, { imprint: head.hash, seq: head.seq, nonce: query.nonce, subject: 'chain-head' });
  store.saveQueue(store.queue().filter((p) => !(p.caseId === caseId && p.subject === 'chain-head')));
  return { status: 'stamped', record };
}

/** Sends every queued request again (the user allowed it, or the app is back online); what still fails stays. */
export async function retryQueued(ctx: Ctx, opts: StampOptions = {}): Promise<{ stamped: number; waiting: number }> {
  const store = new TimestampSettingsStore(ctx.db);
  let stamped = 0;
  const cases = [...new Set(store.queue().filter((p) => p.subject === 'chain-head').map((p) => p.caseId))];
  for (const caseId of cases) {
    opts.signal?.throwIfAborted();
    const out = await stampCaseHead(ctx, caseId, opts).catch((err: unknown) => {
      if (err instanceof RedressError && err.code === 'CASE_NOT_FOUND') return { status: 'current' } as const;
      throw err;
    });
    if (out.status === 'stamped') stamped++;
    if (out.status === 'current') store.saveQueue(store.queue().filter((p) => p.caseId !== caseId));
  }
  return { stamped, waiting: store.queue().length };
}

/**
 * A request for the case's head as a .tsq file, to send from another device (`openssl ts -query` makes the same):
 * kept in the queue with its nonce, so that the .tsr brought back must answer this very request.
 */
export function exportQuery(ctx: Ctx, caseId: string): { der: Buffer; imprint: string; seq: number } {
  const store = new TimestampSettingsStore(ctx.db);
  const tsa = findAuthority(store.read(), store.read().tsaId);
  const head = headToStamp(ctx, caseId) ?? lastEntry(ctx, caseId);
  const query = buildQuery(head.hash, tsa?.policy ?? null);
  enqueue(store, { caseId, subject: 'chain-head', imprint: head.hash, seq: head.seq, tsaId: tsa?.id ?? 'offline', nonce: query.nonce }, 'exported as .tsq', ctx);
  return { der: query.der, imprint: head.hash, seq: head.seq };
}

/** A .tsr brought back for a request this vault made (exportQuery): checked like a live answer, then recorded. */
export async function importReply(ctx: Ctx, caseId: string, reply: Buffer): Promise<TimestampRecord> {
  const store = new TimestampSettingsStore(ctx.db);
  const settings = store.read();
  const token = tokenFromReplyOrToken(reply);
  const { info } = readToken(token);
  const pending = store.queue().find((p) => p.caseId === caseId && p.imprint === info.imprint);
  if (!pending) throw new RedressError('TIMESTAMP_REFUSED', { tsa: info.tsaName, failure: 'imprint-mismatch' });
  const tsa = findAuthority(settings, pending.tsaId) ?? findAuthority(settings, settings.tsaId);
  if (!tsa) throw new RedressError('TIMESTAMP_OFF', {});
  const record = await recordReply(ctx, caseId, tsa, reply, { imprint: pending.imprint, seq: pending.seq, nonce: pending.nonce ?? undefined, subject: pending.subject });
  store.saveQueue(store.queue().filter((p) => p.id !== pending.id));
  return record;
}

/** Every token on the case's chain, as the UI lists them. */
export function listTimestamps(ctx: Pick<VaultContext, 'db'>, caseId: string): TimestampRecord[] {
  return readEntries(ctx.db, caseId).flatMap((e) => (e.action === 'timestamp.recorded' ? [recordOf(e)] : []));
}

export function recordOf(e: CustodyEntry): TimestampRecord {
  const p = e.payload as Record<string, unknown>;
  return {
    id: `${e.caseId}:${e.seq}`,
    caseId: e.caseId,
    subject: p.subject as TimestampRecord['subject'],
    imprint: String(p.imprint),
    seq: typeof p.seq === 'number' ? p.seq : null,
    tsaId: String(p.tsaId),
    tsaName: String(p.tsaName),
    genTime: String(p.genTime),
    localTime: String(p.localTime),
    skewMs: Number(p.skewMs),
    tokenSha256: String(p.tokenSha256),
  };
}

/** The chosen TSA, when stamping is on and it has an address. */
export function activeAuthority(settings: TimestampSettings): Tsa & { url: string } {
  const tsa = settings.enabled ? findAuthority(settings, settings.tsaId) : null;
  if (!tsa?.url) throw new RedressError('TIMESTAMP_OFF', {});
  return tsa as Tsa & { url: string };
}

/**
 * Checks the answer as a recipient will (verifyToken) and appends a timestamp.recorded entry holding the token. A TSA
 * without a confirmed root (the catalog ships none it has not confirmed) passes every check but the chain: its token
 * is kept, and verifiers report it as signed by an authority they were not given a root for.
 */
async function recordReply(ctx: Ctx, caseId: string, tsa: Tsa, reply: Buffer, expect: { imprint: string; seq: number | null; nonce?: string; subject: TimestampRecord['subject'] }): Promise<TimestampRecord> {
  const localTime = ctx.clock.now();
  let verified: VerifiedToken;
  let token: Buffer;
  try {
    token = tokenFromReplyOrToken(reply);
    verified = await verifyTokenRootOptional({ token, imprint: expect.imprint, nonce: expect.nonce, trustedRoots: tsa.roots.map((r) => Buffer.from(r)) });
  } catch (err) {
    if (!(err instanceof TokenError)) throw err;
    throw new RedressError('TIMESTAMP_REFUSED', { tsa: tsa.name.en, failure: err.failure, detail: err.message.slice(0, 300) });
  }
  const { info } = verified;
  const genTime = new Date(info.genTime);
  const payload = {
    subject: expect.subject,
    seq: expect.seq,
    imprint: expect.imprint,
    tsaId: tsa.id,
    tsaName: info.tsaName,
    genTime: info.genTime,
    localTime: localTime.toISOString(),
    skewMs: localTime.getTime() - genTime.getTime(),
    serial: info.serial.slice(0, 80),
    tokenSha256: createHash('sha256').update(token).digest('hex'),
    token: token.toString('base64'),
  };
  let entry!: CustodyEntry;
  ctx.db.transaction(() => {
    if (expect.seq !== null) {
      const stamped = ctx.db.prepare('SELECT hash FROM custody WHERE case_id = ? AND seq = ?').get(caseId, expect.seq) as { hash: string } | undefined;
      if (stamped?.hash !== expect.imprint) throw new RedressError('TIMESTAMP_REFUSED', { tsa: tsa.name.en, failure: 'imprint-mismatch', detail: 'the stamped entry is no longer on the chain' });
    }
    entry = { ...appendEntry(ctx.db, ctx.clock, ctx.actor, caseId, 'timestamp.recorded', payload) };
  })();
  return recordOf(entry);
}

/** The case's newest entry, unless it is a timestamp entry already (stamping it would never end). */
function headToStamp(ctx: Ctx, caseId: string): { seq: number; hash: string } | null {
  const last = lastEntry(ctx, caseId);
  return last.action === 'timestamp.recorded' ? null : last;
}

function lastEntry(ctx: Ctx, caseId: string): { seq: number; hash: string; action: string } {
  const row = ctx.db.prepare('SELECT seq, hash, body FROM custody WHERE case_id = ? ORDER BY seq DESC LIMIT 1').get(caseId) as { seq: number; hash: string; body: string } | undefined;
  if (!row) throw new RedressError('CASE_NOT_FOUND', { ref: caseId });
  return { seq: row.seq, hash: row.hash, action: (JSON.parse(row.body) as { action: string }).action };
}

function enqueue(store: TimestampSettingsStore, p: Omit<PendingTimestamp, 'id' | 'createdAt' | 'attempts' | 'lastError'>, error: string, ctx: Ctx): PendingTimestamp {
  const queue = store.queue();
  const existing = queue.find((q) => q.caseId === p.caseId && q.subject === p.subject);
  const next: PendingTimestamp = existing
    ? { ...existing, ...p, nonce: p.nonce ?? existing.nonce, attempts: existing.attempts + 1, lastError: error.slice(0, 300) }
    : { ...p, id: randomUUID(), createdAt: ctx.clock.now().toISOString(), attempts: 1, lastError: error.slice(0, 300) };
  store.saveQueue([...queue.filter((q) => q !== existing), next]);
  return next;
}

/** A .tsr holds a TimeStampResp; some tools save the bare token: either is taken. */
function tokenFromReplyOrToken(data: Buffer): Buffer {
  try {
    return tokenFromReply(data);
  } catch (err) {
    if (err instanceof TokenError && err.failure === 'rejected') throw err;
    readToken(data);
    return data;
  }
}
