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

export function toErrorValue(err: unknown): ErrorValue {
  if (err instanceof RedressError) return err.value;
  const detail = err instanceof Error ? err.message : String(err);
  return errorValue('INTERNAL', { detail: detail.slice(0, 300) });
}
