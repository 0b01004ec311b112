#!/usr/bin/env node
// Starts the desktop app with Electron once it is installed; until then (or where Electron's binary could not be
// downloaded) it says so and points at the CLI, which works on the same vault.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
let electronPath = null;
try {
  electronPath = require('electron');
} catch {
  electronPath = null;
}
const main = fileURLToPath(new URL('../dist/electron/host/main.js', import.meta.url));
if (typeof electronPath !== 'string' || !existsSync(electronPath) || !existsSync(main)) {
  console.error('The Redress desktop app needs Electron, which is not installed here.');
  console.error('Install it with "npm install" on a machine that can reach GitHub releases, or use the CLI meanwhile: npx redress --help');
  process.exit(1);
}
const child = spawn(electronPath, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
