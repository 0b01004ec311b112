import { RedressError } from '../errors.js';
import type { VerifyReport } from './problems.js';
import type { VerifyOptions } from './verify-case.js';

interface Verifiable {
  verify(caseId?: string, options?: VerifyOptions): Promise<VerifyReport>;
}

/**
 * What leaves the vault (a packet, a bundle) prints the rows, so the rows must be what the chain vouches for: the
 * chain, every case, item, import and record row and every flag are checked first (the stored originals are hashed as
 * they are copied out). A case that fails is refused with the first failing check named, never printed as it is.
 */
export async function assertCaseVerified(vault: Verifiable, caseId: string, signal?: AbortSignal): Promise<void> {
  const report = await vault.verify(caseId, { chainOnly: true, ...(signal ? { signal } : {}) });
  if (report.ok) return;
  const problems = [...report.problems, ...report.cases.flatMap((c) => c.problems)];
  const first = problems[0];
  throw new RedressError('CASE_UNVERIFIED', { check: first?.kind ?? 'unknown', problems: problems.length, ...(first ? { detail: first.detail } : {}) });
}
