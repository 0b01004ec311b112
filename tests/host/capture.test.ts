import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BrowserWindow, DesktopCapturer, Screen } from 'electron';
import { createCapturer } from '../../electron/host/capture.js';

/** A desktopCapturer stand-in that records, for every call, whether the app window was visible at that moment. */
function fakes() {
  const log: string[] = [];
  let visible = true;
  const win = {
    hide: () => void ((visible = false), log.push('hide')),
    show: () => void ((visible = true), log.push('show')),
    focus: () => undefined,
    getMediaSourceId: () => 'window:7:0',
  };
  const image = (empty: boolean) => ({ isEmpty: () => empty, toDataURL: () => 'data:image/png;base64,AA==', toPNG: () => Buffer.from('png bytes') });
  const desktopCapturer = {
    getSources: async (opts: { thumbnailSize: { width: number; height: number } }) => {
      log.push(`getSources ${opts.thumbnailSize.width}x${opts.thumbnailSize.height} visible=${visible}`);
      return [
        { id: 'screen:0:0', name: 'Entire screen', thumbnail: image(false) },
        { id: 'window:7:0', name: 'Redress', thumbnail: image(false) },
        { id: 'window:9:0', name: 'WeChat', thumbnail: image(false) },
        { id: 'window:11:0', name: 'Minimised', thumbnail: image(true) },
      ];
    },
  };
  const screen = { getPrimaryDisplay: () => ({ size: { width: 1280, height: 800 }, scaleFactor: 2 }) };
  const capturer = createCapturer(desktopCapturer as unknown as DesktopCapturer, screen as unknown as Screen, () => win as unknown as BrowserWindow);
  return { capturer, log };
}

test('capture sources: screens and windows, never the app itself', async () => {
  const { capturer } = fakes();
  const sources = await capturer.sources();
  assert.deepEqual(
    sources.map((s) => [s.id, s.kind, s.thumbnail === null]),
    [
      ['screen:0:0', 'screen', false],
      ['window:9:0', 'window', false],
      ['window:11:0', 'window', true],
    ],
  );
});

test('the app hides while the screen is grabbed at full resolution, then comes back', async () => {
  const { capturer, log } = fakes();
  const shot = await capturer.capture('window:9:0');
  assert.deepEqual(shot, { png: Buffer.from('png bytes'), name: 'WeChat', kind: 'window' });
  assert.deepEqual(log, ['hide', 'getSources 2560x1600 visible=false', 'show']);
});

test('a source that vanished or gives no image is a typed error, and the app still comes back', async () => {
  const { capturer, log } = fakes();
  await assert.rejects(capturer.capture('window:99:0'), { code: 'CAPTURE_UNAVAILABLE' });
  await assert.rejects(capturer.capture('window:11:0'), { code: 'CAPTURE_UNAVAILABLE' });
  assert.equal(log.filter((l) => l === 'show').length, 2);
  assert.equal(log.at(-1), 'show');
});
