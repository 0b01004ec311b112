// Issue 14: verify of a 100k-entry v2 chain (target under 0.5 s; SHA-256 of the bodies alone is the baseline), in the
// vault (verify-chain, from the stored bodies) and in a packet (custody-excerpt, from the committed bodies), and the
// size the chain adds to a packet's manifest.
import { createHash } from 'node:crypto';
import { canonicalJson, entryHash, GENESIS_HASH, newSalts, type CustodyEntry, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { checkPacketCustody, packetCustody } from '../../electron/core/packets/custody-excerpt.js';
import { verifyChain } from '../../electron/core/verify/verify-chain.js';
import { round, writeResults } from './measure.js';

const ENTRIES = Number(process.env.REDRESS_BENCH_ENTRIES) || 100_000;
const CASE = '6f1d2c1e-0000-4000-8000-000000000001';

/** A chain as the app writes it: mostly item.added entries (the largest payloads), some record imports and flags. */
function chain(n: number): CustodyEntry[] {
  const out: CustodyEntry[] = [];
  let prev = GENESIS_HASH;
  const t0 = Date.parse('2026-11-20T06:00:00Z');
  for (let seq = 1; seq <= n; seq++) {
    const sha = createHash('sha256').update(String(seq)).digest('hex');
    const payload: Record<string, unknown> =
      seq % 10 === 0
        ? { records: [{ type: 'message', id: `m-${seq}` }] }
        : {
            itemId: `item-${seq}`,
            sha256: sha,
            kind: 'screenshot',
            size: 100_000 + seq,
            objectName: sha,
            title: `微信聊天截图 ${seq}`,
            notes: '',
            tags: ['chat'],
            source: 'import',
            originalName: `IMG_${seq}.png`,
            mediaType: 'image/png',
            captured: { instant: new Date(t0 + seq * 1000).toISOString(), offsetMinutes: 480, zone: 'Asia/Shanghai' },
            derivedFrom: null,
          };
    const body: CustodyEntryBody = { v: 2, caseId: CASE, seq, time: new Date(t0 + seq * 1000).toISOString(), offsetMinutes: 480, actor: 'vault-7K3M-9QXD (redress 0.1.0)', action: seq % 10 === 0 ? 'records.flagged' : 'item.added', payload, prev, salts: newSalts(payload) };
    const hash = entryHash(body);
    out.push({ ...body, hash });
    prev = hash;
  }
  return out;
}

function timed<T>(work: () => T): { result: T; seconds: number } {
  const start = process.hrtime.bigint();
  const result = work();
  return { result, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export async function runCustodyBenchmarks() {
  const entries = chain(ENTRIES);
  const rows = entries.map((e) => {
    const { hash, ...body } = e;
    return { seq: e.seq, body: canonicalJson(body), hash };
  });
  const head = { seq: entries.length, hash: entries.at(-1)!.hash };
  const runs = (work: () => unknown) => [0, 1, 2].map(() => round(timed(work).seconds)).sort((a, b) => a - b);

  const baseline = runs(() => {
    for (const r of rows) createHash('sha256').update(r.body).digest('hex');
  });
  // the same chain as v1 wrote it (the hash over the whole body): what verify cost before salted digests
  const v1Rows: { seq: number; body: string; hash: string }[] = [];
  let prev = GENESIS_HASH;
  for (const e of entries) {
    const { hash: _h, salts: _s, ...rest } = e;
    const body = { ...rest, v: 1 as const, prev };
    prev = entryHash(body);
    v1Rows.push({ seq: e.seq, body: canonicalJson(body), hash: prev });
  }
  const v1 = runs(() => {
    if (verifyChain(CASE, v1Rows, { seq: v1Rows.length, hash: prev }).problems.length) throw new Error('the v1 chain does not verify');
  });
  const vault = runs(() => {
    const report = verifyChain(CASE, rows, head);
    if (report.problems.length) throw new Error('the chain does not verify');
  });
  const custody = packetCustody(entries, head, { itemIds: new Set(entries.map((e) => String(e.payload.itemId))), v1Body: () => false });
  const manifest = { custody, items: [], case: { chainHead: head } };
  const text = JSON.stringify(custody);
  const packet = runs(() => {
    // parsing included: a recipient reads the manifest first
    const check = checkPacketCustody({ ...manifest, custody: JSON.parse(text) });
    if (check.status !== 'verified') throw new Error(check.problems.join('; '));
  });
  const results = {
    entries: ENTRIES,
    sha256OfBodiesSeconds: baseline[1],
    vaultVerifySeconds: vault[1],
    vaultVerifyRuns: vault,
    packetVerifySeconds: packet[1],
    packetVerifyRuns: packet,
    v1VaultVerifySeconds: v1[1],
    ratioToSha256: round(vault[1]! / baseline[1]!, 1),
    ratioToV1: round(vault[1]! / v1[1]!, 1),
    manifestCustodyBytes: Buffer.byteLength(text),
    bytesPerEntry: Math.round(Buffer.byteLength(text) / ENTRIES),
    storedBodyBytesPerEntry: Math.round(rows.reduce((a, r) => a + r.body.length, 0) / ENTRIES),
    targets: { vaultVerifySeconds: 0.5, packetVerifySeconds: 0.5 },
  };
  console.log('custody chain v2:', results);
  console.log('written to', await writeResults('custody', results));
}
