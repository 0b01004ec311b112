import type { BrowserWindow, DesktopCapturer, Screen } from 'electron';
import type { CaptureSource, ScreenCapturer } from '../core/app-service/service.js';
import { RedressError } from '../core/errors.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Screen capture through desktopCapturer. The user picks a screen or a window from thumbnails; the app hides its own
 * window while grabbing, so that Redress never ends up in the evidence, and shows it again afterwards.
 */
export function createCapturer(desktopCapturer: DesktopCapturer, screen: Screen, getWindow: () => BrowserWindow | null): ScreenCapturer {
  const fullSize = () => {
    const d = screen.getPrimaryDisplay();
    return { width: Math.round(d.size.width * d.scaleFactor), height: Math.round(d.size.height * d.scaleFactor) };
  };
  return {
    async sources(): Promise<CaptureSource[]> {
      const own = getWindow()?.getMediaSourceId();
      const list = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: { width: 320, height: 200 } });
      return list
        .filter((s) => s.id !== own)
        .map((s) => ({ id: s.id, name: s.name, kind: s.id.startsWith('screen:') ? ('screen' as const) : ('window' as const), thumbnail: s.thumbnail.isEmpty() ? null : s.thumbnail.toDataURL() }));
    },
    async capture(sourceId: string) {
      const win = getWindow();
      win?.hide();
      try {
        await settle(400); // let the compositor repaint without our window
        const list = await desktopCapturer.getSources({ types: ['screen', 'window'], thumbnailSize: fullSize() });
        const source = list.find((s) => s.id === sourceId);
        if (!source || source.thumbnail.isEmpty()) throw new RedressError('CAPTURE_UNAVAILABLE');
        return { png: source.thumbnail.toPNG(), name: source.name, kind: sourceId.startsWith('screen:') ? ('screen' as const) : ('window' as const) };
      } finally {
        win?.show();
        win?.focus();
      }
    },
  };
}
