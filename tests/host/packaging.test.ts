// What electron-builder would put in each platform's package, resolved with the matcher it uses (minimatch) over the
// real built tree and the real production node_modules. The packager itself needs Electron's binary, which cannot
// be downloaded here, so this checks its configuration against the files instead.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
// both come with electron-builder (it reads its YAML with js-yaml and matches files with minimatch)
const yaml = require('js-yaml') as { load(text: string): unknown };
const minimatch = require('minimatch') as (path: string, pattern: string, options?: { dot?: boolean }) => boolean;

const root = fileURLToPath(new URL('../..', import.meta.url));
type Platform = 'linux' | 'win' | 'mac';
interface BuilderConfig {
  npmRebuild?: boolean;
  nodeGypRebuild?: boolean;
  buildDependenciesFromSource?: boolean;
  asar?: boolean;
  files?: string[];
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  linux: { files?: string[]; target: string[] };
  win: { files?: string[]; target: string };
  mac: { files?: string[]; target: string };
}
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(root, path).split(sep).join('/')];
  });
}

const appFiles = [...walk(join(root, 'dist')), ...walk(join(root, 'renderer', 'dist')), 'package.json', ...walk(join(root, 'electron')).slice(0, 50)];
const nativeDeps = [...walk(join(root, 'node_modules', 'better-sqlite3-multiple-ciphers')), ...walk(join(root, 'node_modules', '@img'))];

/** electron-builder's rule: app files must match a pattern; dependency files are in unless a negation excludes them. */
function shipped(platform: Platform): string[] {
  const patterns = config[platform].files ?? [];
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const excluded = (f: string) => negative.some((p) => minimatch(f, p, { dot: true }));
  return [...appFiles.filter((f) => positive.some((p) => minimatch(f, p, { dot: true }))), ...nativeDeps].filter((f) => !excluded(f));
}

describe('packaging (electron-builder.yml)', () => {
  it('needs a build to check against', () => {
    assert.ok(existsSync(join(root, 'dist/electron/host/main.js')), 'run npm run build first');
    assert.ok(existsSync(join(root, 'renderer/dist/index.html')), 'run npm run build first');
  });

  it('lists what ships per platform, with no top-level files list', () => {
    // electron-builder makes a platform `files` of excludes alone its main pattern list with an implicit "**/*" (the
    // whole project ships): so each platform names the app's files itself, and nothing is split across the levels
    assert.equal(config.files, undefined);
    for (const platform of ['linux', 'win', 'mac'] as const) assert.ok((config[platform].files ?? []).some((p) => !p.startsWith('!')), `${platform} lists what to include`);
  });

  it('never rebuilds a native module: the addons are N-API prebuilds', () => {
    assert.equal(config.npmRebuild, false);
    assert.equal(config.nodeGypRebuild, false);
    assert.equal(config.buildDependenciesFromSource, false);
  });

  for (const [platform, own] of [['linux', /^linux(musl)?-/], ['win', /^win32-/], ['mac', /^darwin-/]] as const) {
    it(`${platform}: the app, the core worker and the preload ship; tests, benchmarks and source maps do not; only its own SQLCipher prebuilds`, () => {
      const files = shipped(platform);
      for (const needed of ['package.json', 'dist/electron/host/main.js', 'dist/electron/host/preload.cjs', 'dist/electron/core/worker/core-worker.js', 'dist/electron/core/batch/worker.js', 'renderer/dist/index.html']) {
        assert.ok(files.includes(needed), `${needed} is missing from the ${platform} package`);
      }
      assert.deepEqual(files.filter((f) => f.startsWith('dist/tests/') || f.startsWith('electron/') || f.endsWith('.map')), []);
      const prebuilds = files.filter((f) => f.startsWith('node_modules/better-sqlite3-multiple-ciphers/prebuilds/')).map((f) => f.split('/').pop()!);
      assert.ok(prebuilds.length > 0, 'no SQLCipher prebuild ships');
      assert.deepEqual(prebuilds.filter((p) => !own.test(p)), [], `other platforms' prebuilds in the ${platform} package`);
      assert.deepEqual(files.filter((f) => /better-sqlite3-multiple-ciphers\/(src|deps)\//.test(f)), [], 'SQLCipher sources ship');
    });
  }

  it('every native addon that ships is unpacked from the asar (dlopen cannot read inside it)', () => {
    assert.equal(config.asar, true);
    const natives = shipped('linux').filter((f) => f.endsWith('.node'));
    assert.ok(natives.length >= 2, natives.join(', '));
    for (const f of natives) assert.ok(config.asarUnpack.some((p) => minimatch(f, p, { dot: true })), `${f} would stay inside app.asar`);
    assert.ok(config.asarUnpack.some((p) => minimatch('node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.42', p, { dot: true })), "sharp's libvips stays beside its addon");
  });

  it('packaged builds flip the fuses that would let anyone run the app as plain Node or debug it', () => {
    const f = config.electronFuses;
    assert.equal(f.runAsNode, false, 'ELECTRON_RUN_AS_NODE would turn the app into a Node shell');
    assert.equal(f.enableNodeOptionsEnvironmentVariable, false, 'NODE_OPTIONS could inject code');
    assert.equal(f.enableNodeCliInspectArguments, false, '--inspect would open a debugger on the vault');
    assert.equal(f.enableEmbeddedAsarIntegrityValidation, true);
    assert.equal(f.onlyLoadAppFromAsar, true);
    assert.equal(f.enableCookieEncryption, true);
    assert.equal(f.grantFileProtocolExtraPrivileges, false, 'the app never uses file://');
  });

  it('builds AppImage and deb, NSIS, DMG', () => {
    assert.deepEqual(config.linux.target, ['AppImage', 'deb']);
    assert.equal(config.win.target, 'nsis');
    assert.equal(config.mac.target, 'dmg');
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    assert.match(pkg.scripts.dist ?? '', /electron-builder/);
    assert.ok(pkg.devDependencies['electron-builder']);
  });
});
