import { errorValue, type ErrorCode, type ErrorValue } from '../../shared/errors.js';

/** An expected failure with a user-facing message key; anything else is a bug and is reported as INTERNAL. */
export class RedressError extends Error {
  readonly value: ErrorValue;
  constructor(code: ErrorCode, params: Record<string, string | number> = {}, options?: { cause?: unknown }) {
    super(`${code}: ${JSON.stringify(params)}`, options);
    this.name = 'RedressError';
    this.value = errorValue(code, params);
  }
  get code(): ErrorCode {
    return this.value.code;
  }
}

/**
 * SQLite saying the database file is damaged or not a database at all (SQLITE_CORRUPT and its extended codes such as
 * SQLITE_CORRUPT_INDEX, SQLITE_NOTADB). Whatever statement ran into it, that is news about the vault, not a bug.
 * A binary that cannot load is never this: it fails before SQLite runs (native/native-error.ts).
 */
export function isDatabaseDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT_'));
}

/** A damaged-database failure as the VAULT_CORRUPT it is; anything else unchanged. */
export function asVaultError(err: unknown): unknown {
  if (err instanceof RedressError || !isDatabaseDamage(err)) return err;
  return new RedressError('VAULT_CORRUPT', { detail: `database: ${(err as Error).message}`.slice(0, 300) }, { cause: err });
}

export function toErrorValue(err: unknown): ErrorValue {
  if (err instanceof RedressError) return err.value;
  if (isDatabaseDamage(err)) return (asVaultError(err) as RedressError).value;
  const detail = err instanceof Error ? err.message : String(err);
  return errorValue('INTERNAL', { detail: detail.slice(0, 300) });
}
