import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { APP_VERSION } from '../../data-dir.js';
import type { PacketModel } from '../model.js';
import { blockText, sanitizeBlocks, type Block } from './blocks.js';
import { relabelCffFont } from './cff-font-dict.js';
import { coverage, subsetFor } from './fonts.js';
import { Layout, type LayoutOptions } from './layout.js';
import { packetBlocks } from './sections.js';
import { PdfFileWriter } from './write-pdf.js';
import { embedJpegFile, type EmbeddedJpeg } from './file-image.js';
import { RedressError } from '../../errors.js';
import type { ZipSink } from '../zip.js';

// Drawn by the layout itself (page numbers, bullets) rather than taken from the blocks.
const LAYOUT_CHARS = '0123456789 /•—?';

/** Lays out and writes packet.pdf; returns the page count and the written file's SHA-256 and size. */
export async function renderPacketPdf(model: PacketModel, path: string, options: LayoutOptions & { sink?: ZipSink } = {}): Promise<{ pages: number; sha256: string; size: number }> {
  const blocks = packetBlocks(model);
  sanitizeBlocks(blocks, await coverage('regular'));
  const title = model.labels.docTitle(model.kase.title);
  const used = [...new Set(blockText(blocks) + title + LAYOUT_CHARS)].join('');
  const [regularBytes, boldBytes] = await Promise.all([subsetFor('regular', used), subsetFor('bold', used)]);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  // No ligatures: "fi" drawn as one glyph would break text search and copying of commands and file names.
  const features = { liga: false, dlig: false, clig: false, calt: false };
  const regular = await doc.embedFont(regularBytes, { subset: false, features });
  const bold = await doc.embedFont(boldBytes, { subset: false, features });

  const writer = await PdfFileWriter.create(path, options.sink);
  try {
    const pictures = embedAhead(doc, writer, blocks);
    const layout = new Layout(doc, regular, bold, pictures.get);
    await layout.render(blocks, options).catch(async (err: unknown) => {
      await pictures.stop();
      throw err;
    });
    await pictures.done();
    layout.footers(title);
    layout.writeOutline();
    await relabelCffFont(doc, regular);
    await relabelCffFont(doc, bold);

    doc.setTitle(title, { showInWindowTitleBar: true });
    doc.setAuthor(model.masked.name ?? '');
    doc.setSubject(`${model.labels.subject} — ${model.recipient.name[model.lang]}`);
    doc.setKeywords(['redress', model.recipient.id, model.kase.id]);
    doc.setCreator(`Redress ${APP_VERSION}`);
    doc.setProducer(`Redress ${APP_VERSION} (pdf-lib)`);
    doc.setCreationDate(model.generatedAt);
    doc.setModificationDate(model.generatedAt);
    doc.setLanguage(model.lang);
    const written = await writer.finish(doc, options.signal);
    return { pages: doc.getPageCount(), ...written };
  } catch (err) {
    await writer.close();
    throw err;
  }
}

type ImageBlock = Extract<Block, { t: 'image' }>;

/**
 * Embeds and writes every picture in the background, in document order, while the text before them is laid out:
 * the pictures are the PDF's bulk (hundreds of megabytes), and writing them only once the layout reached the
 * appendices left the disk idle during the layout and the processor idle during the writing. Image objects never
 * change after they are made, so they can be written before the pages that show them.
 */
function embedAhead(doc: PDFDocument, writer: PdfFileWriter, blocks: Block[]) {
  const embedded = new Map<ImageBlock, Promise<EmbeddedJpeg>>();
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();
  for (const b of blocks) {
    if (b.t !== 'image') continue;
    const next = chain.then(async () => {
      if (stopped) throw new RedressError('CANCELLED');
      const { embedded: image, object } = embedJpegFile(doc, await b.load());
      await writer.writeObject(image.ref, object);
      return image;
    });
    next.catch(() => undefined); // the layout awaits it; a layout that fails first must not leave it unhandled
    embedded.set(b, next);
    chain = next;
  }
  const settled = () => chain.then(
    () => undefined,
    () => undefined,
  );
  return {
    get: (b: ImageBlock) => embedded.get(b)!,
    /** every picture written (throws the first failure) */
    done: async () => void (await chain),
    /** no more pictures are started; resolves once the one being written is done */
    stop: async () => {
      stopped = true;
      await settled();
    },
  };
}
