import { z } from 'zod';
import { QuarantinedFile, QuarantineEntry, QuarantineSummary, RollbackFinding } from '../custody.js';
import { KNOWN_VAULT_LABEL_MAX, KnownVaultSchema } from '../key-fingerprint.js';
import { Id, ItemRecordSchema } from './schemas.js';

/**
 * What opening the vault found and what the user can do about it, spread into CHANNELS: originals set aside in
 * quarantine (never deleted automatically: re-attach one to a case, or discard it explicitly) and a database older
 * than the last state the vault recorded (continue with it knowingly: the acknowledgement goes on every case's chain).
 */

/** a quarantined file's id (64 hex digits, maybe "-2"), or a unique prefix of it of at least 4 digits */
const QuarantineRef = z.string().min(4).max(80).regex(/^[0-9a-f]+(-[0-9]+)?$/);

/** as typed: the core normalises it, and refuses what is not one with a message key */
const Fingerprint = z.string().max(200);

export const VaultIntegritySchema = z.object({
  /** what this unlock did: unfinished writes removed, originals set aside, quarantined originals put back */
  opened: z.object({ partialFilesRemoved: z.number().int(), quarantined: QuarantineSummary, restored: z.number().int() }),
  /** everything in quarantine now */
  quarantine: QuarantineSummary,
  /** null unless the database is older than the last state recorded, and not yet acknowledged */
  rollback: RollbackFinding.nullable(),
});

export const VAULT_CHANNELS = {
  'vault.integrity': { request: z.object({}).strict(), response: VaultIntegritySchema },
  'vault.quarantine.list': { request: z.object({ inspect: z.boolean().optional() }).strict(), response: z.array(QuarantinedFile) },
  'vault.quarantine.reattach': {
    request: z.object({ quarantineId: QuarantineRef, caseId: Id, title: z.string().max(500).optional(), notes: z.string().max(20_000).optional() }).strict(),
    response: z.object({ item: ItemRecordSchema, duplicate: z.boolean(), quarantineId: z.string() }),
  },
  'vault.quarantine.discard': {
    request: z.object({ quarantineIds: z.array(QuarantineRef).min(1).max(10_000) }).strict(),
    response: z.object({ discarded: z.array(QuarantineEntry) }),
  },
  'vault.rollback.acknowledge': { request: z.object({}).strict(), response: z.object({ acknowledged: z.boolean(), recordedOn: z.number().int() }) },
  /** this vault's signing key (what its owner gives recipients and associations another way than the files) */
  'vault.key': { request: z.object({}).strict(), response: z.object({ fingerprint: z.string() }) },
  /** the vault keys this vault's owner recorded (an association: its volunteers'), told apart on bundle import */
  'vault.knownVaults.list': { request: z.object({}).strict(), response: z.array(KnownVaultSchema) },
  'vault.knownVaults.add': { request: z.object({ fingerprint: Fingerprint, label: z.string().max(KNOWN_VAULT_LABEL_MAX) }).strict(), response: KnownVaultSchema },
  'vault.knownVaults.remove': { request: z.object({ fingerprint: Fingerprint }).strict(), response: z.object({ removed: z.boolean() }) },
} as const;
