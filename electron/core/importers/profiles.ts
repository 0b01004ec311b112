import type { Db } from '../vault/database.js';
import { RedressError } from '../errors.js';
import { parseProfile, type BankCsvProfile, type BankCsvProfileInput } from './bank-csv.js';

/**
 * Bank CSV column mappings, saved by name in the encrypted database (a mapping names the victim's bank and can
 * hold account numbers as fixed values, so it is not kept in a plain settings file). Profiles are vault-wide:
 * the same bank export format recurs across cases.
 */
export class ProfileRepo {
  constructor(private readonly db: Db) {}

  save(input: BankCsvProfileInput): BankCsvProfile {
    const profile = parseProfile(input);
    this.db.prepare('INSERT OR REPLACE INTO bank_csv_profiles (name, profile, updated_at) VALUES (?, ?, ?)').run(profile.name, JSON.stringify(profile), new Date().toISOString());
    return profile;
  }

  get(name: string): BankCsvProfile {
    const row = this.db.prepare('SELECT profile FROM bank_csv_profiles WHERE name = ?').get(name) as { profile: string } | undefined;
    if (!row) throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: `no saved profile named "${name}"` });
    return parseProfile(JSON.parse(row.profile));
  }

  list(): BankCsvProfile[] {
    return (this.db.prepare('SELECT profile FROM bank_csv_profiles ORDER BY name').all() as { profile: string }[]).map((r) => parseProfile(JSON.parse(r.profile)));
  }

  remove(name: string): boolean {
    return this.db.prepare('DELETE FROM bank_csv_profiles WHERE name = ?').run(name).changes > 0;
  }
}
