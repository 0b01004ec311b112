declare module 'piexifjs' {
  /** An EXIF segment's IFDs, tag number to value, as piexif.load returns them and piexif.dump takes them. */
  export interface ExifDict {
    '0th'?: Record<number, unknown>;
    Exif?: Record<number, unknown>;
    GPS?: Record<number, unknown>;
    Interop?: Record<number, unknown>;
    '1st'?: Record<number, unknown>;
    thumbnail?: string | null;
  }
  /** Removes the Exif APP1 segment from a JPEG given as a binary ("latin1") string; pixel data is untouched. */
  export function remove(jpeg: string): string;
  /** The EXIF of a JPEG (binary string); throws when it has none it can read. */
  export function load(jpeg: string): ExifDict;
  /** An EXIF segment (binary string) from IFDs. */
  export function dump(exif: ExifDict): string;
  /** The JPEG (binary string) with this EXIF segment in place of its own. */
  export function insert(exif: string, jpeg: string): string;
  /** the tags load keeps and dump can write, per IFD */
  export const TAGS: Record<'Image' | 'Exif' | 'GPS' | 'Interop', Record<number, { name: string; type: string }>>;
  const piexif: { remove: typeof remove; load: typeof load; dump: typeof dump; insert: typeof insert; TAGS: typeof TAGS };
  export default piexif;
}
