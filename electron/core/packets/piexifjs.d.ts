declare module 'piexifjs' {
  /** Removes the Exif APP1 segment from a JPEG given as a binary ("latin1") string; pixel data is untouched. */
  export function remove(jpeg: string): string;
  const piexif: { remove: typeof remove };
  export default piexif;
}
