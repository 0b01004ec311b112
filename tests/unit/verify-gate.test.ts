// The gate before a packet or bundle (electron/core/verify/gate.ts): what it asks verify for, and what it says when
// a case fails. The real verify behind it is exercised in tests/integration/refuse-unverified.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RedressError } from '../../electron/core/errors.js';
import { assertCaseVerified } from '../../electron/core/verify/gate.js';
import type { VerifyReport } from '../../electron/core/verify/problems.js';
import type { VerifyOptions } from '../../electron/core/verify/verify-case.js';

const fake = (report: Partial<VerifyReport>) => {
  const calls: { caseId?: string; options?: VerifyOptions }[] = [];
  return { calls, verify: async (caseId?: string, options?: VerifyOptions) => (calls.push({ caseId, options }), { ok: false, problems: [], cases: [], ...report } as VerifyReport) };
};

describe('assertCaseVerified', () => {
  it('asks for the chain and rows of that case only (originals are hashed as they are copied out), passing the signal on', async () => {
    const vault = fake({ ok: true });
    const signal = new AbortController().signal;
    await assertCaseVerified(vault, 'c1', signal);
    await assertCaseVerified(vault, 'c2');
    assert.deepEqual(vault.calls, [{ caseId: 'c1', options: { chainOnly: true, signal } }, { caseId: 'c2', options: { chainOnly: true } }]);
  });

  it('a failing report with no problem listed still refuses, naming the check "unknown"', async () => {
    await assert.rejects(assertCaseVerified(fake({ ok: false }), 'c'), (err: unknown) => {
      assert.ok(err instanceof RedressError && err.code === 'CASE_UNVERIFIED');
      assert.deepEqual(err.value.params, { check: 'unknown', problems: 0 });
      return true;
    });
  });
});
