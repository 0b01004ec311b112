import { TZDate } from '@date-fns/tz';
import { addMonths } from 'date-fns/addMonths'; // not the barrel (see shared/format.ts)
import { format } from 'date-fns/format';
import { totalLosses, type CaseRecord, type CaseStatus, type IncidentType, type Money } from '../../../shared/case-model.js';
import { localZone } from '../../../shared/format.js';
import type { Db } from '../vault/database.js';
import type { ReadableVault } from '../vault/reader.js';
import { normalizeIdentifier, type IdentifierFamily } from './identifiers.js';

export interface CaseSelection {
  status?: CaseStatus;
  incidentType?: IncidentType;
  /** cases created on or after this instant (ISO 8601) */
  since?: string;
}

export interface LossStats {
  currency: string;
  /** exact sum of the cases' losses in this currency, integer minor units */
  total: Money;
  /**
   * median of the per-case totals, integer minor units; with an even number of cases, the mean of the two middle
   * totals rounded half to even (at most half a minor unit off: 0.005 yuan)
   */
  median: Money;
  cases: number;
}

export interface SharedIdentifier {
  family: IdentifierFamily;
  /** the normalized identifier the cases share */
  identifier: string;
  /** how it was written in each case, as entered */
  spellings: string[];
  caseIds: string[];
}

export interface CaseStats {
  zone: string;
  cases: number;
  byType: { type: IncidentType; count: number }[];
  /** a case counts once under each platform it involves */
  byPlatform: { platform: string; count: number }[];
  casesWithoutPlatform: number;
  /** months (yyyy-MM in `zone`) from the first to the last, gaps included with 0 */
  byMonth: { month: string; count: number }[];
  casesWithoutDate: number;
  losses: LossStats[];
  /** identifiers of suspects and counterparties found in more than one case, most cases first */
  sharedCounterparties: SharedIdentifier[];
}

const PLATFORM_ALIASES: Record<string, string> = {
  alipay: 'Alipay',
  支付宝: 'Alipay',
  wechat: 'WeChat',
  'wechat pay': 'WeChat',
  'wechat-pay': 'WeChat',
  微信: 'WeChat',
  微信支付: 'WeChat',
  qq: 'QQ',
};

function platformLabel(name: string): string {
  const trimmed = name.normalize('NFKC').trim();
  return PLATFORM_ALIASES[trimmed.toLowerCase()] ?? trimmed;
}

/**
 * Figures an association reports: cases by type, platform and month, losses per currency (exact integers), and
 * the counterparty identifiers (phones, accounts...) that appear in several cases — the same scam account hitting
 * several victims is what police ask for. Months are calendar months in `zone` (default: this machine's).
 */
export function computeStats(vault: ReadableVault, selection: CaseSelection = {}, options: { zone?: string } = {}): CaseStats {
  const zone = options.zone ?? localZone();
  const cases = selectCases(vault, selection);
  const db = vault.context.db;
  const txPlatforms = transactionColumn(db, 'platform');
  const txAccounts = transactionColumn(db, 'counterparty_account');

  const byType = new Map<IncidentType, number>();
  const byPlatform = new Map<string, number>();
  const byMonth = new Map<string, number>();
  const perCurrency = new Map<string, number[]>();
  const shared = new Map<string, { family: IdentifierFamily; identifier: string; spellings: Set<string>; caseIds: Set<string> }>();
  let withoutPlatform = 0;
  let withoutDate = 0;

  for (const c of cases) {
    byType.set(c.incidentType, (byType.get(c.incidentType) ?? 0) + 1);

    const platforms = new Set(platformsOf(c, txPlatforms?.(c.id) ?? []));
    if (platforms.size === 0) withoutPlatform++;
    for (const p of platforms) byPlatform.set(p, (byPlatform.get(p) ?? 0) + 1);

    const when = c.startedAt ?? c.discoveredAt ?? c.createdAt;
    if (when) {
      const month = format(new TZDate(Date.parse(when), zone), 'yyyy-MM');
      byMonth.set(month, (byMonth.get(month) ?? 0) + 1);
    } else withoutDate++;

    for (const t of totalLosses(c.losses)) {
      if (!perCurrency.has(t.currency)) perCurrency.set(t.currency, []);
      perCurrency.get(t.currency)!.push(t.minor);
    }

    const note = (kind: Parameters<typeof normalizeIdentifier>[0], value: string) => {
      const n = normalizeIdentifier(kind, value);
      if (!n) return;
      const key = `${n.family}:${n.key}`;
      if (!shared.has(key)) shared.set(key, { family: n.family, identifier: n.key, spellings: new Set(), caseIds: new Set() });
      const s = shared.get(key)!;
      s.spellings.add(value.trim());
      s.caseIds.add(c.id);
    };
    for (const p of c.parties) {
      if (p.role === 'platform' || p.role === 'witness') continue;
      for (const id of p.identifiers) note(id.kind, id.value);
    }
    for (const account of txAccounts?.(c.id) ?? []) note('account', account);
  }

  return {
    zone,
    cases: cases.length,
    byType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byPlatform: [...byPlatform].map(([platform, count]) => ({ platform, count })).sort((a, b) => b.count - a.count || a.platform.localeCompare(b.platform)),
    casesWithoutPlatform: withoutPlatform,
    byMonth: fillMonths(byMonth),
    casesWithoutDate: withoutDate,
    losses: [...perCurrency]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, totals]) => ({ currency, total: { currency, minor: exactSum(totals) }, median: { currency, minor: median(totals) }, cases: totals.length })),
    sharedCounterparties: [...shared.values()]
      .filter((s) => s.caseIds.size > 1)
      .map((s) => ({ family: s.family, identifier: s.identifier, spellings: [...s.spellings].sort(), caseIds: [...s.caseIds].sort() }))
      .sort((a, b) => b.caseIds.length - a.caseIds.length || a.identifier.localeCompare(b.identifier)),
  };
}

/** The platforms a case involves: platform parties, Alipay/WeChat/QQ identifiers, and imported transactions' platforms. */
export function platformsOf(c: CaseRecord, transactionPlatforms: readonly string[] = []): string[] {
  const platforms = new Set<string>();
  for (const p of c.parties) {
    if (p.role === 'platform' && p.name) platforms.add(platformLabel(p.name));
    for (const id of p.identifiers) {
      if (id.kind === 'alipay') platforms.add('Alipay');
      if (id.kind === 'wechat') platforms.add('WeChat');
      if (id.kind === 'qq') platforms.add('QQ');
      if (id.kind === 'app' && p.role === 'platform') platforms.add(platformLabel(id.value));
    }
  }
  for (const name of transactionPlatforms) platforms.add(platformLabel(name));
  return [...platforms].sort();
}

/** Counterparty identifiers of a case as entered ("kind value"), witnesses and platforms left out. */
export function counterpartiesOf(c: CaseRecord): string[] {
  const out: string[] = [];
  for (const p of c.parties) {
    if (p.role === 'platform' || p.role === 'witness') continue;
    for (const id of p.identifiers) out.push(`${id.kind} ${id.value}`);
    if (!p.identifiers.length && p.name) out.push(p.name);
  }
  return out;
}

/** A per-case reader of imported transactions' platforms (null when this vault has no such table). */
export function transactionPlatforms(db: Db): ((caseId: string) => string[]) | null {
  return transactionColumn(db, 'platform');
}

/** Cases matching a selection, oldest first (the order summaries list them in). */
export function selectCases(vault: ReadableVault, selection: CaseSelection): CaseRecord[] {
  const since = selection.since ? Date.parse(selection.since) : undefined;
  return vault.cases
    .list({ ...(selection.status ? { status: selection.status } : {}), ...(selection.incidentType ? { incidentType: selection.incidentType } : {}) })
    .filter((c) => since === undefined || Date.parse(c.createdAt) >= since)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** A per-case reader of one column of imported transactions, when this vault has that table (issue 4). */
function transactionColumn(db: Db, column: string): ((caseId: string) => string[]) | null {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info('transactions')`).all() as { name: string }[]).map((r) => r.name);
  if (!columns.includes(column) || !columns.includes('case_id')) return null;
  const stmt = db.prepare(`SELECT DISTINCT ${column} AS v FROM transactions WHERE case_id = ? AND ${column} IS NOT NULL AND ${column} != ''`);
  return (caseId) => (stmt.all(caseId) as { v: string }[]).map((r) => r.v);
}

function fillMonths(counts: Map<string, number>): { month: string; count: number }[] {
  const months = [...counts.keys()].sort();
  if (!months.length) return [];
  const out: { month: string; count: number }[] = [];
  const [y, m] = months[0]!.split('-').map(Number) as [number, number];
  const last = months[months.length - 1]!;
  // Plain calendar arithmetic on a UTC date: no zone can shift a month boundary here.
  for (let d = new Date(Date.UTC(y, m - 1, 1)); ; d = addMonths(d, 1)) {
    const key = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    out.push({ month: key, count: counts.get(key) ?? 0 });
    if (key >= last) break;
  }
  return out;
}

function exactSum(values: number[]): number {
  const sum = values.reduce((a, b) => a + BigInt(b), 0n);
  if (sum > BigInt(Number.MAX_SAFE_INTEGER) || sum < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError('loss total exceeds the exact integer range');
  return Number(sum);
}

/** Median of integers; an even count takes the mean of the middle two, rounded half to even. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length % 2) return sorted[mid]!;
  const twice = BigInt(sorted[mid - 1]!) + BigInt(sorted[mid]!);
  let half = twice / 2n; // truncates toward zero
  const rem = twice % 2n;
  if (rem !== 0n) {
    // exactly .5 away: pick the even neighbour
    const down = twice < 0n ? half - 1n : half;
    half = down % 2n === 0n ? down : down + 1n;
  }
  return Number(half);
}
