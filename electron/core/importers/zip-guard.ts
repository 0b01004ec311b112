import yauzl from 'yauzl';
import { RedressError } from '../errors.js';
import { MiB } from './source.js';

export const MAX_UNZIPPED = 200 * MiB;
const MAX_ENTRIES = 10_000;
const MAX_RATIO = 200;

/**
 * Before exceljs unpacks an XLSX, every entry is inflated once through yauzl (which checks the real size against
 * the declared one) and counted: a zip bomb is refused after at most MAX_UNZIPPED bytes, never held in memory.
 */
export async function guardZip(data: Buffer, file: string): Promise<void> {
  const refuse = (reason: string) => new RedressError('IMPORT_UNSAFE', { file, reason });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(data, { lazyEntries: true, validateEntrySizes: true }, (err, z) => (err ? reject(new RedressError('IMPORT_PARSE_FAILED', { file, format: 'wechat-pay-xlsx', detail: `not a valid XLSX (zip): ${err.message}`, locator: 'zip directory' })) : resolve(z!))),
  );
  let total = 0;
  let entries = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) => reject(err instanceof RedressError ? err : new RedressError('IMPORT_PARSE_FAILED', { file, format: 'wechat-pay-xlsx', detail: err.message, locator: 'zip' })));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (++entries > MAX_ENTRIES) return reject(refuse(`the XLSX holds more than ${MAX_ENTRIES} parts`));
        if (total + entry.uncompressedSize > MAX_UNZIPPED) return reject(refuse(`the XLSX unpacks to more than ${MAX_UNZIPPED / MiB} MiB (zip bomb?)`));
        if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > MAX_RATIO && entry.uncompressedSize > 10 * MiB) return reject(refuse('an XLSX part is compressed more than a spreadsheet can be (zip bomb?)'));
        if (/\/$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(new RedressError('IMPORT_PARSE_FAILED', { file, format: 'wechat-pay-xlsx', detail: err?.message ?? 'unreadable entry', locator: entry.fileName }));
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > MAX_UNZIPPED) {
              stream.destroy();
              reject(refuse(`the XLSX unpacks to more than ${MAX_UNZIPPED / MiB} MiB (zip bomb?)`));
            }
          });
          stream.on('error', (e: Error) => reject(new RedressError('IMPORT_PARSE_FAILED', { file, format: 'wechat-pay-xlsx', detail: e.message, locator: entry.fileName })));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
