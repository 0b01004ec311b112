import type { App, Session, WebContents } from 'electron';
import { isAppUrl, ITEM_SCHEME } from './app-url.js';

/**
 * The renderer's Content-Security-Policy: only the app's own scheme, no inline or eval'd script, no remote origin
 * of any kind. Evidence previews come from the item scheme; small thumbnails (capture sources) are data: URLs.
 */
export function contentSecurityPolicy(itemOrigin = `${ITEM_SCHEME}:`): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data: blob: ${itemOrigin}`,
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Permissions a feature needs. Copying a hash to the clipboard is the only one; capture runs in the main process. */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Only the app's own schemes may be fetched: the app works offline and sends nothing anywhere. */
export function isAllowedRequest(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${ITEM_SCHEME}:`) return true;
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return isAppUrl(url);
}

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  ses.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
  ses.setDevicePermissionHandler(() => false);
  // getDisplayMedia from the page is never needed: capture goes through the main process with the user's pick.
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  // The spellchecker would download dictionaries from Google's servers.
  ses.setSpellCheckerEnabled(false);
}

/** Every web contents, present and future: no navigation away from the app, no new windows, no webviews. */
export function hardenWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isAppPage(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppPage(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

const isAppPage = isAppUrl;

/** One running app per user: a second launch focuses the first instead of opening the vault twice. */
export function ensureSingleInstance(app: App, focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', focus);
  return true;
}
