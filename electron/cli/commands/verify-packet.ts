import { readFile, stat } from 'node:fs/promises';
import { TIMESTAMP_CAPS } from '../../../shared/timestamps.js';
import { RedressError } from '../../core/errors.js';
import { verifyPacket, type PacketReport } from '../../core/packets/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

/**
 * Checks a packet folder or ZIP; needs no vault. Exit 5 when anything is altered, missing or inconsistent, when the
 * signature fails, or when it is not the key the recipient expected (`--key`).
 */
export async function verifyPacketCommand(path: string, options: { key?: string; tsaCa?: string }, out: Output): Promise<number> {
  const tsaRoots = options.tsaCa === undefined ? [] : [await readRoot(options.tsaCa)];
  const report = await verifyPacket(path, { ...(options.key === undefined ? {} : { expectKey: options.key }), tsaRoots });
  out.result(report);
  const count = (s: string) => report.files.filter((f) => f.status === s).length;
  const { signature } = report;
  if (report.ok) {
    out.line(report.partial ? out.t('packet.verifyPartial', { count: report.checked }) : out.t('packet.verifyOk', { count: report.checked, sha256: report.packetSha256 }));
    if (report.attestation === 'signed-by-expected-key') out.line(out.t('packet.signedByExpected', { fingerprint: signature.fingerprint }));
    else if (report.attestation === 'signed') out.line(out.t('packet.signedUnconfirmed', { fingerprint: signature.fingerprint, sha256: report.packetSha256 }));
    else out.line(out.t('packet.selfAttested', { sha256: report.packetSha256 }));
    const { custody } = report;
    out.line(custody ? out.t(`packet.custody.${custody.status}`, { count: custody.entries, recomputed: custody.recomputed }) : out.t('packet.custody.notChecked'));
    printTimestamps(report, out);
    return EXIT.OK;
  }
  out.line(out.t('packet.verifyFailed', { altered: count('altered'), missing: count('missing'), mismatch: count('mismatch'), extra: count('extra') }));
  for (const f of report.files) if (f.status !== 'intact' && f.status !== 'ignored') out.line(`  [${f.status}] ${f.path}`);
  if (report.custody?.status === 'failed') {
    out.line(out.t('packet.custody.failed'));
    for (const p of report.custody.problems) out.line(`  [custody] ${p}`);
  }
  printTimestamps(report, out);
  if (signature.status !== 'valid' && signature.status !== 'absent') out.line(out.t(`packet.signature.${signature.status}`, { fingerprint: signature.fingerprint ?? '', expected: options.key ?? '' }));
  return EXIT.VERIFY_FAILED;
}

/** One line per trusted timestamp: by whom and when, or why it does not hold. */
function printTimestamps(report: PacketReport, out: Output): void {
  for (const t of report.timestamps) {
    const params = { tsa: t.tsaName, time: t.genTime ?? '', seq: t.stampedSeq ?? '' };
    if (t.status === 'failed') out.line(out.t('packet.timestamp.failed', { ...params, entry: t.seq, reason: out.t(t.failure === 'not-on-chain' ? 'packet.timestamp.notOnChain' : `timestampFailures.${t.failure}`) }));
    else out.line(out.t(`packet.timestamp.${t.status}`, params));
  }
}

async function readRoot(file: string): Promise<Buffer> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new RedressError('FILE_UNREADABLE', { file, reason: 'not found' });
  if (info.size > TIMESTAMP_CAPS.certificateBytes) throw new RedressError('INVALID_INPUT', { field: 'tsa-ca', reason: `larger than ${TIMESTAMP_CAPS.certificateBytes} bytes` });
  return readFile(file);
}
