import type { Recipient } from '../../../shared/recipient.js';
import { ProfileRepo } from '../profile/profile-repo.js';
import type { ReadableVault } from '../vault/reader.js';
import { hasGps, RASTER_TYPES } from './images.js';
import { maskProfile, type DisclosedField } from './masking.js';
import { readItem } from './read-item.js';
import { loadPacketRecords } from './records.js';
import { getRecipient } from './recipients.js';
import { selectItems } from './selection.js';

export interface DisclosedItem {
  itemId: string;
  title: string;
  sha256: string;
  mediaType: string;
  /** this item is a redacted copy; the original (named here) stays in the vault */
  redactedFrom: { itemId: string; sha256: string } | null;
  /** the image carries GPS coordinates: they are removed from the copy in the packet */
  locationStripped: boolean;
  /**
   * an image travelling as it is: nothing reads the text in it, so any personal data it shows is not masked (a
   * redacted copy is one the user looked at and blacked out)
   */
  unchecked: boolean;
}

/** Exactly what personal data a packet for this recipient would carry, shown to the user before export. */
export interface DisclosurePreview {
  recipient: Pick<Recipient, 'id' | 'name' | 'kind' | 'jurisdiction' | 'photoMetadata'>;
  fields: DisclosedField[];
  items: DisclosedItem[];
  messages: number;
  transactions: number;
  counterparties: number;
  narrativeIncluded: boolean;
}

/** Enough of a file's start for EXIF (JPEG APP1 and TIFF IFDs sit at the front). */
const EXIF_WINDOW = 512 * 1024;

/**
 * What would leave, and to whom: the victim's fields with their masking rule, the items (redacted copies, GPS that
 * will be stripped) and the record counts. Reads only the start of each image.
 */
export async function previewDisclosure(vault: ReadableVault, options: { caseId: string; recipientId: string; itemIds?: string[] }): Promise<DisclosurePreview> {
  const recipient = getRecipient(options.recipientId);
  const kase = vault.cases.get(options.caseId);
  const masked = maskProfile(new ProfileRepo(vault.context).get(), recipient);
  const selected = selectItems(vault, kase.id, options.itemIds);
  const items: DisclosedItem[] = [];
  for (const { item, redactedFrom } of selected) {
    const gps = RASTER_TYPES.has(item.mediaType) ? await hasGps(await readItem(vault, item.id, EXIF_WINDOW)) : false;
    items.push({ itemId: item.id, title: item.title, sha256: item.sha256, mediaType: item.mediaType, redactedFrom: redactedFrom ? { itemId: redactedFrom.id, sha256: redactedFrom.sha256 } : null, locationStripped: gps, unchecked: isUncheckedImage(item.mediaType, redactedFrom) });
  }
  const sections = new Set(recipient.sections);
  const records = loadPacketRecords(vault, kase.id);
  return {
    recipient: { id: recipient.id, name: recipient.name, kind: recipient.kind, jurisdiction: recipient.jurisdiction, photoMetadata: recipient.photoMetadata },
    fields: masked.fields,
    items,
    messages: sections.has('messages') ? records.messages.length : 0,
    transactions: sections.has('transactions') ? records.transactions.length : 0,
    counterparties: sections.has('counterparties') ? kase.parties.length : 0,
    narrativeIncluded: sections.has('narrative') && kase.narrative.trim().length > 0,
  };
}

/** An image that goes out as it was captured, with whatever it shows: no redacted copy stands for it. */
export function isUncheckedImage(mediaType: string, redactedFrom: unknown): boolean {
  return RASTER_TYPES.has(mediaType) && !redactedFrom;
}
