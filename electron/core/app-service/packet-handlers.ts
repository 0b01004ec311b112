import { RedressError } from '../errors.js';
import { getRecipient, listRecipients, previewDisclosure, redactImage } from '../packets/index.js';
import { selectItems } from '../packets/index.js';
import type { Vault } from '../vault/vault.js';
import type { Handlers } from './dispatch.js';
import type { PacketJobs } from './packet-jobs.js';

type PacketChannel = 'packets.recipients' | 'packets.preview' | 'packets.start' | 'packets.status' | 'packets.cancel' | 'items.redact';

export interface PacketHandlerDeps {
  /** the open vault, or throws VAULT_LOCKED */
  vault(): Vault;
  jobs: PacketJobs;
  /** the output folder, picked in the main-process dialog; null when the user cancelled */
  pickFolder(): Promise<string | null>;
}

/** The packet and redaction channels, spread into AppService's handlers. */
export function packetHandlers(d: PacketHandlerDeps): Pick<Handlers, PacketChannel> {
  return {
    'packets.recipients': () => [...listRecipients()],
    'packets.preview': ({ caseId, recipientId, itemIds }) => previewDisclosure(d.vault().reader, { caseId, recipientId, ...(itemIds ? { itemIds } : {}) }),
    'packets.start': async ({ caseId, recipientId, lang, itemIds, request }) => {
      // everything the build needs is checked before the dialog opens, so a bad request never asks for a folder
      const vault = d.vault();
      getRecipient(recipientId);
      if (selectItems(vault, vault.cases.get(caseId).id, itemIds).length === 0) throw new RedressError('INVALID_INPUT', { field: 'itemIds', reason: 'no items to send' });
      const outDir = await d.pickFolder();
      if (!outDir) return { jobId: null };
      const jobId = d.jobs.start(d.vault(), { caseId, recipientId, outDir, ...(lang ? { lang } : {}), ...(itemIds ? { itemIds } : {}), ...(request ? { request } : {}) });
      return { jobId };
    },
    'packets.status': ({ jobId }) => d.jobs.status(jobId),
    'packets.cancel': ({ jobId }) => {
      d.jobs.cancel(jobId);
      return { ok: true as const };
    },
    'items.redact': async ({ itemId, boxes, title }) => {
      const vault = d.vault();
      const original = vault.items.get(itemId);
      if (original.excluded) throw new RedressError('INVALID_INPUT', { field: 'itemId', reason: 'the item is excluded' });
      return redactImage(vault, original.id, boxes, title ? { title } : {});
    },
  };
}
