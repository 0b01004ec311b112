import { basename } from 'node:path';
import type { z } from 'zod';
import type { ItemRecord } from '../../../shared/case-model.js';
import { checklistFor } from '../../../shared/checklists/index.js';
import type { EventName, EventOf } from '../../../shared/ipc/contract.js';
import type { AddSummarySchema, CaptureSourceSchema } from '../../../shared/ipc/schemas.js';
import { localZone } from '../../../shared/format.js';
import { APP_VERSION, type ActorOption } from '../data-dir.js';
import { RedressError, toErrorValue } from '../errors.js';
import type { KdfParams } from '../vault/keys.js';
import { Vault } from '../vault/vault.js';
import { changeVaultPassphrase } from '../vault/change-passphrase.js';
import { AutoLock } from './auto-lock.js';
import { TimelineIndex } from './timeline.js';
import type { Handlers } from './dispatch.js';
import { PrefsFile } from './prefs.js';
import { isPreviewable } from './preview.js';
import { ChecklistProgress } from './checklist-progress.js';
import { ProfileRepo } from '../profile/profile-repo.js';
import { VerifyJobs } from './verify-jobs.js';
import { associationHandlers } from './association-handlers.js';
import { BatchJobs } from './batch-jobs.js';
import { BundleJobs } from './bundle-jobs.js';
import { PickedPaths } from './picked-paths.js';
import { ImportStages } from './import-stages.js';
import { recordHandlers } from './record-handlers.js';
import { packetHandlers } from './packet-handlers.js';
import { vaultHandlers } from './vault-handlers.js';
import { PacketJobs } from './packet-jobs.js';
import { sweepPacketLeftovers } from '../packets/index.js';

export type CaptureSource = z.infer<typeof CaptureSourceSchema>;
type AddSummary = z.infer<typeof AddSummarySchema>;

/** Takes screenshots; the Electron host implements it with desktopCapturer, tests with a generated image. */
export interface ScreenCapturer {
  sources(): Promise<CaptureSource[]>;
  /** captures one source as PNG; the host hides its own window meanwhile */
  capture(sourceId: string): Promise<{ png: Buffer; name: string; kind: 'screen' | 'window' }>;
}

export interface AppServiceDeps {
  dataDir: string;
  prefsFile: string;
  actor: ActorOption;
  /** cheaper key derivation for tests only */
  kdf?: KdfParams;
  /** opens the system file dialog in the main process; the renderer never names a path */
  pickFiles(): Promise<string[]>;
  /** opens the folder dialog for a packet's output in the main process; null when cancelled */
  pickFolder?(): Promise<string | null>;
  /** opens a .redress case bundle (open dialog in the main process); null when cancelled */
  pickBundle?(): Promise<string | null>;
  /** the save dialog for exports (bundles, statistics); null when cancelled */
  saveFile?(suggestedName: string, extensions: string[]): Promise<string | null>;
  capturer: ScreenCapturer | null;
  /** how the renderer can fetch a preview of an item (custom scheme in Electron, a local route in tests) */
  previewUrl(itemId: string): string;
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  platform?: string;
}

/**
 * Everything the desktop UI can ask for, implemented against the real core and independent of Electron: the host
 * registers these handlers on IPC, the end-to-end tests on a page binding. Holds at most one unlocked vault.
 */
export class AppService {
  private vault: Vault | null = null;
  private checklists: ChecklistProgress | null = null;
  private profiles: ProfileRepo | null = null;
  private timeline: TimelineIndex | null = null;
  private readonly jobs = new VerifyJobs();
  private readonly batchJobs = new BatchJobs();
  private readonly bundleJobs = new BundleJobs();
  private readonly picked = new PickedPaths();
  private readonly importStages = new ImportStages();
  private readonly packetJobs = new PacketJobs();
  private readonly prefs: PrefsFile;
  readonly autoLock: AutoLock;
  readonly handlers: Handlers;

  constructor(private readonly deps: AppServiceDeps) {
    this.prefs = new PrefsFile(deps.prefsFile);
    this.autoLock = new AutoLock(10 * 60_000, () => void this.lock('inactivity'));
    this.handlers = this.makeHandlers();
  }

  /** loads the saved auto-lock delay; call once before serving */
  async init(): Promise<void> {
    this.autoLock.setTimeout((await this.prefs.read()).autoLockMinutes * 60_000);
    // plaintext copies of dropped files that versions before this one staged in the temp folder and left at a crash
    await this.importStages.sweepLegacy().catch(() => 0);
  }

  get unlocked(): boolean {
    return this.vault !== null;
  }

  /** Every request from the UI is activity. */
  touch(): void {
    if (this.vault) this.autoLock.touch();
  }

  async lock(reason: EventOf<'vault.locked'>['reason']): Promise<void> {
    this.autoLock.stop();
    this.jobs.abortAll();
    this.batchJobs.abortAll();
    this.bundleJobs.abortAll();
    this.picked.clear();
    void this.importStages.clear();
    this.packetJobs.abortAll();
    const vault = this.vault;
    this.vault = null;
    this.checklists = null;
    this.profiles = null;
    this.timeline = null;
    // tell the UI first, so it drops what it shows while the database closes
    if (vault) this.deps.emit('vault.locked', { reason });
    await vault?.close();
  }

  /** Decrypted bytes of an item of the open vault, only for media types safe to render as a preview. */
  async readPreview(itemId: string): Promise<{ mediaType: string; data: Buffer } | null> {
    const vault = this.vault;
    if (!vault) return null;
    let item: ItemRecord;
    try {
      item = vault.items.get(itemId);
    } catch {
      return null;
    }
    if (!isPreviewable(item.mediaType)) return null;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of vault.items.read(itemId)) chunks.push(chunk);
    } catch {
      // an original altered or lost on disk has no preview; the integrity panel is where the user learns why
      return null;
    }
    return { mediaType: item.mediaType, data: Buffer.concat(chunks) };
  }

  private open(): Vault {
    if (!this.vault) throw new RedressError('VAULT_LOCKED');
    return this.vault;
  }

  private openChecklists(): ChecklistProgress {
    this.open();
    return this.checklists!;
  }

  private openProfile(): ProfileRepo {
    this.open();
    return this.profiles!;
  }

  private async adopt(vault: Vault): Promise<void> {
    if (this.vault) await this.lock('system');
    this.vault = vault;
    this.checklists = new ChecklistProgress(vault);
    this.profiles = new ProfileRepo(vault.context);
    // A packet build killed before its export was recorded is removed; one killed after is put in place (output.ts).
    await sweepPacketLeftovers(vault).catch(() => undefined);
    this.autoLock.touch();
  }

  private itemPreviewUrl(item: ItemRecord): string | null {
    return isPreviewable(item.mediaType) ? this.deps.previewUrl(item.id) : null;
  }

  private makeHandlers(): Handlers {
    const d = this.deps;
    return {
      'app.info': () => ({ version: APP_VERSION, platform: d.platform ?? process.platform, canCapture: d.capturer !== null, zone: localZone() }),
      'app.activity': () => ({ ok: true as const }),
      'prefs.get': () => this.prefs.read(),
      'prefs.set': async (change) => {
        const next = await this.prefs.update(change);
        this.autoLock.setTimeout(next.autoLockMinutes * 60_000);
        return next;
      },

      'vault.status': async () => ({ exists: await Vault.exists(d.dataDir), unlocked: this.vault !== null }),
      'vault.create': async ({ passphrase }) => {
        const { vault, recoveryCode } = await Vault.create(d.dataDir, passphrase, { actor: d.actor, ...(d.kdf ? { kdf: d.kdf } : {}) });
        await this.adopt(vault);
        return { recoveryCode };
      },
      'vault.unlock': async ({ passphrase }) => {
        if (!(await Vault.exists(d.dataDir))) throw new RedressError('VAULT_NOT_FOUND', { dir: d.dataDir });
        const vault = await Vault.open(d.dataDir, passphrase, { actor: d.actor });
        await this.adopt(vault);
        // unfinished writes removed and originals set aside in quarantine; details: 'vault.integrity'
        return { repaired: vault.recovery.partialFilesRemoved + vault.recovery.quarantined.count };
      },
      'vault.recover': async ({ recoveryCode, newPassphrase }) => {
        await this.adopt(await Vault.recover(d.dataDir, recoveryCode, newPassphrase, { actor: d.actor }));
        return { ok: true as const };
      },
      'vault.lock': async () => {
        await this.lock('user');
        return { ok: true as const };
      },
      'vault.changePassphrase': async ({ current, next, nextRepeat }) => {
        const vault = this.open();
        if (next !== nextRepeat) throw new RedressError('PASSPHRASE_MISMATCH');
        await changeVaultPassphrase(vault, current, next);
        return { ok: true as const };
      },

      'profile.get': () => this.openProfile().get(),
      'profile.set': (profile) => this.openProfile().set(profile),

      'cases.list': (filter) => this.open().cases.list(filter),
      'cases.get': ({ caseId }) => this.open().cases.get(caseId),
      'cases.create': (fields) => this.open().cases.create(fields),
      'cases.update': ({ caseId, patch }) => this.open().cases.update(caseId, patch),
      'cases.log': ({ caseId }) => this.open().log(caseId),

      'timeline.page': ({ caseId, offset, limit }) => {
        const vault = this.open();
        this.timeline ??= new TimelineIndex(vault.context.db);
        return this.timeline.page(caseId, vault.cases.get(caseId).head.seq, offset, limit);
      },
      'items.list': ({ caseId }) => this.open().items.list(caseId).map((item) => ({ ...item, previewUrl: this.itemPreviewUrl(item) })),
      'items.get': ({ itemId }) => {
        const vault = this.open();
        const item = vault.items.get(itemId);
        const custody = vault.log(item.caseId).filter((e) => e.payload.itemId === itemId);
        return { item, links: vault.items.links(itemId), custody, previewUrl: this.itemPreviewUrl(item) };
      },
      'items.pickAndAdd': async ({ caseId }) => {
        const vault = this.open();
        vault.cases.get(caseId);
        const paths = await d.pickFiles();
        const summary: AddSummary = { added: [], duplicates: [], failed: [], cancelled: paths.length === 0 };
        for (const path of paths) {
          try {
            const { item, duplicate } = await this.open().items.addFile(caseId, path, { source: 'file import' });
            (duplicate ? summary.duplicates : summary.added).push(item);
          } catch (err) {
            summary.failed.push({ name: basename(path), error: toErrorValue(err) });
          }
        }
        return summary;
      },
      'items.addBytes': async ({ caseId, name, mediaType, data, via }) => {
        const vault = this.open();
        vault.cases.get(caseId);
        const { item, duplicate } = await vault.items.addBuffer(caseId, Buffer.from(data.buffer, data.byteOffset, data.byteLength), {
          name,
          ...(mediaType ? { mediaType } : {}),
          source: via === 'paste' ? 'clipboard paste' : 'drag and drop',
          ...(via === 'paste' ? { kind: 'screenshot' as const, capture: { via: 'clipboard', at: new Date().toISOString() } } : {}),
        });
        return { added: duplicate ? [] : [item], duplicates: duplicate ? [item] : [], failed: [], cancelled: false };
      },
      'items.annotate': ({ itemId, ...change }) => this.open().items.annotate(itemId, change),
      'items.exclude': ({ itemId, reason }) => this.open().items.exclude(itemId, reason),
      'items.link': ({ itemId, targetType, targetId }) => {
        this.open().items.link(itemId, targetType, targetId);
        return { ok: true as const };
      },

      'capture.sources': async () => {
        this.open();
        if (!d.capturer) throw new RedressError('CAPTURE_UNAVAILABLE');
        return d.capturer.sources();
      },
      'capture.take': async ({ caseId, sourceId }) => {
        this.open().cases.get(caseId);
        if (!d.capturer) throw new RedressError('CAPTURE_UNAVAILABLE');
        const shot = await d.capturer.capture(sourceId);
        const at = new Date();
        const stamp = at.toISOString().replace(/[:.]/g, '-');
        const { item } = await this.open().items.addBuffer(caseId, shot.png, {
          name: `capture-${stamp}.png`,
          mediaType: 'image/png',
          kind: 'screenshot',
          title: shot.name,
          source: 'screen capture',
          capture: { what: shot.kind, title: shot.name, at: at.toISOString() },
        });
        d.emit('items.changed', { caseId });
        return item;
      },

      'verify.start': ({ caseId }) => ({ jobId: this.jobs.start(this.open(), caseId) }),
      'verify.status': ({ jobId }) => this.jobs.status(jobId),
      'verify.cancel': ({ jobId }) => {
        this.jobs.cancel(jobId);
        return { ok: true as const };
      },

      'checklist.get': ({ caseId }) => {
        const kase = this.open().cases.get(caseId);
        return { checklist: checklistFor(kase.incidentType), state: this.openChecklists().checklist(caseId) };
      },
      'checklist.setStep': ({ caseId, stepId, state }) => {
        const kase = this.open().cases.get(caseId);
        if (!checklistFor(kase.incidentType).steps.some((s) => s.id === stepId)) throw new RedressError('INVALID_INPUT', { field: 'stepId', reason: 'not a step of this checklist' });
        return this.openChecklists().setStep(caseId, stepId, state);
      },
      'checklist.forType': ({ incidentType }) => checklistFor(incidentType),
      ...associationHandlers({
        vault: () => this.open(),
        batches: this.batchJobs,
        bundles: this.bundleJobs,
        picked: this.picked,
        dialogs: { pickFolder: async () => (d.pickFolder ? d.pickFolder() : null), pickBundle: async () => (d.pickBundle ? d.pickBundle() : null), saveFile: async (name, ext) => (d.saveFile ? d.saveFile(name, ext) : null) },
        ...(d.kdf ? { kdf: d.kdf } : {}),
      }),
      ...recordHandlers({ vault: () => this.open(), stages: this.importStages, pickFiles: () => d.pickFiles() }),
      ...packetHandlers({ vault: () => this.open(), jobs: this.packetJobs, pickFolder: async () => (d.pickFolder ? d.pickFolder() : null) }),
      ...vaultHandlers({ vault: () => this.open() }),
    };
  }
}
