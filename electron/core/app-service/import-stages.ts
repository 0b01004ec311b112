import { randomUUID } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ImportPreview, ImportStage } from '../../../shared/ipc/channels-records.js';
import { localZone } from '../../../shared/format.js';
import { RedressError, toErrorValue } from '../errors.js';
import { importFile, previewFile, type FormatId, type Preview } from '../importers/index.js';
import type { Vault } from '../vault/vault.js';

interface Stage {
  view: ImportStage;
  /** the file the user picked; for dropped bytes, only their (safe) name */
  path: string;
  /** dropped bytes, held in memory until the stage ends; null for a file the user picked */
  data: Buffer | null;
  format: FormatId | null;
  controller: AbortController;
}

/** What earlier versions named their staging folders in the system temp folder (mkdtemp's six characters). */
const LEGACY_STAGING = /^redress-stage-[A-Za-z0-9]{6}$/;

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
 * file is read in the background (progress polled, cancellable), then stored only on confirm. Dropped bytes stay in
 * memory, where IPC delivered them: the importers read them there and the original is sealed into the vault from
 * there, so no plaintext copy is ever written to disk (the temp folder survives a crash; memory does not). They are
 * let go when the stage ends or the vault locks.
 */
export class ImportStages {
  private readonly stages = new Map<string, Stage>();

  /** `root`: the system temp folder, where earlier versions staged dropped files (swept by sweepLegacy) */
  constructor(private readonly root: string = tmpdir()) {}

  /**
   * Removes the plaintext staging copies that versions before this one wrote to the temp folder and left there when
   * they crashed: folders named as they named them, not links, holding nothing but files. Run at start; how many.
   */
  async sweepLegacy(): Promise<number> {
    let removed = 0;
    for (const name of (await readdir(this.root).catch(() => [])).filter((n) => LEGACY_STAGING.test(n))) {
      const dir = join(this.root, name);
      const info = await lstat(dir).catch(() => null);
      if (!info?.isDirectory() || (typeof process.getuid === 'function' && info.uid !== process.getuid())) continue;
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
      if (!entries || entries.length > 1 || entries.some((e) => !e.isFile())) continue;
      await rm(dir, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /** starts reading a picked file (data null) or dropped bytes */
  private start(vault: Vault, caseId: string, path: string, name: string, data: Buffer | null): ImportStage {
    const stageId = randomUUID();
    const controller = new AbortController();
    const stage: Stage = {
      view: { stageId, caseId, name, state: 'reading', progress: { phase: 'reading', bytes: 0, totalBytes: 0 }, preview: null, result: null, error: null },
      path,
      data,
      format: null,
      controller,
    };
    this.stages.set(stageId, stage);
    this.forgetOld();
    previewFile(path, { signal: controller.signal, zone: localZone(), ...(data ? { data } : {}), onProgress: (p) => (stage.view.progress = { ...p }) }, vault).then(
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

  /** Dropped bytes, read and stored from memory. The name is made safe: it is what the item and custody log show. */
  async fromBytes(vault: Vault, caseId: string, name: string, data: Uint8Array): Promise<ImportStage> {
    const fileName = safeFileName(name);
    // A view, not a copy: the request's bytes are this stage's alone (IPC structured-cloned them into this thread).
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return this.start(vault, caseId, fileName, fileName, bytes);
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
    importFile(vault, stage.view.caseId, stage.path, { format: stage.format, zone: localZone(), ...(stage.data ? { data: stage.data } : {}), onProgress: (p) => (stage.view.progress = { ...p }) }).then(
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

  /** The vault locked: stop reading, drop every preview and the dropped bytes held. */
  async clear(): Promise<void> {
    const all = [...this.stages.values()];
    this.stages.clear();
    for (const s of all) {
      s.controller.abort();
      // an import already storing keeps its own reference until it settles (it fails: the vault is closing)
      s.data = null;
    }
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
    stage.data = null; // the bytes are sealed in the vault now, or not wanted
  }

  private forgetOld(): void {
    const finished = [...this.stages.values()].filter((s) => ['done', 'cancelled', 'failed'].includes(s.view.state));
    for (const s of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.stages.delete(s.view.stageId);
  }
}
