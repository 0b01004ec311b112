import type { ErrorCode } from '../../shared/errors.js';

/** Documented in the README; scripts depend on them, so they never change meaning. */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  PASSPHRASE: 3,
  NOT_FOUND: 4,
  VERIFY_FAILED: 5,
  VAULT: 6,
  INPUT: 7,
  INSTALLATION: 8,
  CANCELLED: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'USAGE':
    case 'INVALID_INPUT':
      return EXIT.USAGE;
    case 'WRONG_PASSPHRASE':
    case 'WRONG_RECOVERY_CODE':
    case 'PASSPHRASE_REQUIRED':
    case 'PASSPHRASE_WEAK':
    case 'PASSPHRASE_MISMATCH':
      return EXIT.PASSPHRASE;
    case 'CASE_NOT_FOUND':
    case 'CASE_AMBIGUOUS':
    case 'ITEM_NOT_FOUND':
    case 'ITEM_AMBIGUOUS':
    case 'QUARANTINE_NOT_FOUND':
    case 'QUARANTINE_AMBIGUOUS':
      return EXIT.NOT_FOUND;
    case 'VAULT_NOT_FOUND':
    case 'VAULT_EXISTS':
    case 'VAULT_BUSY':
    case 'VAULT_CORRUPT':
    case 'VAULT_DB_MISSING':
    case 'VAULT_DB_EMPTY':
    case 'VAULT_KEYFILE_DAMAGED':
    case 'VAULT_KEYFILE_MISSING':
    case 'VAULT_LOCKED':
    case 'CAPTURE_UNAVAILABLE':
      return EXIT.VAULT;
    case 'NATIVE_MODULE_BROKEN':
      return EXIT.INSTALLATION;
    case 'FILE_UNREADABLE':
    case 'BUNDLE_WRONG_PASSPHRASE':
    case 'BUNDLE_DAMAGED':
    case 'BUNDLE_INVALID':
    case 'BUNDLE_CONFLICT':
    case 'BUNDLE_SIGNER_CHANGED':
    case 'OUTPUT_UNWRITABLE':
    case 'IMPORT_FORMAT_UNKNOWN':
    case 'IMPORT_PARSE_FAILED':
    case 'IMPORT_TOO_LARGE':
    case 'IMPORT_UNSAFE':
    case 'IMPORT_LIMIT':
    case 'IMPORT_SOURCE_CHANGED':
    case 'IMPORT_PROFILE_REQUIRED':
      return EXIT.INPUT;
    case 'RECORD_NOT_FOUND':
    case 'RECIPIENT_NOT_FOUND':
      return EXIT.NOT_FOUND;
    case 'PACKET_INVALID':
    case 'TIMESTAMP_OFF':
    case 'TIMESTAMP_REFUSED':
      return EXIT.INPUT;
    case 'TIMESTAMP_UNREACHABLE':
      return EXIT.INPUT;
    case 'CASE_UNVERIFIED':
      return EXIT.VERIFY_FAILED;
    case 'CANCELLED':
      return EXIT.CANCELLED;
    case 'INTERNAL':
      return EXIT.INTERNAL;
  }
}
