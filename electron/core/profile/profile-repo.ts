import { VictimProfile, type VictimProfileInput } from '../../../shared/victim-profile.js';
import { parseFields } from '../cases/case-repo.js';
import type { VaultContext } from '../context.js';

const KEY = 'victim-profile';

/**
 * The victim profile lives in the encrypted settings table as JSON. It is not evidence, so changes are not on any
 * case's custody chain; packets record which fields left and how they were masked.
 */
export class ProfileRepo {
  constructor(private readonly ctx: VaultContext) {}

  get(): VictimProfile {
    const row = this.ctx.db.prepare('SELECT value FROM settings WHERE key = ?').get(KEY) as { value: string } | undefined;
    if (!row) return VictimProfile.parse({});
    const parsed = VictimProfile.safeParse(JSON.parse(row.value));
    return parsed.success ? parsed.data : VictimProfile.parse({});
  }

  set(input: VictimProfileInput): VictimProfile {
    const profile = parseFields(VictimProfile, input);
    this.ctx.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(profile));
    return profile;
  }
}
