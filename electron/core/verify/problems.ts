// The report's shapes are defined once, in shared/custody.ts, where the UI reads them too.
export type { CaseReport, Problem, ProblemKind, VerifyReport, Warning } from '../../../shared/custody.js';
