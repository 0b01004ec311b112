import { RedressError } from '../errors.js';

/**
 * Failures that mean the installed binary cannot be loaded at all (missing, truncated, built for another system or
 * another Node ABI), as Node, node-gyp-build and `bindings` report them. None of them says anything about the
 * user's data, so they must never surface as a damaged vault.
 */
const LOAD_FAILURE_CODES = new Set(['ERR_DLOPEN_FAILED', 'MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND']);
const LOAD_FAILURE_TEXT = /NODE_MODULE_VERSION|Could not locate the bindings file|No native build was found|did not self-register|invalid ELF header|wrong ELF class|file too short|image not found|not a valid Win32 application|specified module could not be found|Could not load the "sharp" module/i;

export function isNativeLoadFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return false;
  return (typeof code === 'string' && LOAD_FAILURE_CODES.has(code)) || LOAD_FAILURE_TEXT.test(err.message);
}

/** "This installation is incomplete or built for another system: reinstall", naming the module for support. */
export function nativeModuleBroken(module: string, cause: unknown): RedressError {
  return new RedressError('NATIVE_MODULE_BROKEN', { module }, { cause });
}
