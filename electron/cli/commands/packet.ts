import cliProgress from 'cli-progress';
import { RedressError } from '../../core/errors.js';
import { buildPacket, type PacketLang, type PacketProgress } from '../../core/packets/index.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface PacketOptions extends GlobalOptions {
  for: string;
  lang?: PacketLang;
  items?: string;
  out: string;
  request?: string;
}

export async function packetCommand(caseRef: string, opts: PacketOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    const itemIds = opts.items
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (opts.items !== undefined && !itemIds?.length) throw new RedressError('INVALID_INPUT', { field: '--items', reason: 'give item ids separated by commas' });
    const bar = process.stderr.isTTY && !opts.json ? new cliProgress.SingleBar({ format: `${out.t('packet.progress')} [{bar}] {phase} {value}/{total}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    bar?.start(1, 0, { phase: '' });
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await buildPacket(vault, {
        caseId,
        recipientId: opts.for,
        ...(opts.lang ? { lang: opts.lang } : {}),
        ...(itemIds ? { itemIds } : {}),
        outDir: opts.out,
        ...(opts.request ? { request: opts.request } : {}),
        signal: controller.signal,
        onProgress: (p: PacketProgress) => {
          bar?.setTotal(Math.max(p.total, 1));
          bar?.update(p.done, { phase: p.phase });
        },
      });
    } finally {
      process.off('SIGINT', onSigint);
      bar?.stop();
    }
    out.result(result);
    const recipient = result.disclosure.recipient.name[out.language];
    out.line(out.t('packet.built', { recipient, dir: result.dir, pages: result.pages, items: result.disclosure.items.length }));
    if (result.volumes.length === 1) out.line(out.t('packet.zip', { zip: result.volumes[0]!.path, bytes: result.volumes[0]!.bytes }));
    else {
      out.line(out.t('packet.volumes', { count: result.volumes.length }));
      for (const v of result.volumes) out.line(`  ${v.path} (${v.bytes})`);
    }
    out.line(out.t('packet.hash', { sha256: result.packetSha256 }));
    out.line(out.t('packet.signedWith', { fingerprint: result.keyFingerprint }));
    out.line(out.t('packet.disclosure', { recipient }));
    for (const f of result.disclosure.fields) {
      out.line(out.t('packet.field', { field: out.t(`packet.fields.${f.field}`), rule: f.present ? out.t(`packet.rules.${f.rule}`) : out.t('packet.notProvided') }));
    }
    const located = result.disclosure.items.filter((i) => i.locationStripped).length;
    const redacted = result.disclosure.items.filter((i) => i.redactedFrom).length;
    if (located) out.line(out.t('packet.locationStripped', { count: located }));
    if (redacted) out.line(out.t('packet.redacted', { count: redacted }));
    for (const f of result.oversized) out.note(out.t('packet.oversized', { file: f }));
    for (const f of result.locationKept) out.note(out.t('packet.locationKept', { file: f }));
    for (const f of result.unrendered) out.note(out.t('packet.unrendered', { file: f }));
    // what an interrupted earlier build left, settled before this one (core/packets/output.ts)
    if (result.leftovers.removed) out.note(out.t('packet.leftoverRemoved', { count: result.leftovers.removed }));
    for (const f of result.leftovers.finished) out.note(out.t('packet.leftoverFinished', { dir: f.dir }));
    for (const u of result.leftovers.unfinished) out.note(out.t('packet.leftoverUnfinished', { dir: u.partial, reason: u.reason }));
  });
}
