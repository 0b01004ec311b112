import { existsSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers and who may import whom are written down in docs/layout.md. Every rule below enforces a line of it, so
// every message points there. In short: renderer/ -> shared/ only; shared/ -> nothing of ours; electron/core/ and
// electron/cli/ run in plain Node (no electron, no host/); a core folder's index.ts is its public face.
const SEE = 'See docs/layout.md.';

const NODE_BUILTINS = builtinModules.filter((m) => !m.startsWith('node:') && !m.startsWith('_'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names) => `(?:${names.map(escape).join('|')})`;
/** Packages the UI may use (the renderer is a sandboxed page: no Node, no Electron). Add one here when the UI needs it. */
// @zxcvbn-ts/*: the passphrase estimator (shared/passphrase-strength.ts imports it lazily; its dictionaries are a chunk of their own).
const UI_PACKAGES = ['react', 'react-dom', 'i18next', 'react-i18next', '@tanstack/react-virtual', 'zod', 'date-fns', '@date-fns/tz', '@zxcvbn-ts/core', '@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en'];

const electronPackage = (who) => ({ regex: '^electron(?:/.*)?$', message: `${who} must not import electron: only electron/host/ runs inside Electron. ${SEE}` });
const nodeApis = (who) => ({ regex: `^(?:node:.*|${anyOf(NODE_BUILTINS)}(?:/.*)?)$`, message: `${who} must not use Node APIs. ${SEE}` });
/** A relative import that passes through one of these folders: '../../electron/core/vault/vault.js', '../host/app.js'. */
const into = (folders, message) => ({ regex: `^\\.{1,2}/(?:.*/)?${anyOf(folders)}(?:/|$)`, message: `${message} ${SEE}` });

// "A folder's index.ts is its public face": every folder of electron/core/ that has an index.ts, found here so that a
// new one is covered as soon as it gets its index. Files inside the folder import each other freely; tests/ may reach in.
const CORE_DIR = join(import.meta.dirname, 'electron/core');
const FACED = readdirSync(CORE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CORE_DIR, d.name, 'index.ts')))
  .map((d) => d.name);
const deepInto = (folder) => ({
  regex: `^\\.{1,2}/(?:\\.\\./)*(?:(?:electron/)?core/)?${escape(folder)}/(?!index\\.js$)`,
  message: `Import electron/core/${folder}/ through its public face '${folder}/index.js' (export what you need from there), not one of its files. ${SEE}`,
});
const faces = (except) => FACED.filter((f) => f !== except).map(deepInto);

// Node loads a package's whole barrel: date-fns's peaks at ~450 MB and ~7 s in a worker. Import its functions' own files.
const DATE_FNS_BARREL = { regex: '^date-fns$', message: "Import date-fns functions from their own files ('date-fns/format'), not the barrel: loading all of it costs ~450 MB." };

const CORE = [
  electronPackage('The portable core'),
  DATE_FNS_BARREL,
  into(['renderer'], 'The core must not import the renderer: the UI reaches the core only through the IPC contract in shared/ipc/.'),
  into(['host', 'cli'], 'The core must not import electron/host/ or electron/cli/: they import the core, not the other way round.'),
];
// The vault's two layers (this keeps vault/ <-> items|cases|verify from becoming an import cycle): vault/vault.ts and
// its read-only view vault/reader.ts compose the stores; the rest of vault/ is the storage under them and imports none.
// vault/change-passphrase.ts works on an open Vault and applies the passphrase rule (electron/core/passphrase-policy.ts),
// so it sits beside the facade.
const VAULT_STORAGE = {
  regex: '^\\.\\./(?!errors\\.js$|native/)',
  message: `vault/'s storage (database, keys, objects, sealed files, lock) sits under cases/, items/, custody/ and verify/: only vault/vault.ts and vault/reader.ts compose them. ${SEE}`,
};
const NO_VAULT_FACADE = {
  regex: '^\\.{1,2}/(?:\\.\\./)*vault/(?:vault|reader)\\.js$',
  message: `The stores take a VaultContext (electron/core/context.ts), never the Vault (or VaultReader) that composes them: that would be an import cycle. ${SEE}`,
};
const UNDER_VAULT = ['cases', 'items', 'verify', 'custody', 'records', 'profile'];

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/dist/**', 'out/**', 'bench-results/**', 'dist-bench/**', '.tmp/**', 'reports/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,ts,tsx}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // A later block replaces an earlier block's no-restricted-imports for the files both match, so each block lists all
  // of its layer's restrictions.
  {
    files: ['shared/**/*.ts'],
    rules: restrict([
      electronPackage('shared/'),
      nodeApis('shared/ is pure: it'),
      DATE_FNS_BARREL,
      into(['electron', 'renderer'], 'shared/ imports nothing from electron/ or renderer/: both import it.'),
    ]),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: restrict([
      electronPackage('The renderer'),
      nodeApis('The renderer (a sandboxed page)'),
      into(['electron', 'tests', 'scripts'], 'The renderer imports only shared/ and its own files: it reaches the core through window.redress and the IPC contract in shared/ipc/.'),
      {
        regex: `^(?![./])(?!${anyOf(UI_PACKAGES)}(?:/|$))(?!electron(?:/|$))(?!node:)(?!${anyOf(NODE_BUILTINS)}(?:/|$))`,
        message: `Not a UI package: the renderer may import ${UI_PACKAGES.join(', ')} (the list is in eslint.config.js). ${SEE}`,
      },
    ]),
  },
  { files: ['electron/core/**/*.ts'], rules: restrict([...CORE, ...faces()]) },
  ...FACED.map((f) => ({ files: [`electron/core/${f}/**/*.ts`], rules: restrict([...CORE, ...faces(f)]) })),
  { files: ['electron/core/vault/**/*.ts'], ignores: ['electron/core/vault/vault.ts', 'electron/core/vault/reader.ts', 'electron/core/vault/change-passphrase.ts'], rules: restrict([...CORE, ...faces(), VAULT_STORAGE]) },
  ...UNDER_VAULT.map((f) => ({ files: [`electron/core/${f}/**/*.ts`], rules: restrict([...CORE, ...faces(f), NO_VAULT_FACADE]) })),
  { files: ['electron/core/context.ts', 'electron/core/resolve-ref.ts'], rules: restrict([...CORE, ...faces(), NO_VAULT_FACADE]) },
  {
    files: ['electron/cli/**/*.ts'],
    rules: restrict([
      electronPackage('The CLI'),
      DATE_FNS_BARREL,
      into(['renderer'], 'The CLI must not import the renderer.'),
      into(['host'], 'The CLI must not import electron/host/: it runs in plain Node, without Electron.'),
      ...faces(),
    ]),
  },
  {
    files: ['electron/host/**/*.{ts,cts}'],
    rules: restrict([
      into(['renderer'], 'The host serves renderer/dist as files and talks to it over IPC: it never imports renderer/.'),
      into(['cli'], 'The host must not import electron/cli/.'),
      ...faces(),
    ]),
  },
);
