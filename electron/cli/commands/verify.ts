import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export async function verifyCommand(caseRef: string | undefined, opts: GlobalOptions, out: Output): Promise<number> {
  return withVault(opts, out, async (vault) => {
    const caseId = caseRef ? vault.cases.resolve(caseRef) : undefined;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let report;
    try {
      report = await vault.reader.verify(caseId, { signal: controller.signal });
    } finally {
      process.off('SIGINT', onSigint);
    }
    out.result(report);
    const problems = [...report.problems, ...report.cases.flatMap((c) => c.problems)];
    const entries = report.cases.reduce((a, c) => a + c.entries, 0);
    const items = report.cases.reduce((a, c) => a + c.items, 0);
    for (const c of report.cases) for (const w of c.warnings) out.line(out.t('cli.clockWarning', { detail: `${c.caseId.slice(0, 8)}: ${w.detail}` }));
    if (report.ok) {
      out.line(out.t('cli.verifyOk', { cases: report.cases.length, entries, items }));
      return EXIT.OK;
    }
    out.line(out.t('cli.verifyFailed', { count: problems.length }));
    // Each problem by its label and place in the user's language; the core's detail is English, so it is printed only
    // there (every language gets it in --json).
    for (const p of problems) {
      const where = [
        out.t('cli.verifyWhere.case', { id: p.caseId.slice(0, 8) }),
        p.itemId ? out.t('cli.verifyWhere.item', { id: p.itemId }) : '',
        p.seq !== undefined ? out.t('cli.verifyWhere.entry', { seq: p.seq }) : '',
      ].filter(Boolean).join(' ');
      out.line(out.t('cli.verifyProblem', { label: out.t(`problem.${p.kind}`, { defaultValue: p.kind }), where, detail: p.detail }));
    }
    return EXIT.VERIFY_FAILED;
  });
}
