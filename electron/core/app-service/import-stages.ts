import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ImportPreview, ImportStage } from '../../../shared/ipc/channels-records.js';
import { localZone } from '../../../shared/format.js';
import { RedressError, toErrorValue } from '../errors.js';
import { importFile, previewFile, type FormatId, type Preview } from '../importers/index.js';
import type { Vault } from '../vault/vault.js';

interface Stage {
  view: ImportStage;
  path: string;
  /** the staging folder holding dropped bytes; removed when the stage ends. Null for a file the user picked. */
  tempDir: string | null;
  format: FormatId | null;
  controller: AbortController;
}

/** Finished stages kept for the UI to read their outcome; older ones are forgotten. */
const KEEP_FINISHED = 20;

/** A file name that is safe as one path segment and still tells the user (and the custody log) what they dropped. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is being removed
  const cleaned = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').trim();
  const usable = cleaned && cleaned !== '.' && cleaned !== '..' ? cleaned : 'dropped-file';
  return usable.length > 200 ? usable.slice(usable.length - 200) : usable;
}

function toView(p: Preview): ImportPreview {
  return { format: p.format, size: p.size, counts: p.counts, dateRange: p.dateRange, totals: p.totals, totalsCheck: p.totalsCheck, partial: p.partial, warnings: p.warnings };
}

/**
 * Imports from the UI happen in two steps so the user sees what a file holds before anything is stored: a staged
 * file is read in the background (progress polled, cancellable), then stored only on confirm. Dropped bytes are
 * written to a private temporary folder (the importers stream from disk) that is removed when the stage ends or
 * the vault locks.
 */
export class ImportStages {
  private readonly stages = new Map<string, Stage>();

  /** `root`: where private staging folders are made (the system temp folder; tests pass their own) */
  constructor(private readonly root: string = tmpdir()) {}

  /** starts reading a picked file (tempDir null) or a staged copy of dropped bytes */
  private start(vault: Vault, caseId: string, path: string, name: string, tempDir: string | null): ImportStage {
    const stageId = randomUUID();
    const controller = new AbortController();
    const stage: Stage = {
      view: { stageId, caseId, name, state: 'reading', progress: { phase: 'reading', bytes: 0, totalBytes: 0 }, preview: null, result: null, error: null },
      path,
      tempDir,
      format: null,
      controller,
    };
    this.stages.set(stageId, stage);
    this.forgetOld();
    previewFile(path, { signal: controller.signal, zone: localZone(), onProgress: (p) => (stage.view.progress = { ...p }) }, vault).then(
      (preview) => {
        if (stage.view.state !== 'reading') return;
        stage.format = preview.format;
        stage.view.preview = toView(preview);
        stage.view.progress = null;
        stage.view.state = 'ready';
      },
      (err) => this.finish(stage, err instanceof RedressError && err.code === 'CANCELLED' ? 'cancelled' : 'failed', err),
    );
    return structuredClone(stage.view);
  }

  fromPath(vault: Vault, caseId: string, path: string): ImportStage {
    return this.start(vault, caseId, path, basename(path), null);
  }

  async fromBytes(vault: Vault, caseId: string, name: string, data: Uint8Array): Promise<ImportStage> {
    const dir = await mkdtemp(join(this.root, 'redress-stage-')); // created 0700
    const fileName = safeFileName(name);
    const path = join(dir, fileName);
    try {
      await writeFile(path, data, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
    return this.start(vault, caseId, path, fileName, dir);
  }

  status(stageId: string): ImportStage {
    return structuredClone(this.get(stageId).view);
  }

  confirm(vault: Vault, stageId: string): ImportStage {
    const stage = this.get(stageId);
    if (stage.view.state !== 'ready' || !stage.format) throw new RedressError('INVALID_INPUT', { field: 'stageId', reason: `cannot import from state ${stage.view.state}` });
    stage.view.state = 'importing';
    stage.view.progress = { phase: 'storing', bytes: 0, totalBytes: stage.view.preview?.size ?? 0 };
    // Not cancellable once storing has begun: importFile is all-or-nothing only up to the original being stored.
    importFile(vault, stage.view.caseId, stage.path, { format: stage.format, zone: localZone(), onProgress: (p) => (stage.view.progress = { ...p }) }).then(
      (r) => {
        stage.view.result = {
          messages: r.counts.messages,
          transactions: r.counts.transactions,
          attachments: r.counts.attachments,
          sourceItemId: r.source.itemId,
          sourceDuplicate: r.source.duplicate,
          custodySeq: r.custodySeq,
        };
        this.finish(stage, 'done');
      },
      (err) => this.finish(stage, 'failed', err),
    );
    return structuredClone(stage.view);
  }

  cancel(stageId: string): ImportStage {
    const stage = this.get(stageId);
    if (stage.view.state === 'importing') throw new RedressError('INVALID_INPUT', { field: 'stageId', reason: 'the import is already being stored' });
    if (stage.view.state === 'reading') stage.controller.abort();
    if (stage.view.state === 'reading' || stage.view.state === 'ready') this.finish(stage, 'cancelled');
    return structuredClone(stage.view);
  }

  /** The vault locked: stop reading, drop every preview and staged copy. */
  async clear(): Promise<void> {
    const all = [...this.stages.values()];
    this.stages.clear();
    for (const s of all) s.controller.abort();
    await Promise.all(all.map((s) => (s.tempDir ? rm(s.tempDir, { recursive: true, force: true }) : undefined)));
  }

  private get(stageId: string): Stage {
    const stage = this.stages.get(stageId);
    if (!stage) throw new RedressError('INVALID_INPUT', { field: 'stageId', reason: 'no such import' });
    return stage;
  }

  private finish(stage: Stage, state: 'done' | 'cancelled' | 'failed', err?: unknown): void {
    if (stage.view.state === 'done' || stage.view.state === 'cancelled' || stage.view.state === 'failed') return;
    stage.view.state = state;
    stage.view.progress = null;
    if (state === 'cancelled') stage.view.preview = null;
    if (err !== undefined && state === 'failed') stage.view.error = toErrorValue(err);
    if (stage.tempDir) void rm(stage.tempDir, { recursive: true, force: true }).catch(() => undefined);
  }

  private forgetOld(): void {
    const finished = [...this.stages.values()].filter((s) => ['done', 'cancelled', 'failed'].includes(s.view.state));
    for (const s of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.stages.delete(s.view.stageId);
  }
}
