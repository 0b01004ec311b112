import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import mime from 'mime-types';
import type { AppService } from '../core/app-service/service.js';
import { PREVIEW_HEADERS } from '../core/app-service/preview.js';
import { APP_HOST, APP_SCHEME, ITEM_SCHEME } from './app-url.js';
import { contentSecurityPolicy } from './security.js';

// what window.ts, ipc.ts and app.ts import from here; new code imports app-url.js
export { APP_ENTRY, isAppUrl, itemUrl } from './app-url.js';

/** Must run before the app is ready. Standard + secure gives the renderer a real origin without http. */
export function registerSchemes(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: ITEM_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/** Serves renderer/dist under app://renderer/, refusing anything outside that folder. */
export function serveRenderer(rendererDir: string) {
  const root = resolve(rendererDir);
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response(null, { status: 404 });
    const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = resolve(root, '.' + relative);
    if (!file.startsWith(root + sep)) return new Response(null, { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': mime.contentType(extname(file)) || 'application/octet-stream',
          'Content-Security-Policy': contentSecurityPolicy(),
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response(null, { status: 404 });
    }
  };
}

/** Previews only of items in the vault that is open now; nothing at all when it is locked. */
export function serveItems(service: Pick<AppService, 'readPreview'>) {
  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const itemId = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (url.host !== 'item' || !/^[A-Za-z0-9-]{1,100}$/.test(itemId)) return new Response(null, { status: 404 });
    // a request that never settles would leave the page's image loading forever: any failure is a plain 404
    const preview = await service.readPreview(itemId).catch(() => null);
    if (!preview) return new Response(null, { status: 404 });
    return new Response(new Uint8Array(preview.data), { headers: { 'Content-Type': preview.mediaType, ...PREVIEW_HEADERS } });
  };
}

export function registerProtocols(protocol: Protocol, rendererDir: string, service: Pick<AppService, 'readPreview'>): void {
  protocol.handle(APP_SCHEME, serveRenderer(rendererDir));
  protocol.handle(ITEM_SCHEME, serveItems(service));
}
