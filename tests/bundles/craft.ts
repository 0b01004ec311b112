// Takes bundles apart and puts (possibly hostile) contents back into a properly encrypted envelope, so tests can
// check that the importer refuses what the encryption alone cannot rule out (the sender is the attacker).
import type { PassThrough } from 'node:stream';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { BundleReader, writeSealedBundle } from '../../electron/core/bundles/container.js';
import { TEST_KDF } from '../helpers/vault.js';

export async function plaintextOf(path: string, passphrase: string): Promise<Buffer> {
  const reader = await BundleReader.open(path, passphrase);
  try {
    const parts: Buffer[] = [];
    for await (const part of reader.range(0, reader.plaintextSize)) parts.push(part);
    return Buffer.concat(parts);
  } finally {
    await reader.close();
  }
}

export async function unpack(path: string, passphrase: string): Promise<[string, Buffer][]> {
  const zip = await yauzl.fromBufferPromise(await plaintextOf(path, passphrase), { lazyEntries: true });
  const out: [string, Buffer][] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, async (err, stream) => {
        if (err) return reject(err);
        const parts: Buffer[] = [];
        for await (const p of stream) parts.push(p as Buffer);
        out.push([entry.fileName, Buffer.concat(parts)]);
        zip.readEntry();
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

/** Zips members (names may be replaced byte-for-byte afterwards, to get names yazl itself refuses) and seals them. */
export async function pack(path: string, passphrase: string, members: [string, Buffer][], patch?: { from: string; to: string }): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(data, name, { compress: name.endsWith('.json') });
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream as PassThrough) parts.push(part as Buffer);
  let plain = Buffer.concat(parts);
  if (patch) {
    if (patch.from.length !== patch.to.length) throw new Error('patch must keep the length');
    plain = Buffer.from(plain.toString('latin1').split(patch.from).join(patch.to), 'latin1');
  }
  await writeSealedBundle(path, passphrase, TEST_KDF, (async function* () {
    yield plain;
  })());
}

export function manifestOf(members: [string, Buffer][]): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(members.find(([n]) => n === 'manifest.json')![1].toString('utf8'));
}

/**
 * The members with another manifest, and without the sender's signature (manifest.sig), which no longer matches:
 * a forger who changes the manifest drops it (the bundle imports as "unsigned"), so the checks after the signature's
 * can be reached. bundle-signature.test.ts keeps it, to see the signature refuse the change.
 */
export function withManifest(members: [string, Buffer][], manifest: unknown, options: { keepSignature?: boolean } = {}): [string, Buffer][] {
  return members.filter(([n]) => options.keepSignature || n !== 'manifest.sig').map(([n, b]) => [n, n === 'manifest.json' ? Buffer.from(JSON.stringify(manifest)) : b]);
}

/** Every member but the manifest and its signature: what a forger keeps when writing a manifest of their own. */
export const withoutManifest = (members: [string, Buffer][]) => members.filter(([n]) => n !== 'manifest.json' && n !== 'manifest.sig');
