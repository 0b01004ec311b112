import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The portable core and the shared contract must run in plain Node (tests, CLI, benchmarks):
// only the host layer may touch Electron, and shared/ may touch neither Node nor the DOM.
const noElectron = { name: 'electron', message: 'The portable core must not import electron (see DEVELOPERS.md).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'renderer/dist/**', 'out/**', 'bench-results/**'] },
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
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [{ group: ['node:*', 'fs', 'path', 'crypto', 'os'], message: 'shared/ is pure: no Node APIs.' }] }],
    },
  },
);
