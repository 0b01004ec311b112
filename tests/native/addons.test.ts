// Every native addon production code can load must be an N-API module, so that the same binary loads in Node 24
// and in Electron's main process or worker (a V8-ABI addon compiled for one aborts or fails in the other), and
// every addon that can create external buffers must fall back to copying: Electron's V8 memory cage refuses them
// (napi_no_external_buffers_allowed, electron#35801).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The packages the app's production dependencies resolve to, as Node would find them (optional ones may be absent). */
function productionPackages(): Map<string, { name: string; version: string }> {
  const found = new Map<string, { name: string; version: string }>();
  const visit = (dir: string) => {
    if (found.has(dir)) return;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    found.set(dir, { name: pkg.name, version: pkg.version });
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      for (let at = dir; ; at = dirname(at)) {
        const candidate = join(at, 'node_modules', dep);
        if (existsSync(join(candidate, 'package.json'))) {
          visit(candidate);
          break;
        }
        if (dirname(at) === at) break;
      }
    }
  };
  visit(root);
  found.delete(root);
  return found;
}

function addonsIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) out.push(...addonsIn(path));
    else if (name.endsWith('.node')) out.push(path);
  }
  return out;
}

/**
 * Reads the symbol names from the binary's bytes (ELF, Mach-O and PE alike keep them as plain strings), so the
 * check also covers the other platforms' prebuilds shipped in the same packages.
 */
export function classify(bytes: Buffer): { napi: boolean; v8Abi: boolean; externalBuffers: string[] } {
  return {
    napi: bytes.includes('napi_register_module_v1'),
    v8Abi: bytes.includes('node_register_module_v'),
    externalBuffers: ['napi_create_external_buffer', 'napi_create_external_arraybuffer'].filter((s) => bytes.includes(s)),
  };
}

/**
 * Addons that import an external-buffer function, each looked at: where it calls it and why it still works inside
 * Electron. A new addon or a new version lands here only after someone has read its source again.
 */
const EXTERNAL_BUFFER_REVIEWED: Record<string, { version: string; source: string; why: string }> = {
  'better-sqlite3-multiple-ciphers': {
    version: '13.0.3',
    source: 'better-sqlite3-multiple-ciphers/src',
    why: 'Database::Serialize (src/objects/database.cpp) returns Napi::Buffer<char>::NewOrCopy, which copies on napi_no_external_buffers_allowed; every other buffer is Napi::Buffer::Copy',
  },
  '@img/sharp-linux-x64': {
    version: '0.35.5',
    source: 'sharp/src',
    why: "sharp's metadata.cc (exif, icc, iptc, xmp, gain map) and pipeline.cc (toBuffer output) use Napi::Buffer<char>::NewOrCopy, which copies on napi_no_external_buffers_allowed",
  },
};

/** A call that makes an external buffer without the copy fallback: napi_create_external_*, or Buffer/ArrayBuffer::New over a pointer. */
const EXTERNAL_CALL = /napi_create_external_(?:array)?buffer|\b(?:Array)?Buffer(?:<[^>]*>)?::New\s*\(\s*\w+\s*,\s*[^,)]+,/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(cc|cpp|h|hpp)$/.test(name)) out.push(path);
  }
  return out;
}

describe('native addons', () => {
  const packages = productionPackages();
  const addons = [...packages].flatMap(([dir, pkg]) => addonsIn(dir).map((file) => ({ file, pkg })));

  it('the classifier tells N-API from V8-ABI addons', () => {
    assert.deepEqual(classify(Buffer.from('\0napi_register_module_v1\0napi_create_external_buffer\0')), { napi: true, v8Abi: false, externalBuffers: ['napi_create_external_buffer'] });
    assert.deepEqual(classify(Buffer.from('\0node_register_module_v115\0')), { napi: false, v8Abi: true, externalBuffers: [] });
  });

  it('finds the addons the core loads (SQLCipher and sharp)', () => {
    const names = new Set(addons.map((a) => a.pkg.name));
    assert.ok(names.has('better-sqlite3-multiple-ciphers'), [...names].join(', '));
    assert.ok([...names].some((n) => n.startsWith('@img/sharp-')), [...names].join(', '));
  });

  it('every addon under the production dependencies is N-API, none is built against one V8 ABI', () => {
    for (const { file } of addons) {
      const c = classify(readFileSync(file));
      assert.ok(c.napi && !c.v8Abi, `${relative(root, file)} is not an N-API addon: it would load in only one of Node and Electron`);
    }
  });

  it('every addon that can make external buffers has been reviewed, and its source copies when the cage refuses them', () => {
    for (const { file, pkg } of addons) {
      const c = classify(readFileSync(file));
      if (c.externalBuffers.length === 0) continue;
      const reviewed = EXTERNAL_BUFFER_REVIEWED[pkg.name];
      assert.ok(reviewed, `${relative(root, file)} imports ${c.externalBuffers.join(', ')}: read its source, check it falls back to copying inside Electron, and add it to EXTERNAL_BUFFER_REVIEWED`);
      assert.equal(pkg.version, reviewed.version, `${pkg.name} changed from the reviewed ${reviewed.version}: read its source again`);
      const src = join(root, 'node_modules', reviewed.source);
      const files = sourceFiles(src);
      assert.ok(files.length > 0, `no sources at ${src}`);
      const unsafe = files.flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(src, f)}:${i + 1}` }))
          .filter(({ line }) => EXTERNAL_CALL.test(line) && !/NewOrCopy/.test(line)),
      );
      assert.deepEqual(unsafe.map((u) => `${u.at}: ${u.line.trim()}`), [], `${pkg.name} makes external buffers without a copy fallback`);
    }
  });
});
