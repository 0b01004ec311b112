import { createHash } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { totalLosses, type CaseRecord } from '../../../shared/case-model.js';
import { localZone } from '../../../shared/format.js';
import type { Recipient } from '../../../shared/recipient.js';
import type { VictimProfile } from '../../../shared/victim-profile.js';
import { appendEntry, readEntries } from '../custody/chain.js';
import { RedressError } from '../errors.js';
import { ProfileRepo } from '../profile/profile-repo.js';
import { SealedFileError } from '../vault/sealed-file.js';
import type { Vault } from '../vault/vault.js';
import { isUncheckedImage, type DisclosurePreview } from './disclosure.js';
import { LABELS, type PacketLang } from './labels.js';
import { manifestJson } from './manifest.js';
import { maskProfile, maskText } from './masking.js';
import type { PacketItem, PacketModel } from './model.js';
import { PacketOutput, type PacketLeftovers } from './output.js';
import { writePacketItems } from './packet-items.js';
import { renderPacketPdf } from './pdf/render.js';
import { readmeText } from './readme-txt.js';
import { getRecipient } from './recipients.js';
import { loadPacketRecords } from './records.js';
import { selectItems } from './selection.js';
import { formatSha256Sums, type HashedFile } from './sha256sums.js';
import { SIGNATURE_FILE, SIGNER_KEY_FILE } from './signature.js';
import { verifyHtml } from './verify-html.js';
import { assertCaseVerified } from '../verify/gate.js';
import { planVolumes, type VolumePlan } from './volumes.js';
import { writeZip, ZipWriter } from './zip.js';

export interface PacketProgress {
  phase: 'originals' | 'pdf' | 'checksums' | 'zip';
  done: number;
  total: number;
}

export interface BuildPacketOptions {
  caseId: string;
  recipientId: string;
  /** packet language; defaults to the recipient's */
  lang?: PacketLang;
  /** item ids (or unique prefixes); default: every item not excluded */
  itemIds?: string[];
  /** the packet folder and ZIP are created inside this folder */
  outDir: string;
  /** overrides the recipient's default request text */
  request?: string;
  signal?: AbortSignal;
  onProgress?: (p: PacketProgress) => void;
}

export interface PacketVolume {
  path: string;
  bytes: number;
  files: number;
}

export interface BuildPacketResult {
  dir: string;
  /** the ZIP of the whole folder, or its first volume when split */
  zipPath: string;
  pdfPath: string;
  /** SHA-256 of SHA256SUMS, which lists every file of the packet: the packet's own hash, recorded on the chain */
  packetSha256: string;
  /** the fingerprint of the vault key that signed SHA256SUMS: what the sender gives recipients another way */
  keyFingerprint: string;
  volumes: PacketVolume[];
  /** files over the recipient's per-file or total limit even on their own */
  oversized: string[];
  /** images whose GPS location could not be removed (formats sharp cannot decode, e.g. HEIC): the user must decide */
  locationKept: string[];
  /** images that could not be decoded (cut short, damaged): a card in the PDF says so; the files are in as they are */
  unrendered: string[];
  pages: number;
  files: HashedFile[];
  disclosure: DisclosurePreview;
  /** what builds that died before left, settled before this one (output.ts) */
  leftovers: PacketLeftovers;
}

/** One build in progress: what each of its steps needs. */
interface PacketBuild {
  vault: Vault;
  recipient: Recipient;
  lang: PacketLang;
  kase: CaseRecord;
  generatedAt: Date;
  /** the packet folder's name, and its ZIP's */
  name: string;
  /** the packet's private folder beside the output, where it is assembled (output.ts) */
  output: PacketOutput;
  /** the packet folder while it is assembled, inside the private folder; renamed into place once recorded */
  work: string;
  /** page-sized JPEG copies for the PDF: inside the partial folder so a failed build removes them too */
  copies: string;
  copyJobs: Promise<unknown>[];
  /**
   * One volume (no total attachment limit): the ZIP is written while the packet is made, each entry as soon as its
   * file exists, and the PDF straight from its writer. Volumes need every size first, so they are zipped at the end.
   */
  streamed: ZipWriter | null;
  signal?: AbortSignal;
  onProgress?: (p: PacketProgress) => void;
  check: () => void;
}

/** manifest.json, README.txt, SHA256SUMS and its signature as written, and the plan of volumes the README announces. */
interface PacketListing {
  manifestText: string;
  readme: string;
  sums: string;
  signature: Buffer;
  /** vault-key.pem */
  keyPem: string;
  packetSha256: string;
  /** every file SHA256SUMS lists */
  all: HashedFile[];
  plan: VolumePlan;
}

/**
 * Builds a complaint packet for one recipient: <outDir>/<name>/ with packet.pdf, originals/, manifest.json,
 * SHA256SUMS, README.txt and verify.html, plus <name>.zip (or numbered volumes under the recipient's attachment
 * limit); folders 0700, files 0600. Everything is assembled in a private folder beside the output, the export is
 * recorded on the case's custody chain, and only then is the packet renamed into place: a cancelled, failed or killed
 * build leaves nothing that looks like a packet, and a packet never appears without its entry. What a killed build
 * left is settled by the next one (see output.ts, also for a crash between the entry and the rename).
 */
export async function buildPacket(vault: Vault, options: BuildPacketOptions): Promise<BuildPacketResult> {
  const { signal, onProgress } = options;
  const check = () => {
    if (signal?.aborted) throw new RedressError('CANCELLED');
  };
  const recipient = getRecipient(options.recipientId);
  const lang = options.lang ?? recipient.defaultLang;
  const kase = vault.cases.get(vault.cases.resolve(options.caseId));
  await assertCaseVerified(vault, kase.id, signal);
  const selected = selectItems(vault, kase.id, options.itemIds);
  const profile = new ProfileRepo(vault.context).get();
  const generatedAt = vault.context.clock.now();
  const name = `redress-${recipient.id}-${kase.id.slice(0, 8)}-${generatedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
  const output = await PacketOutput.begin(vault, options.outDir, name, kase.id);
  const dir = output.final(name);
  const work = output.work;
  const copies = join(work, '.pdf-images');
  const streamed = recipient.attachmentLimit?.totalBytes ? null : new ZipWriter(output.staged(`${name}.zip`), generatedAt, signal);
  const b: PacketBuild = { vault, recipient, lang, kase, generatedAt, name, output, work, copies, copyJobs: [], streamed, signal, onProgress, check };
  let recorded = false;

  try {
    await mkdir(join(work, 'originals'), { mode: 0o700 });
    await mkdir(copies, { mode: 0o700 });
    const { items, locationKept } = await writePacketItems(vault, selected, {
      recipient,
      mask: (text) => maskText(text, profile, recipient),
      work,
      name,
      copies,
      streamed,
      copyJobs: b.copyJobs,
      signal,
      onProgress: (done, total) => onProgress?.({ phase: 'originals', done, total }),
      check,
    });
    const model = packetModel(b, profile, items, options.request);
    check();
    const pdf = await writePdf(b, model);
    const html = await writeVerifyHtml(b, model);
    const listing = await writeListing(b, model, pdf, html);
    const staged = await zipPacket(b, listing, html);
    await output.seal(listing.packetSha256, staged.map((v) => basename(v.path)));
    check(); // the last moment a cancel can take effect: once recorded, the export has happened
    recordExport(b, items, listing, staged.length);
    recorded = true;
    await output.publish();
    const volumes = staged.map((v) => ({ ...v, path: output.final(basename(v.path)) }));
    return {
      dir,
      zipPath: volumes[0]!.path,
      pdfPath: join(dir, 'packet.pdf'),
      packetSha256: listing.packetSha256,
      keyFingerprint: vault.context.signer.fingerprint,
      volumes,
      oversized: listing.plan.oversized,
      locationKept,
      unrendered: items.filter((i) => i.unrendered).map((i) => i.path),
      pages: pdf.pages,
      files: [...listing.all, { path: 'SHA256SUMS', sha256: listing.packetSha256, size: Buffer.byteLength(listing.sums) }, { path: SIGNATURE_FILE, sha256: sha256(listing.signature), size: listing.signature.length }],
      disclosure: disclosed(model),
      leftovers: output.leftovers,
    };
  } catch (err) {
    await Promise.allSettled(b.copyJobs); // sharp must not still be writing into the folder being removed
    await streamed?.abort();
    // Once the export is recorded the packet is kept, whatever went wrong putting it in place: the next run does it.
    if (!recorded) await output.discard();
    // a stream stopped by the signal rejects with its own AbortError: the caller is told it was cancelled
    if (signal?.aborted) throw new RedressError('CANCELLED');
    if (err instanceof SealedFileError) throw new RedressError('VAULT_CORRUPT', { detail: 'a stored original is damaged; run "redress verify"' }, { cause: err });
    throw err;
  }
}

function packetModel({ vault, recipient, lang, kase, generatedAt }: PacketBuild, profile: VictimProfile, items: PacketItem[], request: string | undefined): PacketModel {
  // Titles and notes are the victim's free text like the narrative: masked once here, so that the PDF, manifest,
  // README and verify.html all carry the masked form.
  const mask = (text: string) => maskText(text, profile, recipient);
  return {
    lang,
    labels: LABELS[lang],
    recipient,
    kase: { ...kase, title: mask(kase.title) },
    profile,
    masked: maskProfile(profile, recipient),
    items: items.map((i) => ({ ...i, item: { ...i.item, title: mask(i.item.title), notes: mask(i.item.notes) } })),
    records: loadPacketRecords(vault, kase.id),
    totals: totalLosses(kase.losses),
    generatedAt,
    zone: localZone(),
    request: request?.trim() || recipient.request[lang],
    keyFingerprint: vault.context.signer.fingerprint,
  };
}

/** Lays out packet.pdf (into the streamed ZIP too), then drops the PDF's image copies once every one is done. */
async function writePdf({ work, name, streamed, signal, onProgress, copies, copyJobs }: PacketBuild, model: PacketModel) {
  const pdfPath = join(work, 'packet.pdf');
  const sink = streamed?.addStream(`${name}/packet.pdf`);
  const pdf = await renderPacketPdf(model, pdfPath, { ...(signal ? { signal } : {}), ...(sink ? { sink } : {}), onBlock: (done, total) => onProgress?.({ phase: 'pdf', done, total }) });
  await Promise.allSettled(copyJobs);
  await rm(copies, { recursive: true, force: true });
  return pdf;
}

async function writeVerifyHtml({ work, lang, recipient }: PacketBuild, model: PacketModel): Promise<string> {
  const html = verifyHtml({ lang, caseTitle: model.kase.title, recipientName: recipient.name[lang] });
  await writeFile(join(work, 'verify.html'), html);
  return html;
}

/** Writes the files that describe the others. */
async function writeListing(b: PacketBuild, model: PacketModel, pdf: { sha256: string; size: number }, html: string): Promise<PacketListing> {
  const { vault, recipient, lang, kase, generatedAt, work, onProgress } = b;
  const items = model.items;
  onProgress?.({ phase: 'checksums', done: 0, total: 1 });
  const keyPem = vault.context.signer.publicKeyPem;
  await writeFile(join(work, SIGNER_KEY_FILE), keyPem);
  const coreHashed: HashedFile[] = [
    { path: 'packet.pdf', sha256: pdf.sha256, size: pdf.size },
    { path: 'verify.html', sha256: sha256(html), size: Buffer.byteLength(html) },
    { path: SIGNER_KEY_FILE, sha256: sha256(keyPem), size: Buffer.byteLength(keyPem) },
  ];
  const evidence: HashedFile[] = items.map((i) => ({ path: i.path, sha256: i.fileSha256, size: i.fileSize }));
  const entries = readEntries(vault.context.db, kase.id);
  const manifestText = manifestJson(model, [...coreHashed, ...evidence], entries, vault.context.signer);
  await writeFile(join(work, 'manifest.json'), manifestText);

  // the README states the number of volumes and SHA256SUMS hashes the README: the plan comes first, on estimates
  const estimateReadme = 4096;
  const estimateSums = (items.length + 5) * 200;
  const pdfFile = coreHashed.find((f) => f.path === 'packet.pdf')!;
  const htmlFile = coreHashed.find((f) => f.path === 'verify.html')!;
  const keyFile = coreHashed.find((f) => f.path === SIGNER_KEY_FILE)!;
  const plan = planVolumes([pdfFile], evidence, recipient.attachmentLimit, [
    htmlFile,
    keyFile,
    { path: SIGNATURE_FILE, size: 64 },
    { path: 'manifest.json', size: Buffer.byteLength(manifestText) },
    { path: 'README.txt', size: estimateReadme },
    { path: 'SHA256SUMS', size: estimateSums },
  ]);
  const readme = readmeText({ lang, recipientName: recipient.name[lang], caseTitle: model.kase.title, fileCount: items.length + PACKET_OWN_FILES, volumes: plan.volumes.length, generatedAt: generatedAt.toISOString(), keyFingerprint: vault.context.signer.fingerprint });
  await writeFile(join(work, 'README.txt'), readme);
  const all: HashedFile[] = [
    ...coreHashed,
    { path: 'manifest.json', sha256: sha256(manifestText), size: Buffer.byteLength(manifestText) },
    { path: 'README.txt', sha256: sha256(readme), size: Buffer.byteLength(readme) },
    ...evidence,
  ];
  const sums = formatSha256Sums(all);
  await writeFile(join(work, 'SHA256SUMS'), sums);
  // SHA256SUMS names every other file by its hash, the key among them: signing it signs the packet
  const signature = vault.context.signer.sign(sums);
  await writeFile(join(work, SIGNATURE_FILE), signature);
  return { manifestText, readme, sums, signature, keyPem, packetSha256: sha256(sums), all, plan };
}

/** Completes the ZIP (or writes the volumes), in the private folder beside the packet folder; their paths there. */
async function zipPacket({ name, output, work, streamed, generatedAt, signal, onProgress, check }: PacketBuild, listing: PacketListing, html: string): Promise<PacketVolume[]> {
  const { plan } = listing;
  const volumes: PacketVolume[] = [];
  if (streamed) {
    onProgress?.({ phase: 'zip', done: 0, total: 1 });
    streamed.addBuffer(`${name}/verify.html`, html);
    streamed.addBuffer(`${name}/manifest.json`, listing.manifestText);
    streamed.addBuffer(`${name}/README.txt`, listing.readme);
    streamed.addBuffer(`${name}/${SIGNER_KEY_FILE}`, listing.keyPem);
    streamed.addBuffer(`${name}/SHA256SUMS`, listing.sums);
    streamed.addBuffer(`${name}/${SIGNATURE_FILE}`, listing.signature);
    await streamed.finish();
  }
  check();
  if (streamed) {
    await streamed.commit();
    volumes.push({ path: streamed.path, bytes: (await stat(streamed.path)).size, files: listing.all.length + UNLISTED_FILES });
  }

  for (const [i, files] of (streamed ? [] : plan.volumes).entries()) {
    check();
    onProgress?.({ phase: 'zip', done: i, total: plan.volumes.length });
    const zipPath = output.staged(plan.volumes.length === 1 ? `${name}.zip` : `${name}.part${i + 1}of${plan.volumes.length}.zip`);
    await writeZip(files.map((f) => ({ source: join(work, f.path), name: `${name}/${f.path}` })), zipPath, generatedAt, signal);
    volumes.push({ path: zipPath, bytes: (await stat(zipPath)).size, files: files.length });
  }
  onProgress?.({ phase: 'zip', done: plan.volumes.length, total: plan.volumes.length });
  return volumes;
}

function recordExport({ vault, recipient, lang, kase }: PacketBuild, items: PacketItem[], listing: PacketListing, volumes: number): void {
  const { db, clock, actor } = vault.context;
  db.transaction(() => {
    appendEntry(db, clock, actor, kase.id, 'packet.exported', {
      recipientId: recipient.id,
      lang,
      items: items.map((i) => ({ itemId: i.item.id, sha256: i.item.sha256, fileSha256: i.fileSha256 })),
      packetSha256: listing.packetSha256,
      files: listing.all.length + UNLISTED_FILES,
      volumes,
    });
  })();
}

function disclosed({ recipient, kase, masked, items, records }: PacketModel): DisclosurePreview {
  return {
    recipient: { id: recipient.id, name: recipient.name, kind: recipient.kind, jurisdiction: recipient.jurisdiction, photoMetadata: recipient.photoMetadata },
    fields: masked.fields,
    items: items.map((i) => ({ itemId: i.item.id, title: i.item.title, sha256: i.item.sha256, mediaType: i.item.mediaType, redactedFrom: i.redactedFrom, locationStripped: i.transform !== null, unchecked: isUncheckedImage(i.item.mediaType, i.redactedFrom) })),
    messages: recipient.sections.includes('messages') ? records.messages.length : 0,
    transactions: recipient.sections.includes('transactions') ? records.transactions.length : 0,
    counterparties: recipient.sections.includes('counterparties') ? kase.parties.length : 0,
    narrativeIncluded: recipient.sections.includes('narrative') && kase.narrative.trim().length > 0,
  };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** packet.pdf, verify.html, vault-key.pem, manifest.json, README.txt, SHA256SUMS and its signature */
const PACKET_OWN_FILES = 7;
/** SHA256SUMS and its signature: the files SHA256SUMS cannot list */
const UNLISTED_FILES = 2;
