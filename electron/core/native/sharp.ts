import type { default as Sharp } from 'sharp';
import { nativeModuleBroken } from './native-error.js';

let loaded: Promise<typeof Sharp> | null = null;

/**
 * sharp (libvips) is loaded the first time an image is decoded, not by every process that imports a packet or
 * statistics module: an SMS import or a CLI `log` never pays for it, and a broken libvips install fails only the
 * image work, with its own error instead of a crash at start-up.
 */
export function loadSharp(): Promise<typeof Sharp> {
  loaded ??= import('sharp').then(
    (m) => m.default,
    (err: unknown) => {
      loaded = null;
      throw nativeModuleBroken('sharp', err);
    },
  );
  return loaded;
}
