import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

/** The `electronFuses:` block of electron-builder.yml as key -> value (a flat block of `key: bool` lines). */
async function fuses(): Promise<Record<string, string>> {
  const yml = await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
  const lines = yml.split(/\r?\n/);
  const start = lines.findIndex((l) => /^electronFuses:\s*$/.test(l));
  assert.ok(start >= 0, 'electron-builder.yml has an electronFuses block');
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    if (/^\s*#/.test(line)) continue;
    const m = /^\s+([A-Za-z0-9]+):\s*(\S+)\s*$/.exec(line);
    if (!m) break;
    out[m[1]!] = m[2]!;
  }
  return out;
}

test('packaged builds flip the Electron fuses that would let anyone run the app as plain Node or debug it', async () => {
  const f = await fuses();
  assert.equal(f.runAsNode, 'false', 'ELECTRON_RUN_AS_NODE would turn the app into a Node shell');
  assert.equal(f.enableNodeOptionsEnvironmentVariable, 'false', 'NODE_OPTIONS could inject code');
  assert.equal(f.enableNodeCliInspectArguments, 'false', '--inspect would open a debugger on the vault');
  assert.equal(f.enableEmbeddedAsarIntegrityValidation, 'true');
  assert.equal(f.onlyLoadAppFromAsar, 'true');
  assert.equal(f.enableCookieEncryption, 'true');
  assert.equal(f.grantFileProtocolExtraPrivileges, 'false', 'the app never uses file://');
});

test('the package ships only the built app, inside an asar archive', async () => {
  const yml = await readFile(new URL('../../electron-builder.yml', import.meta.url), 'utf8');
  assert.match(yml, /^asar:\s*true\s*$/m);
  const files = /^files:\s*\n((?:\s+-\s+.+\n)+)/m.exec(yml)?.[1] ?? '';
  const entries = files.split('\n').map((l) => l.replace(/^\s+-\s+/, '').trim()).filter(Boolean);
  assert.deepEqual(entries.sort(), ['dist/**', 'package.json', 'renderer/dist/**']);
});
