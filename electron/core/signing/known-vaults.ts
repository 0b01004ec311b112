import { formatFingerprint, KNOWN_VAULT_LABEL_MAX, normaliseFingerprint, type KnownVault } from '../../../shared/key-fingerprint.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';

/**
 * The vault keys an association has recorded (its volunteers', the partner organisations'), by fingerprint, under a
 * name it chose. A bundle import says whether the bundle comes from one of them (bundles/signature.ts). Kept in the
 * encrypted database: who works with whom is itself sensitive.
 */
export class KnownVaults {
  constructor(private readonly ctx: Pick<VaultContext, 'db' | 'clock'>) {}

  /** Records a fingerprint (typed any way) under a name; recording it again renames it. */
  add(fingerprint: string, label: string): KnownVault {
    const key = normaliseFingerprint(fingerprint);
    if (!key) throw new RedressError('INVALID_INPUT', { field: 'fingerprint', reason: 'not a key fingerprint (32 or 64 hex digits)' });
    const name = label.normalize('NFC').trim();
    if (!name || name.length > KNOWN_VAULT_LABEL_MAX || /\p{Cc}/u.test(name)) throw new RedressError('INVALID_INPUT', { field: 'label', reason: `a name of 1 to ${KNOWN_VAULT_LABEL_MAX} characters on one line` });
    const addedAt = this.ctx.clock.now().toISOString();
    this.ctx.db.prepare('INSERT INTO known_vaults (fingerprint, label, added_at) VALUES (?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET label = excluded.label').run(key, name, addedAt);
    return this.find(key)!;
  }

  remove(fingerprint: string): boolean {
    const key = normaliseFingerprint(fingerprint);
    return key !== null && this.ctx.db.prepare('DELETE FROM known_vaults WHERE fingerprint = ?').run(key).changes > 0;
  }

  find(fingerprint: string): KnownVault | null {
    const key = normaliseFingerprint(fingerprint);
    const row = key ? (this.ctx.db.prepare('SELECT fingerprint, label, added_at FROM known_vaults WHERE fingerprint = ?').get(key) as Row | undefined) : undefined;
    return row ? toKnown(row) : null;
  }

  list(): KnownVault[] {
    return (this.ctx.db.prepare('SELECT fingerprint, label, added_at FROM known_vaults ORDER BY label, fingerprint').all() as Row[]).map(toKnown);
  }
}

interface Row {
  fingerprint: string;
  label: string;
  added_at: string;
}

const toKnown = (r: Row): KnownVault => ({ fingerprint: formatFingerprint(r.fingerprint), label: r.label, addedAt: r.added_at });
