import { verifyPacket } from '../../core/packets/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';

/** Checks a packet folder or ZIP; needs no vault. Exit 5 when anything is altered, missing or inconsistent. */
export async function verifyPacketCommand(path: string, out: Output): Promise<number> {
  const report = await verifyPacket(path);
  out.result(report);
  const count = (s: string) => report.files.filter((f) => f.status === s).length;
  if (report.ok) {
    out.line(report.partial ? out.t('packet.verifyPartial', { count: report.checked }) : out.t('packet.verifyOk', { count: report.checked, sha256: report.packetSha256 }));
    out.line(out.t('packet.selfAttested', { sha256: report.packetSha256 }));
    return EXIT.OK;
  }
  out.line(out.t('packet.verifyFailed', { altered: count('altered'), missing: count('missing'), mismatch: count('mismatch'), extra: count('extra') }));
  for (const f of report.files) if (f.status !== 'intact' && f.status !== 'ignored') out.line(`  [${f.status}] ${f.path}`);
  return EXIT.VERIFY_FAILED;
}
