import { basename } from 'node:path';
import type { ASSOCIATION_CHANNELS } from '../../../shared/ipc/channels-association.js';
import { createI18n } from '../../../shared/i18n/index.js';
import { RedressError } from '../errors.js';
import { listRecipients } from '../packets/index.js';
import { computeStats, exportStats } from '../stats/index.js';
import type { KdfParams } from '../vault/keys.js';
import type { Vault } from '../vault/vault.js';
import { assertStrongPassphrase } from '../passphrase-policy.js';
import type { BatchJobs } from './batch-jobs.js';
import type { BundleJobs } from './bundle-jobs.js';
import type { Handlers } from './dispatch.js';
import type { PickedPaths } from './picked-paths.js';

type AssociationChannel = keyof typeof ASSOCIATION_CHANNELS;

/** The main-process dialogs the association view needs; each resolves to null when the user cancels. */
export interface AssociationDialogs {
  pickFolder(): Promise<string | null>;
  pickBundle(): Promise<string | null>;
  /** a save dialog proposing `suggestedName`, limited to the given extensions */
  saveFile(suggestedName: string, extensions: string[]): Promise<string | null>;
}

export interface AssociationHandlerDeps {
  /** the open vault, or throws VAULT_LOCKED */
  vault(): Vault;
  batches: BatchJobs;
  bundles: BundleJobs;
  picked: PickedPaths;
  dialogs: AssociationDialogs;
  /** cheaper bundle key derivation in tests */
  kdf?: KdfParams;
}

/** The statistics, batch export and bundle channels, spread into AppService's handlers. */
export function associationHandlers(d: AssociationHandlerDeps): Pick<Handlers, AssociationChannel> {
  return {
    'association.stats': (selection) => {
      const vault = d.vault().reader;
      const stats = computeStats(vault, selection);
      const named = new Set(stats.sharedCounterparties.flatMap((s) => s.caseIds));
      const caseTitles = Object.fromEntries([...named].map((id) => [id, vault.cases.get(id).title]));
      return { ...stats, caseTitles };
    },
    'association.exportStats': async ({ selection, format, lang }) => {
      d.vault();
      const path = await d.dialogs.saveFile(`redress-statistics-${new Date().toISOString().slice(0, 10)}.${format}`, [format]);
      if (!path) return { saved: false, file: null };
      // computed after the dialog: the figures are those of the moment of saving
      const stats = computeStats(d.vault().reader, selection);
      await exportStats(stats, { [format]: path }, createI18n(lang).t, lang);
      return { saved: true, file: basename(path) };
    },
    'association.recipients': () => listRecipients().map((r) => ({ id: r.id, name: r.name, kind: r.kind })),

    'batch.pickFolder': async () => {
      d.vault();
      const folder = await d.dialogs.pickFolder();
      return folder ? { folderId: d.picked.add(folder), folder } : { folderId: null, folder: null };
    },
    'batch.start': ({ folderId, recipientId, selection, lang }) => {
      const outDir = d.picked.get(folderId, 'folderId');
      return { jobId: d.batches.start(d.vault(), { outDir, recipientId, selection, t: createI18n(lang).t }) };
    },
    'batch.status': ({ jobId }) => d.batches.status(jobId),
    'batch.cancel': ({ jobId }) => {
      d.batches.cancel(jobId);
      return { ok: true as const };
    },

    'bundle.exportStart': async ({ caseId, passphrase, passphraseRepeat }) => {
      // checked before the dialog, so a mistyped passphrase never asks where to save
      if (passphrase !== passphraseRepeat) throw new RedressError('PASSPHRASE_MISMATCH');
      await assertStrongPassphrase(passphrase);
      const kase = d.vault().cases.get(caseId);
      const out = await d.dialogs.saveFile(`${fileStem(kase.title, kase.id)}.redress`, ['redress']);
      if (!out) return { jobId: null };
      return { jobId: d.bundles.startExport(d.vault(), kase.id, out, passphrase, d.kdf) };
    },
    'bundle.pickImport': async () => {
      d.vault();
      const path = await d.dialogs.pickBundle();
      return path ? { fileId: d.picked.add(path), name: basename(path) } : { fileId: null, name: null };
    },
    'bundle.importStart': ({ fileId, passphrase, acceptSigner }) => ({ jobId: d.bundles.startImport(d.vault(), d.picked.get(fileId, 'fileId'), passphrase, acceptSigner ?? false) }),
    'bundle.status': ({ jobId }) => d.bundles.status(jobId),
    'bundle.cancel': ({ jobId }) => {
      d.bundles.cancel(jobId);
      return { ok: true as const };
    },
  };
}

/** A file name from a case title that every file system accepts. */
function fileStem(title: string, id: string): string {
  const stem = title
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what must go
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
    .replace(/^[\s.-]+|[\s.-]+$/g, '')
    .slice(0, 60);
  return stem || `case-${id.slice(0, 8)}`;
}
