/**
 * Errors that cross a boundary (IPC, CLI, JSON output) are values: a stable code, the i18n key of the
 * message a user reads, and parameters for that message. Never a stack trace.
 */
export const ERROR_CODES = {
  USAGE: 'errors.usage',
  VAULT_NOT_FOUND: 'errors.vaultNotFound',
  VAULT_EXISTS: 'errors.vaultExists',
  VAULT_BUSY: 'errors.vaultBusy',
  VAULT_CORRUPT: 'errors.vaultCorrupt',
  VAULT_DB_MISSING: 'errors.vaultDbMissing',
  VAULT_DB_EMPTY: 'errors.vaultDbEmpty',
  VAULT_KEYFILE_DAMAGED: 'errors.vaultKeyfileDamaged',
  VAULT_KEYFILE_MISSING: 'errors.vaultKeyfileMissing',
  QUARANTINE_NOT_FOUND: 'errors.quarantineNotFound',
  QUARANTINE_AMBIGUOUS: 'errors.quarantineAmbiguous',
  NATIVE_MODULE_BROKEN: 'errors.nativeModuleBroken',
  WRONG_PASSPHRASE: 'errors.wrongPassphrase',
  WRONG_RECOVERY_CODE: 'errors.wrongRecoveryCode',
  PASSPHRASE_REQUIRED: 'errors.passphraseRequired',
  PASSPHRASE_WEAK: 'errors.passphraseWeak',
  PASSPHRASE_MISMATCH: 'errors.passphraseMismatch',
  CASE_NOT_FOUND: 'errors.caseNotFound',
  CASE_AMBIGUOUS: 'errors.caseAmbiguous',
  ITEM_NOT_FOUND: 'errors.itemNotFound',
  ITEM_AMBIGUOUS: 'errors.itemAmbiguous',
  FILE_UNREADABLE: 'errors.fileUnreadable',
  INVALID_INPUT: 'errors.invalidInput',
  CANCELLED: 'errors.cancelled',
  IMPORT_FORMAT_UNKNOWN: 'errors.importFormatUnknown',
  IMPORT_PARSE_FAILED: 'errors.importParseFailed',
  IMPORT_TOO_LARGE: 'errors.importTooLarge',
  IMPORT_UNSAFE: 'errors.importUnsafe',
  IMPORT_LIMIT: 'errors.importLimit',
  IMPORT_SOURCE_CHANGED: 'errors.importSourceChanged',
  IMPORT_PROFILE_REQUIRED: 'errors.importProfileRequired',
  RECORD_NOT_FOUND: 'errors.recordNotFound',
  BUNDLE_WRONG_PASSPHRASE: 'errors.bundleWrongPassphrase',
  BUNDLE_DAMAGED: 'errors.bundleDamaged',
  BUNDLE_INVALID: 'errors.bundleInvalid',
  BUNDLE_CONFLICT: 'errors.bundleConflict',
  BUNDLE_SIGNER_CHANGED: 'errors.bundleSignerChanged',
  OUTPUT_UNWRITABLE: 'errors.outputUnwritable',
  INTERNAL: 'errors.internal',
  VAULT_LOCKED: 'errors.vaultLocked',
  CAPTURE_UNAVAILABLE: 'errors.captureUnavailable',
  RECIPIENT_NOT_FOUND: 'errors.recipientNotFound',
  PACKET_INVALID: 'errors.packetInvalid',
  CASE_UNVERIFIED: 'errors.caseUnverified',
  TIMESTAMP_OFF: 'errors.timestampOff',
  TIMESTAMP_UNREACHABLE: 'errors.timestampUnreachable',
  TIMESTAMP_REFUSED: 'errors.timestampRefused',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorValue {
  code: ErrorCode;
  messageKey: (typeof ERROR_CODES)[ErrorCode];
  params: Record<string, string | number>;
}

export function errorValue(code: ErrorCode, params: Record<string, string | number> = {}): ErrorValue {
  return { code, messageKey: ERROR_CODES[code], params };
}
