import yauzl from 'yauzl';
import { RedressError } from '../errors.js';
import { LIMITS, limitExceeded, MiB } from './limits.js';

export const MAX_UNZIPPED = LIMITS.unzippedBytes;

/**
 * Before exceljs unpacks an XLSX, every entry is inflated once through yauzl (which checks the real size against
 * the declared one) and counted: a zip bomb is refused (IMPORT_LIMIT) after at most MAX_UNZIPPED bytes, never held
 * in memory.
 */
export async function guardZip(data: Buffer, file: string): Promise<void> {
  const refuse = (limit: 'unzippedBytes' | 'zipEntries' | 'zipRatio', where: string) => limitExceeded(file, limit, where);
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
        const where = `part ${entry.fileName.slice(0, 100)}`;
        if (++entries > LIMITS.zipEntries) return reject(refuse('zipEntries', where));
        // the sizes the directory declares are checked first, then the bytes that really come out (yauzl checks both agree)
        if (total + entry.uncompressedSize > MAX_UNZIPPED) return reject(refuse('unzippedBytes', where));
        if (entry.compressedSize > 0 && entry.uncompressedSize / entry.compressedSize > LIMITS.zipRatio && entry.uncompressedSize > 10 * MiB) return reject(refuse('zipRatio', where));
        if (/\/$/.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(new RedressError('IMPORT_PARSE_FAILED', { file, format: 'wechat-pay-xlsx', detail: err?.message ?? 'unreadable entry', locator: entry.fileName }));
          stream.on('data', (chunk: Buffer) => {
            total += chunk.length;
            if (total > MAX_UNZIPPED) {
              stream.destroy();
              reject(refuse('unzippedBytes', `part ${entry.fileName.slice(0, 100)}`));
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
