// Mutation testing (StrykerJS) of the modules whose checks must each have a test that fails without them: verify,
// custody, bundle import and packet masking (issue 13). Not part of `npm test`: a full run takes about an hour.
//
//   npm run mutate                      every group below
//   MUTATE=verify,custody npm run mutate   some of them (names: verify, custody, bundles, masking)
//
// Stryker copies the project to a sandbox per worker, activates one mutant at a time and runs the command below
// (the command runner: Node's own test runner through tsx, as `npm test` does). The command runs only the test files
// that exercise the selected modules, fast ones first, each batch in one process (--test-isolation=none, top-level
// suites four at a time), on tmpfs when there is one, and stops at the first failing test
// (tests/helpers/bail-reporter.mjs): a killed mutant costs one failing test, not the suite. POSIX shell.
// Reports: .tmp/mutation/index.html and mutation.json.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Per group: fast tests (run first, alone: most mutants die there in a second or two) and the rest.
const VERIFY_UNIT = ['tests/unit/custody-payloads.test.ts', 'tests/unit/verify-gate.test.ts', 'tests/unit/verify-chain.test.ts', 'tests/unit/verify-database.test.ts', 'tests/unit/records-digest.test.ts', 'tests/unit/custody-entry.test.ts', 'tests/unit/custody-chain.test.ts'];
const VERIFY_REST = [
  'tests/integration/refuse-unverified.test.ts',
  'tests/integration/custody-actions.test.ts',
  'tests/integration/verify-items.test.ts',
  'tests/integration/verify-records.test.ts',
  'tests/integration/verify-database.test.ts',
  'tests/integration/verify-legacy-digest.test.ts',
  'tests/integration/tamper.test.ts',
  'tests/integration/vault.test.ts',
  'tests/native/legacy-vault.test.ts',
];
// hostile-caps.test.ts is left out: its peak-memory checks need a process of their own (here all run in one).
const BUNDLE_TESTS = ['tests/bundles/limits.test.ts', 'tests/bundles/check-survivors.test.ts', 'tests/bundles/hostile-ids.test.ts', 'tests/bundles/hostile-rows.test.ts', 'tests/bundles/bundle.test.ts', 'tests/bundles/records.test.ts'];

const GROUPS = {
  verify: { mutate: ['electron/core/verify/**/*.ts'], unit: VERIFY_UNIT, rest: VERIFY_REST },
  custody: { mutate: ['electron/core/custody/**/*.ts'], unit: VERIFY_UNIT, rest: VERIFY_REST },
  bundles: { mutate: ['electron/core/bundles/import.ts', 'electron/core/bundles/check.ts', 'electron/core/bundles/limits.ts'], unit: [], rest: BUNDLE_TESTS },
  masking: { mutate: ['electron/core/packets/masking.ts', 'shared/pii-numbers.ts'], unit: ['tests/unit/pii-numbers.test.ts', 'tests/packets/masking.test.ts', 'tests/packets/units.test.ts'], rest: [] },
};

const names = (process.env.MUTATE ?? Object.keys(GROUPS).join(','))
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of names) if (!(name in GROUPS)) throw new Error(`MUTATE: unknown group ${name} (known: ${Object.keys(GROUPS).join(', ')})`);
const selected = names.map((n) => GROUPS[n]);
const union = (key) => [...new Set(selected.flatMap((g) => g[key]))];
const fast = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const nodeTest = (files) => `TZ=Asia/Shanghai node --import tsx --test --test-isolation=none --test-concurrency=4 --test-reporter=./tests/helpers/bail-reporter.mjs ${files.join(' ')}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: {
    // Each run gets a TMPDIR of its own, removed when it ends: the command runner sets no worker number, and a folder
    // shared by the two workers, emptied at the start of each run, deleted the other worker's vaults mid-test, so
    // unrelated ENOENTs counted as kills (211 of 501 in one run of check.ts).
    command: [
      `export TMPDIR="$(mktemp -d ${fast}/redress-mutant-XXXXXX)"`,
      `trap 'rm -rf "$TMPDIR"' EXIT`,
      ...[union('unit'), union('rest')].filter((files) => files.length).map(nodeTest),
    ].join(' && '),
  },
  mutate: [...new Set(selected.flatMap((g) => g.mutate))],
  coverageAnalysis: 'off',
  inPlace: false,
  // two cores: one worker each
  concurrency: 2,
  // a mutant that makes a loop endless or a wait never end: the suite takes 15–30 s on this machine
  timeoutFactor: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: '.tmp/mutation/index.html' },
  jsonReporter: { fileName: '.tmp/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  // outside the checkout, so that an interrupted run leaves nothing for eslint or git to find
  tempDirName: join(fast, 'redress-stryker'),
  cleanTempDir: 'always',
  ignorePatterns: ['dist', 'dist-bench', 'renderer/dist', 'out', 'bench-results', 'screenshots', '.tmp'],
};
