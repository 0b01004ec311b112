import { createHash } from 'node:crypto';
import { TIMESTAMP_AUTHORITIES, TIMESTAMP_CAPS, type TokenFailure } from '../../../shared/timestamps.js';
import { readToken, TokenError, verifyTokenRootOptional } from '../timestamps/rfc3161.js';

/**
 * The trusted timestamps a packet's chain carries, checked as a recipient would with no vault: each token's imprint
 * is the hash of the entry it stamps (which the custody check recomputed), its CMS signature and TSA certificate are
 * checked, and its chain goes to a root the recipient trusts (the catalog's, or one given with --tsa-ca). A TSA
 * whose root nobody gave is said so: the time is then the TSA's word, not proven here.
 */
export interface TimestampCheck {
  /** the timestamp entry's seq, and the entry it stamps */
  seq: number;
  stampedSeq: number | null;
  tsaName: string;
  genTime: string | null;
  /** trusted: chains to a given root; no-root: sound but no root to check it against; failed: `failure` names why */
  status: 'trusted' | 'no-root' | 'failed';
  failure?: TokenFailure | 'not-on-chain';
}

type Disclosed = Record<string, { value: unknown } | undefined>;
interface ExcerptEntry {
  seq: number;
  hash: string;
  v: number;
  committed?: Record<string, unknown>;
  disclosed?: Disclosed;
}

/** At most this many tokens are checked: a real case gets one every few minutes of work, a packet far fewer. */
const MAX_TOKENS = 1000;

export async function checkPacketTimestamps(custody: unknown, extraRoots: readonly Buffer[] = []): Promise<TimestampCheck[]> {
  const entries = (custody as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) return [];
  const hashOf = new Map<number, string>();
  for (const e of entries as ExcerptEntry[]) if (typeof e?.seq === 'number' && typeof e.hash === 'string') hashOf.set(e.seq, e.hash);
  const out: TimestampCheck[] = [];
  for (const e of entries as ExcerptEntry[]) {
    if (out.length >= MAX_TOKENS) break;
    if (e?.v !== 2 || e.committed?.action !== 'timestamp.recorded') continue;
    const d = e.disclosed ?? {};
    const value = (name: string) => d[name]?.value;
    const stampedSeq = typeof value('seq') === 'number' ? (value('seq') as number) : null;
    const tsaId = String(value('tsaId') ?? '').slice(0, 40);
    const base: TimestampCheck = { seq: e.seq, stampedSeq, tsaName: String(value('tsaName') ?? tsaId).slice(0, TIMESTAMP_CAPS.nameChars), genTime: null, status: 'failed' };
    const tokenB64 = value('token');
    const imprint = value('imprint');
    if (typeof tokenB64 !== 'string' || tokenB64.length > (TIMESTAMP_CAPS.replyBytes * 4) / 3 + 4 || typeof imprint !== 'string') {
      out.push({ ...base, failure: 'malformed' });
      continue;
    }
    const token = Buffer.from(tokenB64, 'base64');
    if (value('tokenSha256') !== createHash('sha256').update(token).digest('hex')) {
      out.push({ ...base, failure: 'malformed' });
      continue;
    }
    // the token must stamp an entry of this chain, before itself: otherwise it proves nothing about this case
    if (stampedSeq === null || stampedSeq >= e.seq || hashOf.get(stampedSeq) !== imprint) {
      out.push({ ...base, failure: 'not-on-chain' });
      continue;
    }
    const roots = [...(TIMESTAMP_AUTHORITIES.find((t) => t.id === tsaId)?.roots ?? []).map((r) => Buffer.from(r)), ...extraRoots];
    try {
      const verified = await verifyTokenRootOptional({ token, imprint, trustedRoots: roots });
      out.push({ ...base, tsaName: verified.info.tsaName || base.tsaName, genTime: verified.info.genTime, status: verified.rooted ? 'trusted' : 'no-root' });
    } catch (err) {
      if (!(err instanceof TokenError)) throw err;
      out.push({ ...base, genTime: safeGenTime(token), failure: err.failure });
    }
  }
  return out;
}

function safeGenTime(token: Buffer): string | null {
  try {
    return readToken(token).info.genTime;
  } catch {
    return null;
  }
}
