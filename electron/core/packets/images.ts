import exifr from 'exifr';
import piexif from 'piexifjs';
import type { Recipient } from '../../../shared/recipient.js';
import { stat } from 'node:fs/promises';
import { loadSharp } from '../native/sharp.js';
import type { JpegFile } from './pdf/file-image.js';

/** Decoding limit: a hostile "image" must not make the packet builder allocate gigabytes. */
const MAX_PIXELS = 120_000_000;
/**
 * How every image is opened. failOn 'truncated': a file cut short (a PNG or JPEG whose transfer broke off) is an
 * error, as are broken headers and data; harmless warnings (a JPEG with a few extraneous bytes) are not, so such a
 * photo is still shown. libvips's default ('warning') would reject those too.
 */
const INPUT = { limitInputPixels: MAX_PIXELS, failOn: 'truncated' } as const;

/**
 * An image whose header or pixels cannot be read: the packet shows it as a file card and includes the file as it is.
 * `part` says which, for the card; libvips's own message is kept for logs only: it is English, and with two images
 * decoded at once it is sometimes lost ("Unknown error"), so a packet never prints it.
 */
export class UndecodableImage extends Error {
  constructor(
    readonly part: 'header' | 'data',
    cause: unknown,
  ) {
    super(`${part}: ${String((cause as Error)?.message ?? cause).split('\n')[0]!.trim().slice(0, 120)}`, { cause });
    this.name = 'UndecodableImage';
  }
}

/** PDF copies are page-sized: enough for A4 at ~240 dpi, far smaller than phone originals when re-encoded. */
export const PDF_COPY_LONG_SIDE = 2000;
/** For recipients with an upload limit: still legible on A4, a fraction of the bytes. */
export const PDF_COMPACT_LONG_SIDE = 1400;
/** A JPEG at most this big (and without location or rotation) goes into the PDF byte for byte. */
const AS_IS_MAX_BYTES = 8 * 1024 * 1024;

export const RASTER_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/tiff', 'image/heic', 'image/heif', 'image/avif', 'image/bmp']);

export interface ImageInfo {
  format: string;
  width: number;
  height: number;
  orientation: number;
  channels: number;
  space: string;
  hasGps: boolean;
}

/**
 * What packets need to know of an image, once it is known that it can be drawn: the header alone can be whole while
 * the pixels are not (a PNG cut in half has a valid header), and such a file failed every later step, the PDF
 * copy first, and with it the whole packet. So the image is decoded once, to a thumbnail (JPEGs decode at 1/8 scale
 * then, but still read every byte), before anything relies on it. Throws UndecodableImage.
 *
 * Except a photo the packet carries byte for byte (a plain JPEG: embeddableAsIs once any location is removed, which
 * leaves the pixels as they are): nothing here decodes it, and the test decode was a third of a full decode, 37 ms
 * of a 2 MB phone photo, most of a packet of photos. What such a file can have lost, its end, is seen from its last
 * bytes: a JPEG cut short has no end-of-image marker there. One with data after the marker (a motion photo's video)
 * is decoded as any other.
 */
export async function imageInfo(data: Buffer): Promise<ImageInfo> {
  const sharp = await loadSharp();
  const meta = await sharp(data, INPUT)
    .metadata()
    .catch((err: unknown) => {
      throw new UndecodableImage('header', err);
    });
  const info: ImageInfo = {
    format: meta.format ?? 'unknown',
    width: meta.width ?? 0,
    height: meta.height ?? 0,
    orientation: meta.orientation ?? 1,
    channels: meta.channels ?? 0,
    space: meta.space ?? '',
    hasGps: await hasGps(data),
  };
  if (!(embeddableAsIs({ ...info, hasGps: false }, data.length) && endsWithJpegEoi(data))) {
    await sharp(data, INPUT)
      .resize(64, 64, { fit: 'inside' })
      .raw()
      .toBuffer()
      .catch((err: unknown) => {
        throw new UndecodableImage('data', err);
      });
  }
  return info;
}

/** The JPEG end-of-image marker (FF D9) is the file's last two bytes. */
export function endsWithJpegEoi(data: Buffer): boolean {
  return data.length >= 4 && data[data.length - 2] === 0xff && data[data.length - 1] === 0xd9;
}

export async function hasGps(data: Buffer): Promise<boolean> {
  try {
    const gps = await exifr.gps(data);
    return !!gps && (Number.isFinite(gps.latitude) || Number.isFinite(gps.longitude));
  } catch {
    return false;
  }
}

export interface PdfImage extends JpegFile {
  /** true when the original JPEG bytes are embedded unchanged */
  asIs: boolean;
}

/** A JPEG the PDF can carry byte for byte: no location, upright, RGB or grey, of a sane size. */
export function embeddableAsIs(info: ImageInfo, size: number): boolean {
  const colour = (info.channels === 3 && info.space === 'srgb') || (info.channels === 1 && info.space === 'b-w');
  return info.format === 'jpeg' && colour && !info.hasGps && info.orientation === 1 && size <= AS_IS_MAX_BYTES && info.width > 0 && info.height > 0;
}

/**
 * The picture that goes into packet.pdf, as a JPEG file. pdf-lib embeds JPEG bytes as they are but re-deflates
 * PNGs in JavaScript, so every copy is a JPEG. An original JPEG that is embeddable as is (see above) is used
 * directly: no generation loss, no CPU, and the PDF stays about the size of the photos. Anything else is decoded
 * once by sharp (pixel limit enforced), turned upright, fitted into 2000 px and re-encoded without any metadata
 * into `copyPath`. A recipient with an upload limit always gets compact copies (1400 px, quality 70), so that the
 * PDF itself stays far below the limit; the full-size originals travel in originals/.
 */
export async function pdfCopy(source: { path: string; data?: Buffer }, info: ImageInfo, copyPath: string, options: { compact?: boolean } = {}): Promise<PdfImage> {
  const size = source.data?.length ?? (await stat(source.path)).size;
  if (!options.compact && embeddableAsIs(info, size)) {
    return { path: source.path, size, width: info.width, height: info.height, colorSpace: info.channels === 1 ? 'DeviceGray' : 'DeviceRGB', asIs: true };
  }
  const longSide = options.compact ? PDF_COMPACT_LONG_SIDE : PDF_COPY_LONG_SIDE;
  const out = await (await loadSharp())(source.data ?? source.path, INPUT)
    .rotate()
    .resize({ width: longSide, height: longSide, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: options.compact ? 70 : 85, chromaSubsampling: info.format === 'png' ? '4:4:4' : '4:2:0' })
    .toFile(copyPath);
  return { path: copyPath, size: out.size, width: out.width, height: out.height, colorSpace: 'DeviceRGB', asIs: false };
}

export type OriginalTransform = 'exif-removed' | 'gps-removed' | 'reencoded-lossless' | 'reencoded';

/**
 * The file that goes into originals/: the exact stored bytes, unless the image carries GPS coordinates. Location is
 * stripped for every recipient: a JPEG loses its EXIF segment (pixels byte-identical), or, for a recipient that keeps
 * the capture metadata (`photoMetadata: capture`, the police), keeps in it only the capture time and the device;
 * a PNG/WebP is re-encoded losslessly, anything else is re-encoded at high quality. The manifest names both hashes
 * so the change is visible.
 */
export async function locationFreeOriginal(data: Buffer, info: ImageInfo, keep: Recipient['photoMetadata'] = 'none'): Promise<{ bytes: Buffer; transform: OriginalTransform | null }> {
  if (!info.hasGps) return { bytes: data, transform: null };
  if (info.format === 'jpeg') {
    const bare = piexif.remove(data.toString('latin1'));
    const capture = keep === 'capture' ? captureExif(data.toString('latin1')) : null;
    const stripped = Buffer.from(capture ? piexif.insert(capture, bare) : bare, 'latin1');
    if (!(await hasGps(stripped))) return { bytes: stripped, transform: capture ? 'gps-removed' : 'exif-removed' };
  }
  const sharp = await loadSharp();
  const image = sharp(data, INPUT);
  if (info.format === 'png') return { bytes: await image.png().toBuffer(), transform: 'reencoded-lossless' };
  if (info.format === 'webp') return { bytes: await image.webp({ lossless: true }).toBuffer(), transform: 'reencoded-lossless' };
  return { bytes: await image.rotate().jpeg({ quality: 95 }).toBuffer(), transform: 'reencoded' };
}

/**
 * The capture time and the device, and nothing else, of a JPEG's EXIF (piexifjs: tag numbers per EXIF 2.32), as an
 * EXIF segment to insert; null when the photo records neither or its EXIF cannot be read. No location, no serial
 * numbers, no owner's name, no thumbnail (which could show what a redaction hid).
 */
function captureExif(jpeg: string): string | null {
  let exif: ReturnType<typeof piexif.load>;
  try {
    exif = piexif.load(jpeg);
  } catch {
    return null;
  }
  const pick = (ifd: Record<number, unknown> | undefined, tags: number[]) => Object.fromEntries(tags.filter((t) => ifd?.[t] !== undefined).map((t) => [t, ifd![t]]));
  const zeroth = pick(exif['0th'], CAPTURE_TAGS.image);
  const exifIfd = pick(exif.Exif, CAPTURE_TAGS.exif);
  if (!Object.keys(zeroth).length && !Object.keys(exifIfd).length) return null;
  try {
    return piexif.dump({ '0th': zeroth, Exif: exifIfd, GPS: {}, Interop: {}, '1st': {}, thumbnail: null });
  } catch {
    return null;
  }
}

// piexifjs 1.0.4 predates EXIF 2.31's time zone tags, and load drops tags it does not know: without them the
// capture time would travel without its zone.
for (const [tag, name] of [
  [0x9010, 'OffsetTime'],
  [0x9011, 'OffsetTimeOriginal'],
  [0x9012, 'OffsetTimeDigitized'],
] as const) {
  piexif.TAGS.Exif[tag] ??= { name, type: 'Ascii' };
}

const CAPTURE_TAGS = {
  // Make, Model, Orientation (so the photo shows upright), DateTime
  image: [0x010f, 0x0110, 0x0112, 0x0132],
  // DateTimeOriginal, DateTimeDigitized, OffsetTime, OffsetTimeOriginal, OffsetTimeDigitized, SubSecTime(Original, Digitized)
  exif: [0x9003, 0x9004, 0x9010, 0x9011, 0x9012, 0x9290, 0x9291, 0x9292],
};

export interface RedactionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Black boxes burnt into the pixels (not an overlay a viewer could remove); metadata is not carried over. */
export async function burnBoxes(data: Buffer, boxes: RedactionBox[]): Promise<{ bytes: Buffer; mediaType: string }> {
  const sharp = await loadSharp();
  const base = sharp(data, INPUT).rotate();
  const { data: upright, info } = await base.toBuffer({ resolveWithObject: true });
  const overlays = boxes
    .map((b) => {
      const left = Math.max(0, Math.floor(b.x));
      const top = Math.max(0, Math.floor(b.y));
      const width = Math.min(info.width - left, Math.ceil(b.w));
      const height = Math.min(info.height - top, Math.ceil(b.h));
      return { left, top, width, height };
    })
    .filter((b) => b.width > 0 && b.height > 0)
    .map((b) => ({ input: { create: { width: b.width, height: b.height, channels: 3 as const, background: '#000000' } }, left: b.left, top: b.top }));
  const composed = sharp(upright).composite(overlays);
  if (info.format === 'jpeg') return { bytes: await composed.jpeg({ quality: 92 }).toBuffer(), mediaType: 'image/jpeg' };
  return { bytes: await composed.png().toBuffer(), mediaType: 'image/png' };
}
