import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../electron/core/custody/chain.js';
import { Vault } from '../../electron/core/vault/vault.js';

export const PASSPHRASE = 'correct horse battery staple';
/** Cheap scrypt so that tests create vaults in milliseconds; the format and code path are the real ones. */
export const TEST_KDF = { name: 'scrypt' as const, N: 2 ** 10, r: 8, p: 1 };

export async function tempDir(prefix = 'redress-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export async function newVault(dataDir: string, options: { clock?: Clock } = {}) {
  return Vault.create(dataDir, PASSPHRASE, { actor: 'test', kdf: TEST_KDF, ...options });
}

export function openVault(dataDir: string, options: { clock?: Clock } = {}) {
  return Vault.open(dataDir, PASSPHRASE, { actor: 'test', ...options });
}

/** A clock the test moves by hand, zone fixed at UTC+8. */
export function manualClock(start = Date.parse('2026-11-24T09:00:00Z')): Clock & { set(ms: number): void; advance(ms: number): void } {
  let now = start;
  return {
    now: () => new Date(now),
    offsetMinutes: () => 480,
    set: (ms) => void (now = ms),
    advance: (ms) => void (now += ms),
  };
}
