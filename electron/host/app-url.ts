// The app's own URLs. A leaf: protocol.ts serves them and security.ts lets only them through, and protocol.ts needs
// security.ts's Content-Security-Policy, so neither may hold them.

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;
export const ITEM_SCHEME = 'redress-item';

/**
 * Whether a URL is a page of the app. Node's URL gives custom schemes an opaque ("null") origin, so compare the
 * scheme and host rather than .origin.
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

export function itemUrl(itemId: string): string {
  return `${ITEM_SCHEME}://item/${encodeURIComponent(itemId)}`;
}
