// What `npm run dist` would put in each platform's package, resolved by electron-builder itself. The packager cannot
// run here (it downloads Electron's binary first), so this drives electron-builder 26's own Packager over the real
// project (the built dist/ and renderer/dist/, the real production node_modules) with its packaging step stopped
// before anything is downloaded or written: electron-builder.yml is loaded and schema-checked by electron-builder,
// and its copyAppFiles runs as in a real build (the `files` matchers, the node_modules it collects from `npm ls`,
// asarUnpack and its own smart unpacking); only the final asar write is replaced by recording what would go in it.
// Needs `npm run build` first (npm test builds before it runs the tests). PACKAGING_TEST_CONFIG=<file.yml> checks
// another configuration instead of electron-builder.yml (to see an assertion fail on a broken one).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type * as ElectronBuilder from 'electron-builder';
import type { Arch as ArchEnum, Configuration, PackagerOptions, Platform as PlatformType } from 'electron-builder';
import type { ElectronApi } from '../../electron/host/electron-api.js';
import { createMainWindow } from '../../electron/host/window.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
// electron-builder is the devDependency; app-builder-lib (its engine) and @electron/fuses come with it and are loaded
// from electron-builder's own location, so the AsarPackager patched below is the one its Packager uses.
const builder = require('electron-builder') as typeof ElectronBuilder;
const { Arch, Packager, Platform, LinuxPackager, WinPackager, MacPackager } = builder;
// a require rooted at app-builder-lib/out/index.js: its modules are ./asar/asarUtil.js, ./fileMatcher.js
const engineRequire = createRequire(createRequire(require.resolve('electron-builder')).resolve('app-builder-lib'));
const { AsarPackager } = engineRequire('./asar/asarUtil.js') as { AsarPackager: { prototype: { executeElectronAsar(streams: AsarEntry[]): Promise<void> } } };
const { FileMatcher } = engineRequire('./fileMatcher.js') as {
  FileMatcher: new (from: string, to: string, expand: (s: string) => string, patterns: string[]) => { createFilter(): (file: string, stat: Pick<Stats, 'isDirectory'>) => boolean };
};
const { FuseV1Options } = engineRequire('@electron/fuses') as { FuseV1Options: Record<string, number | string> };

/** One entry of the asar archive as electron-builder's AsarPackager computed it. */
interface AsarEntry {
  path: string;
  type: 'file' | 'directory' | 'link';
  unpacked: boolean;
  stat?: { size: number };
}
/** The parts of PlatformPackager this drives that its typings keep private. */
interface PackagerInternals {
  computeAppOutDir(outDir: string, arch: ArchEnum): string;
  createGetFileMatchersOptions(outDir: string, arch: ArchEnum, options: unknown): { macroExpander: (pattern: string) => string };
  computeAsarOptions(options: unknown): Promise<unknown>;
  copyAppFiles(tasks: unknown, asar: unknown, resourcesPath: string, destination: string, context: unknown, options: unknown, exclude: unknown[], expand: (s: string) => string): void;
  generateFuseConfig(fuses: unknown): Promise<Record<string, unknown>>;
  platformSpecificBuildOptions: unknown;
}
interface Shipped {
  /** <platform>-<arch> as Node names them: linux-x64, win32-x64, darwin-arm64 */
  target: string;
  /** Paths inside the app (app.asar and app.asar.unpacked), with / separators. */
  files: Map<string, { unpacked: boolean; size: number }>;
  fuses: Record<string, unknown>;
  targets: string[];
}

const TARGETS: [PlatformType, ArchEnum][] = [
  [Platform.LINUX, Arch.x64],
  [Platform.LINUX, Arch.arm64],
  [Platform.WINDOWS, Arch.x64],
  [Platform.MAC, Arch.x64],
  [Platform.MAC, Arch.arm64],
];
const nodeTarget = (platform: PlatformType, arch: ArchEnum) => `${platform.nodeName}-${Arch[arch]}`;

/** Runs electron-builder's Packager for each target in TARGETS, stopping its platform packager at the asar write. */
async function resolveWithElectronBuilder(outDir: string): Promise<{ config: Configuration; shipped: Shipped[] }> {
  const shipped: Shipped[] = [];
  const pending = new Map<string, Omit<Shipped, 'files'>>();
  const { executeElectronAsar } = AsarPackager.prototype;
  AsarPackager.prototype.executeElectronAsar = async function record(this: { outFile: string }, streams: AsarEntry[]) {
    const meta = pending.get(this.outFile);
    assert.ok(meta, `unexpected asar ${this.outFile}`);
    const files = new Map(streams.filter((s) => s.type !== 'directory').map((s) => [s.path.split(sep).join('/'), { unpacked: s.unpacked, size: s.stat?.size ?? 0 }]));
    shipped.push({ ...meta, files });
  };
  const factory: NonNullable<PackagerOptions['platformPackagerFactory']> = (info, platform) => {
    const Base = platform === Platform.LINUX ? LinuxPackager : platform === Platform.WINDOWS ? WinPackager : MacPackager;
    const packager = new Base(info);
    const internals = packager as unknown as PackagerInternals;
    // PlatformPackager.doPack, minus the Electron download, the rebuild, extra files, fuses and signing.
    const pack: typeof packager.pack = async (out, arch, targets, tasks) => {
      const appOutDir = internals.computeAppOutDir(out, arch);
      const resourcesPath = join(appOutDir, 'resources');
      const { macroExpander } = internals.createGetFileMatchersOptions(out, arch, internals.platformSpecificBuildOptions);
      const asarOptions = await internals.computeAsarOptions(internals.platformSpecificBuildOptions);
      assert.ok(asarOptions, 'asar is on');
      pending.set(join(resourcesPath, 'app.asar'), {
        target: nodeTarget(platform, arch),
        fuses: await internals.generateFuseConfig(packager.config.electronFuses),
        targets: [(internals.platformSpecificBuildOptions as { target?: string | string[] }).target ?? []].flat(),
      });
      const context = { appOutDir, outDir: out, arch, targets, packager, electronPlatformName: platform.nodeName };
      internals.copyAppFiles(tasks, asarOptions, resourcesPath, join(resourcesPath, 'app'), context, internals.platformSpecificBuildOptions, [], macroExpander);
      await tasks.awaitTasks();
    };
    packager.pack = pack;
    return packager;
  };
  const override = process.env.PACKAGING_TEST_CONFIG;
  // electron-builder logs every step to stdout: keep it for the failure message instead.
  const logger = builder.log as unknown as { stream: { write(s: string): boolean } };
  const { stream } = logger;
  let logged = '';
  logger.stream = { write: (s: string) => ((logged += s), true) };
  let config: Configuration | undefined;
  try {
    // one Packager per target, side by side (a Packager packs its targets one after the other)
    await Promise.all(
      TARGETS.map(async ([platform, arch]) => {
        const targets = new Map([[platform, new Map([[arch, ['dir']]])]]);
        const directories = { output: join(outDir, nodeTarget(platform, arch)) };
        const options: PackagerOptions = { projectDir: root, targets, config: override ? { extends: resolve(override), directories } : { directories }, platformPackagerFactory: factory };
        const packager = new Packager(options);
        await packager.build();
        config ??= packager.config;
      }),
    );
  } catch (err) {
    throw new Error(`electron-builder failed: ${(err as Error).stack}\n${logged}`, { cause: err });
  } finally {
    logger.stream = stream;
    AsarPackager.prototype.executeElectronAsar = executeElectronAsar;
  }
  return { config: config!, shipped: shipped.sort((a, b) => a.target.localeCompare(b.target)) };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [relative(root, path).split(sep).join('/')];
  });
}
const isNative = (file: string) => /\.(node|dll|dylib|so)$|\.so\.\d/.test(file);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

describe('packaging: what electron-builder would ship on each platform', { timeout: 300_000 }, () => {
  let outDir: string | undefined;
  let config: Configuration;
  let shipped: Shipped[];
  const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;

  before(async () => {
    for (const built of [main, 'renderer/dist/index.html']) assert.ok(existsSync(join(root, built)), `${built} is missing: run \`npm run build\` first`);
    outDir = mkdtempSync(join(tmpdir(), 'redress-dist-'));
    ({ config, shipped } = await resolveWithElectronBuilder(outDir));
    assert.deepEqual(
      shipped.map((s) => s.target),
      TARGETS.map(([p, a]) => nodeTarget(p, a)).sort(),
      'every target was packaged',
    );
  });
  after(() => outDir && rmSync(outDir, { recursive: true, force: true }));

  it('measures each package', (t) => {
    for (const s of shipped) {
      const files = [...s.files.values()];
      const unpacked = files.filter((f) => f.unpacked);
      const app = [...s.files].filter(([p]) => !p.startsWith('node_modules/'));
      const size = (list: { size: number }[]) => mb(list.reduce((n, f) => n + f.size, 0));
      t.diagnostic(
        `${s.target}: ${files.length} files, ${size(files)} (app ${app.length} files ${size(app.map(([, f]) => f))}; unpacked beside the asar ${unpacked.length} files ${size(unpacked)})`,
      );
    }
  });

  it('targets: AppImage and deb, NSIS, DMG', () => {
    for (const s of shipped) {
      const expected = s.target.startsWith('linux') ? ['AppImage', 'deb'] : s.target.startsWith('win32') ? ['nsis'] : ['dmg'];
      assert.deepEqual(s.targets, expected, s.target);
    }
  });

  it('the app part is the built app and nothing else, the same on every platform', () => {
    const allowed = /^(dist\/electron\/|dist\/shared\/|renderer\/dist\/|package\.json$)/;
    const expected = [...walk(join(root, 'dist', 'electron')), ...walk(join(root, 'dist', 'shared')), ...walk(join(root, 'renderer', 'dist')), 'package.json']
      .filter((f) => !/\.map$/.test(f))
      .sort();
    for (const s of shipped) {
      const app = [...s.files.keys()].filter((p) => !p.startsWith('node_modules/')).sort();
      const stray = app.filter((p) => !allowed.test(p));
      assert.deepEqual(stray, [], `${s.target} ships files from outside the built app (sources, tests, docs?): ${stray.slice(0, 10).join(', ')}`);
      assert.deepEqual(app, expected, `${s.target} ships exactly dist/electron, dist/shared, renderer/dist (without source maps) and package.json`);
    }
  });

  it('the main entry, the preload, the core worker and the renderer ship inside app.asar', () => {
    for (const s of shipped) {
      for (const file of [main, 'dist/electron/host/preload.cjs', 'dist/electron/core/worker/core-worker.js', 'renderer/dist/index.html']) {
        assert.ok(s.files.has(file), `${s.target} lacks ${file}`);
        assert.equal(s.files.get(file)!.unpacked, false, `${file} is inside app.asar`);
      }
    }
  });

  it('no test or benchmark code, no source maps, no TypeScript sources ship', () => {
    for (const s of shipped) {
      const paths = [...s.files.keys()];
      const tests = paths.filter((p) => !p.startsWith('node_modules/') && /(^|\/)(tests?|bench)\/|\.(bench|test)\./.test(p));
      assert.deepEqual(tests, [], `${s.target} ships test or benchmark code: ${tests.slice(0, 10).join(', ')}`);
      const sources = paths.filter((p) => /\.map$|\.[mc]?ts$/.test(p));
      assert.deepEqual(sources, [], `${s.target} ships source maps or TypeScript: ${sources.slice(0, 10).join(', ')}`);
    }
  });

  it('the UI packages are bundled into renderer/dist by vite, not shipped again in node_modules', () => {
    for (const s of shipped) {
      const ui = [...s.files.keys()].filter((p) => /^node_modules\/(react|react-dom|react-i18next|scheduler|@tanstack\/react-virtual)\//.test(p));
      assert.deepEqual(ui.slice(0, 5), [], `${s.target} ships UI packages in node_modules`);
    }
  });

  it('each platform ships only its own better-sqlite3 prebuild, and none of its C sources', () => {
    const dir = 'node_modules/better-sqlite3-multiple-ciphers/';
    const available = readdirSync(join(root, dir, 'prebuilds')).sort();
    assert.ok(available.length >= 8, `the package has prebuilds for every platform (${available.join(', ')})`);
    for (const s of shipped) {
      const prebuilds = [...s.files.keys()].filter((p) => p.startsWith(`${dir}prebuilds/`));
      assert.deepEqual(prebuilds, [`${dir}prebuilds/${s.target}.node`], `${s.target}: not another platform's, arch's or libc's`);
      assert.ok(s.files.has(`${dir}lib/index.js`), `${s.target} ships better-sqlite3's JavaScript`);
      const sources = [...s.files.keys()].filter((p) => p.startsWith(`${dir}deps/`) || p.startsWith(`${dir}src/`));
      assert.deepEqual(sources, [], `${s.target} ships better-sqlite3's C sources`);
    }
  });

  it("sharp: each platform ships only its own @img packages; this machine's native parts are there", () => {
    for (const s of shipped) {
      const own = new RegExp(`^node_modules/@img/(sharp-(libvips-)?${s.target}|colour)/`);
      const foreign = [...s.files.keys()].filter((p) => p.startsWith('node_modules/@img/') && !own.test(p));
      assert.deepEqual(foreign, [], s.target);
    }
    // npm installs sharp's platform packages (optional dependencies) for the machine it runs on only
    const host = shipped.find((s) => s.target === `${process.platform}-${process.arch}`);
    if (!host) return;
    const files = [...host.files.keys()];
    assert.ok(files.some((p) => new RegExp(`^node_modules/@img/sharp-${host.target}/lib/.*\\.node$`).test(p)), `${host.target} ships sharp's addon`);
    if (process.platform !== 'win32') {
      assert.ok(files.some((p) => p.startsWith(`node_modules/@img/sharp-libvips-${host.target}/lib/libvips`)), `${host.target} ships libvips`);
    }
  });

  it('every native file is unpacked beside the asar, by the asarUnpack patterns', () => {
    const patterns = [config.asarUnpack ?? []].flat();
    const unpack = new FileMatcher(root, join(root, 'out', 'app'), (p) => p, patterns).createFilter();
    const notDir = { isDirectory: () => false };
    let natives = 0;
    for (const s of shipped) {
      for (const [path, file] of s.files) {
        if (!isNative(path)) continue;
        natives++;
        assert.equal(file.unpacked, true, `${s.target}: ${path} would be inside app.asar, where dlopen cannot read it`);
        assert.ok(unpack(join(root, path), notDir), `${s.target}: ${path} is unpacked only by electron-builder's guesswork, not by asarUnpack (${patterns.join(', ')})`);
      }
    }
    assert.ok(natives >= shipped.length, 'every package has native files');
  });

  it('nothing is rebuilt: the addons are N-API prebuilds', () => {
    assert.equal(config.npmRebuild, false, 'npmRebuild would rebuild the addons against Electron (a download and a compiler)');
    assert.notEqual(config.nodeGypRebuild, true);
    assert.notEqual(config.buildDependenciesFromSource, true);
    assert.equal(config.asar, true);
  });

  it('the hardened fuses are flipped, exactly these', () => {
    const expected = {
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    };
    for (const s of shipped) {
      // electron-builder hands @electron/fuses { [FuseV1Options.X]: value, version, ... }: name the wires again
      const flipped = Object.fromEntries(
        Object.entries(s.fuses)
          .filter(([k, v]) => /^\d+$/.test(k) && v !== undefined)
          .map(([k, v]) => [String(FuseV1Options[k]), v]),
      );
      assert.deepEqual(flipped, expected, s.target);
    }
  });
});

describe('packaging: DevTools', () => {
  const open = (isPackaged: boolean) => {
    const created: { webPreferences: { devTools?: boolean } }[] = [];
    class FakeWindow {
      constructor(options: { webPreferences: { devTools?: boolean } }) {
        created.push(options);
      }
      once() {}
      loadURL() {
        return Promise.resolve();
      }
    }
    createMainWindow({ app: { isPackaged }, BrowserWindow: FakeWindow } as unknown as Pick<ElectronApi, 'app' | 'BrowserWindow'>, '/app/preload.cjs');
    return created[0]!.webPreferences.devTools;
  };

  it('are off in packaged builds (and on when run from the project)', () => {
    assert.equal(open(true), false);
    assert.equal(open(false), true);
  });
});
