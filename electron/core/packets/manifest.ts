import { totalLosses } from '../../../shared/case-model.js';
import type { CustodyEntry } from '../custody/entry.js';
import { bodyOf, canonicalJson } from '../custody/entry.js';
import { maskText, type DisclosedField } from './masking.js';
import { packetCustody } from './custody-excerpt.js';
import type { PacketModel } from './model.js';
import type { HashedFile } from './sha256sums.js';
import { manifestSigner } from './signature.js';
import type { VaultSigner } from '../signing/vault-key.js';

/** 2: the whole chain (custody-excerpt.ts), a signature (signature.ts); 1: the entries the items rely on, unsigned */
export const PACKET_FORMAT = 'redress-packet/2';

/**
 * manifest.json, RFC 8785 canonical JSON: the case summary, every item with the vault original's hash and the hash
 * of the file actually in the packet, and the case's custody chain from its first entry to its head, disclosing only
 * what says what each item is (custody-excerpt.ts), so a recipient can recompute every entry hash and every link.
 * Titles come masked, as the model has them (build-packet.ts).
 */
export function manifestJson(model: PacketModel, files: HashedFile[], entries: CustodyEntry[], signer: VaultSigner): string {
  const itemIds = new Set(model.items.flatMap((i) => [i.item.id, ...(i.redactedFrom ? [i.redactedFrom.itemId] : [])]));
  // A v1 entry can only be checked whole: it travels so when the packet relies on it and holds nothing this
  // recipient must not read (its free text gets through masking unchanged, and the recipient reads the narrative).
  const v1Body = (e: CustodyEntry) => {
    if (e.action !== 'case.created' && !(typeof e.payload.itemId === 'string' && itemIds.has(e.payload.itemId))) return false;
    const text = canonicalJson(bodyOf(e));
    return model.recipient.sections.includes('narrative') && maskText(text, model.profile, model.recipient) === text;
  };
  const manifest = {
    format: PACKET_FORMAT,
    generatedAt: model.generatedAt.toISOString(),
    lang: model.lang,
    recipient: { id: model.recipient.id, name: model.recipient.name[model.lang] },
    case: {
      id: model.kase.id,
      title: model.kase.title,
      incidentType: model.kase.incidentType,
      ...(model.kase.startedAt ? { startedAt: model.kase.startedAt } : {}),
      ...(model.kase.discoveredAt ? { discoveredAt: model.kase.discoveredAt } : {}),
      totals: totalLosses(model.kase.losses),
      chainHead: model.kase.head,
    },
    disclosure: model.masked.fields.map((f: DisclosedField) => ({ field: f.field, rule: f.rule, present: f.present })),
    items: model.items.map((pi) => ({
      n: pi.n,
      itemId: pi.item.id,
      title: pi.item.title,
      kind: pi.item.kind,
      mediaType: pi.item.mediaType,
      capturedAt: pi.item.captured.instant,
      capturedZone: pi.item.captured.zone,
      sha256: pi.item.sha256,
      size: pi.item.size,
      addedSeq: pi.item.addedSeq,
      file: pi.path,
      fileSha256: pi.fileSha256,
      fileSize: pi.fileSize,
      transform: pi.transform,
      redactedFrom: pi.redactedFrom,
    })),
    records: { messages: model.records.messages.length, transactions: model.records.transactions.length },
    files,
    signer: manifestSigner(signer),
    custody: packetCustody(entries, model.kase.head, { itemIds, v1Body }),
  };
  return canonicalJson(manifest);
}
