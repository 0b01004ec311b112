/**
 * Media types the UI may render inline. SVG is excluded on purpose: it can carry script, and evidence comes from
 * scammers. Everything else is shown as a file card with its hash.
 */
const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/avif']);

export function isPreviewable(mediaType: string): boolean {
  return PREVIEWABLE.has(mediaType.toLowerCase());
}

/** Headers for a preview response: no sniffing, no script, nothing cached on disk. */
export const PREVIEW_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
};
