import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import zlib from 'node:zlib';
import yazl from 'yazl';

type Crc32 = (data: Buffer, previous?: number) => number;

/**
 * yazl computes every entry's CRC-32 with buffer-crc32, a byte-at-a-time JavaScript table (about 0.5 GB/s here:
 * 1.6 s of a 770 MB packet's 3 s ZIP phase). Node's zlib.crc32 (Node >= 20.15, and every Electron we ship) is the
 * same polynomial computed natively (about 7 GB/s). yazl's author proposed exactly this switch upstream
 * (thejoshwolfe/yazl#82, brianloveswords/buffer-crc32#34); until a release carries it, the one function yazl calls
 * is pointed at Node's. The ZIP format itself stays entirely yazl's.
 */
function useNativeCrc32(): boolean {
  const native = (zlib as unknown as { crc32?: Crc32 }).crc32;
  if (typeof native !== 'function') return false;
  const require = createRequire(import.meta.url);
  const bufferCrc32 = require(require.resolve('buffer-crc32', { paths: [dirname(require.resolve('yazl'))] })) as { unsigned: Crc32 };
  // yazl only ever passes Buffers and a previous unsigned CRC (or nothing), which zlib.crc32 takes as they are.
  bufferCrc32.unsigned = (data, previous) => native(data, previous ?? 0);
  return true;
}

export const nativeCrc32 = useNativeCrc32();

export default yazl;
