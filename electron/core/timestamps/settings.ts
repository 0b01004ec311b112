import { z } from 'zod';
import { DEFAULT_TIMESTAMP_SETTINGS, findAuthority, PendingTimestampSchema, TimestampSettingsSchema, type PendingTimestamp, type TimestampSettings, type Tsa } from '../../../shared/timestamps.js';
import type { Db } from '../vault/database.js';
import { RedressError } from '../errors.js';
import { certificateFingerprints } from './rfc3161.js';

const SETTINGS_KEY = 'timestamps';
const QUEUE_KEY = 'timestamps.queue';
/** more than a week of five-minute batches for a few cases: a queue this long is not being sent anyway */
const QUEUE_MAX = 500;

/**
 * The timestamp setting and the requests waiting to be sent, in the vault's encrypted settings table: which TSA a
 * victim uses, and when they worked on their case, are theirs alone. Neither is evidence, so neither is on a chain;
 * what is, is each token (custody action timestamp.recorded).
 */
export class TimestampSettingsStore {
  constructor(private readonly db: Db) {}

  read(): TimestampSettings {
    const parsed = TimestampSettingsSchema.safeParse(this.json(SETTINGS_KEY));
    return parsed.success ? parsed.data : { ...DEFAULT_TIMESTAMP_SETTINGS };
  }

  /** Turns stamping on with a TSA (which must have a URL), or off; either answers the first-run question. */
  set(change: { enabled: boolean; tsaId?: string | null }): TimestampSettings {
    const current = this.read();
    const tsaId = change.tsaId === undefined ? current.tsaId : change.tsaId;
    if (change.enabled) {
      const tsa = findAuthority(current, tsaId);
      if (!tsa) throw new RedressError('INVALID_INPUT', { field: 'tsa', reason: `no time-stamp authority ${JSON.stringify(String(tsaId).slice(0, 40))}` });
      if (!tsa.url) throw new RedressError('INVALID_INPUT', { field: 'tsa', reason: `${tsa.id} has no address yet: add it with the provider's URL and root certificate` });
    }
    return this.write({ ...current, asked: true, enabled: change.enabled, tsaId });
  }

  /**
   * Adds (or replaces) a TSA of the user's own: an association's, or a catalog provider's with the URL and root
   * certificate taken from its documents. The root's SHA-256 is returned, to compare with what the provider publishes.
   */
  addCustom(input: { id: string; name: string; url: string; rootPem: string; policy?: string | null }): { tsa: Tsa; fingerprints: string[] } {
    let fingerprints: string[];
    try {
      fingerprints = certificateFingerprints(Buffer.from(input.rootPem));
    } catch {
      fingerprints = [];
    }
    if (fingerprints.length === 0) throw new RedressError('INVALID_INPUT', { field: 'root', reason: 'not a certificate (PEM or DER)' });
    const candidate = { id: input.id, name: { en: input.name, 'zh-CN': input.name }, region: 'intl', url: input.url, policy: input.policy ?? null, roots: [input.rootPem], rootFingerprints: fingerprints, source: 'added by the user', confirmed: true };
    const parsed = TimestampSettingsSchema.shape.custom.element.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RedressError('INVALID_INPUT', { field: String(issue?.path[0] ?? 'tsa'), reason: issue?.message ?? 'invalid' });
    }
    const current = this.read();
    this.write({ ...current, custom: [...current.custom.filter((t) => t.id !== input.id), parsed.data] });
    return { tsa: parsed.data, fingerprints };
  }

  queue(): PendingTimestamp[] {
    const parsed = z.array(PendingTimestampSchema).safeParse(this.json(QUEUE_KEY));
    return parsed.success ? parsed.data : [];
  }

  saveQueue(queue: PendingTimestamp[]): void {
    this.put(QUEUE_KEY, queue.slice(-QUEUE_MAX));
  }

  private write(next: TimestampSettings): TimestampSettings {
    this.put(SETTINGS_KEY, TimestampSettingsSchema.parse(next));
    return next;
  }

  private json(key: string): unknown {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value);
    } catch {
      return undefined;
    }
  }

  private put(key: string, value: unknown): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }
}
