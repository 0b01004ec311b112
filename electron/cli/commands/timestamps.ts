import { readFile, stat, writeFile } from 'node:fs/promises';
import { TIMESTAMP_AUTHORITIES, TIMESTAMP_CAPS, type TimestampRecord } from '../../../shared/timestamps.js';
import { RedressError } from '../../core/errors.js';
import { TimestampSettingsStore } from '../../core/timestamps/settings.js';
import { exportQuery, importReply, listTimestamps, retryQueued, stampCaseHead } from '../../core/timestamps/stamp.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

/** redress timestamps: the setting, the authorities to choose from, and what waits to be sent. */
export async function timestampsStatusCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const store = new TimestampSettingsStore(vault.context.db);
    const settings = store.read();
    const queue = store.queue();
    out.result({ settings: { ...settings, custom: settings.custom.map(({ roots: _r, ...t }) => t) }, authorities: [...TIMESTAMP_AUTHORITIES, ...settings.custom].map((t) => ({ id: t.id, url: t.url, roots: t.roots.length })), queued: queue.length });
    out.line(settings.enabled ? out.t('timestamps.on', { tsa: settings.tsaId ?? '' }) : out.t('timestamps.off'));
    for (const t of [...TIMESTAMP_AUTHORITIES, ...settings.custom]) out.line(`  ${t.id}  ${t.url ?? out.t('timestamps.noUrl')}${t.roots.length ? '' : `  (${out.t('timestamps.noRoot')})`}`);
    if (queue.length) out.line(out.t('timestamps.queued', { count: queue.length }));
  });
}

export async function timestampsSetCommand(enabled: boolean, opts: GlobalOptions & { tsa?: string }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const settings = new TimestampSettingsStore(vault.context.db).set({ enabled, tsaId: opts.tsa });
    out.result({ enabled: settings.enabled, tsaId: settings.tsaId });
    out.line(settings.enabled ? out.t('timestamps.on', { tsa: settings.tsaId ?? '' }) : out.t('timestamps.off'));
  });
}

export async function timestampsAddTsaCommand(opts: GlobalOptions & { id: string; name: string; url: string; root: string; policy?: string }, out: Output): Promise<void> {
  const info = await stat(opts.root).catch(() => null);
  if (!info?.isFile()) throw new RedressError('INVALID_INPUT', { field: 'root', reason: 'not a file' });
  if (info.size > TIMESTAMP_CAPS.certificateBytes) throw new RedressError('INVALID_INPUT', { field: 'root', reason: `larger than ${TIMESTAMP_CAPS.certificateBytes} bytes` });
  const rootPem = await readFile(opts.root, 'latin1');
  await withVault(opts, out, async (vault) => {
    const { tsa, fingerprints } = new TimestampSettingsStore(vault.context.db).addCustom({ id: opts.id, name: opts.name, url: opts.url, rootPem, policy: opts.policy ?? null });
    out.result({ id: tsa.id, url: tsa.url, rootFingerprints: fingerprints });
    out.line(out.t('timestamps.added', { tsa: tsa.id }));
    for (const f of fingerprints) out.line(`  SHA-256 ${f}`);
    out.line(out.t('timestamps.compareFingerprint'));
  });
}

export async function timestampsRetryCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const result = await retryQueued(vault.context);
    out.result(result);
    out.line(out.t('timestamps.retried', result));
  });
}

/**
 * redress timestamp CASE [--tsq OUT | --tsr IN]: stamps the case's head now, or writes the request for another
 * device, or imports that device's answer; with neither, lists the case's tokens after stamping.
 */
export async function timestampCommand(caseRef: string, opts: GlobalOptions & { tsq?: string; tsr?: string }, out: Output): Promise<void> {
  if (opts.tsq && opts.tsr) throw new RedressError('INVALID_INPUT', { field: 'tsq', reason: '--tsq and --tsr go in two steps' });
  let reply: Buffer | null = null;
  if (opts.tsr) {
    const info = await stat(opts.tsr).catch(() => null);
    if (!info?.isFile()) throw new RedressError('INVALID_INPUT', { field: 'tsr', reason: 'not a file' });
    if (info.size > TIMESTAMP_CAPS.replyBytes) throw new RedressError('TIMESTAMP_REFUSED', { tsa: '', failure: 'malformed', detail: `larger than ${TIMESTAMP_CAPS.replyBytes} bytes` });
    reply = await readFile(opts.tsr);
  }
  await withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    if (opts.tsq) {
      const q = exportQuery(vault.context, caseId);
      await writeFile(opts.tsq, q.der, { flag: 'wx' });
      out.result({ tsq: opts.tsq, imprint: q.imprint, seq: q.seq });
      out.line(out.t('timestamps.exported', { file: opts.tsq, seq: q.seq }));
      return;
    }
    if (reply) {
      const record = await importReply(vault.context, caseId, reply);
      out.result(record);
      out.line(stampedLine(record, out));
      return;
    }
    const outcome = await stampCaseHead(vault.context, caseId);
    out.result({ ...outcome, timestamps: listTimestamps(vault.context, caseId) });
    if (outcome.status === 'stamped') out.line(stampedLine(outcome.record, out));
    else if (outcome.status === 'queued') out.line(out.t('timestamps.waiting', { detail: outcome.detail }));
    else out.line(out.t('timestamps.current'));
  });
}

function stampedLine(record: TimestampRecord, out: Output): string {
  return out.t('timestamps.stamped', { tsa: record.tsaName, time: record.genTime, seq: record.seq ?? '', skew: Math.round(record.skewMs / 1000) });
}
