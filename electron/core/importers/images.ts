// sharp (libvips) and exifr are loaded when an image is imported, not by every import: an SMS or CSV import process
// then stays tens of MB smaller.
import { RedressError } from '../errors.js';
import { loadSharp } from '../native/sharp.js';
import { capText, FIELD_CAPS, fileCap, warn } from './limits.js';
import { fileInput } from './source.js';
import { fixedZone, parseLocalDateTime } from './time.js';
import { emptyOutput, type ImageMeta, type Importer, type ParseOutput } from './types.js';

const loadExifr = async () => (await import('exifr')).default;

const MAX_BYTES = fileCap('image');

interface Exif {
  Make?: string;
  Model?: string;
  Software?: string;
  DateTimeOriginal?: string;
  CreateDate?: string;
  OffsetTimeOriginal?: string;
  OffsetTime?: string;
  ExifImageWidth?: number;
  ExifImageHeight?: number;
  latitude?: number;
  longitude?: number;
  GPSAltitude?: number;
}

// EXIF strings are the camera's, or anyone's who edited the file: capped like a record's labels
const str = (v: unknown) => (typeof v === 'string' && v.trim() ? capText(v.replace(/\0+$/, '').trim(), FIELD_CAPS.label) : undefined);

/**
 * Photos and screenshots: EXIF capture time (with its recorded offset when the camera wrote one, else read in
 * the given zone), device and GPS. GPS is kept but marked sensitive: it can reveal a home address. Values are read
 * raw (reviveValues off) so that exifr never reinterprets a wall time in this machine's zone.
 */
export const images: Importer = {
  format: 'image',
  maxBytes: MAX_BYTES,
  async parse(ctx): Promise<ParseOutput> {
    if (ctx.size > MAX_BYTES) throw new RedressError('IMPORT_TOO_LARGE', { file: ctx.path, format: 'image', size: ctx.size, limit: MAX_BYTES });
    const out = emptyOutput();
    const meta: ImageMeta = {};
    let exif: Exif | undefined;
    try {
      exif = (await (await loadExifr()).parse(fileInput(ctx), { tiff: true, exif: true, gps: true, reviveValues: false, translateValues: false })) as Exif | undefined;
    } catch {
      warn(out, 'no readable EXIF data');
    }
    try {
      const info = await (await loadSharp())(fileInput(ctx), { failOn: 'error' }).metadata();
      if (info.width) meta.width = info.width;
      if (info.height) meta.height = info.height;
    } catch (err) {
      throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'image', detail: (err as Error).message.slice(0, 200), locator: 'image header' }, { cause: err });
    }
    // The header can be whole and the pixels not (a transfer cut short): the photo is still evidence and is stored,
    // but the user is told now, not when a packet shows it as a card it could not render (packets/images.ts).
    try {
      await (await loadSharp())(fileInput(ctx), { failOn: 'truncated', limitInputPixels: 120_000_000 }).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
    } catch (err) {
      warn(out, `the image cannot be fully decoded (${String((err as Error).message).split('\n')[0]!.slice(0, 120)}): the file may be damaged or cut short; it is kept as it is, and packets show it as a card`);
    }
    if (exif) {
      const when = str(exif.DateTimeOriginal) ?? str(exif.CreateDate);
      const offset = str(exif.OffsetTimeOriginal) ?? str(exif.OffsetTime);
      if (when) {
        const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})/.exec(when);
        const zone = offset && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : ctx.zone;
        const t = m ? parseLocalDateTime(`${m[1]}-${m[2]}-${m[3]} ${m[4]}`, zone) : null;
        if (t) meta.takenAt = zone === ctx.zone ? t : { ...t, zone: fixedZone(t.offsetMinutes) };
      }
      const make = str(exif.Make);
      const model = str(exif.Model);
      const software = str(exif.Software);
      if (make) meta.make = make;
      if (model) meta.model = model;
      if (software) meta.software = software;
      if (typeof exif.latitude === 'number' && typeof exif.longitude === 'number' && Number.isFinite(exif.latitude) && Number.isFinite(exif.longitude)) {
        meta.gps = { latitude: exif.latitude, longitude: exif.longitude, ...(typeof exif.GPSAltitude === 'number' ? { altitude: exif.GPSAltitude } : {}), sensitive: true };
      }
    }
    out.image = meta;
    ctx.onBytes(ctx.size);
    return out;
  },
};
