// The portable core in its own thread: the vault, importers, packets, verify, statistics and bundles run here, so a
// 100k-message import or a disclosure preview never blocks the host's event loop (windows, dialogs, IPC).
import { parentPort, workerData } from 'node:worker_threads';
import { errorValue, type ErrorValue } from '../../../shared/errors.js';
import type { EventName, EventOf } from '../../../shared/ipc/contract.js';
import { AppService } from '../app-service/service.js';
import { dispatch } from '../app-service/dispatch.js';
import { toErrorValue } from '../errors.js';
import { isNativeLoadFailure } from '../native/native-error.js';
import type { CoreWorkerInit, FromCore, HostCallName, HostCalls, ToCore } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('core-worker runs only as a worker thread');
const init = workerData as CoreWorkerInit;
const send = (message: FromCore, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

let nextCall = 1;
const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
function host<M extends HostCallName>(method: M, ...args: Parameters<HostCalls[M]>): ReturnType<HostCalls[M]> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    send({ type: 'hostCall', id, method, args });
  }) as ReturnType<HostCalls[M]>;
}

async function start(): Promise<AppService> {
  const service = new AppService({
    dataDir: init.dataDir,
    prefsFile: init.prefsFile,
    actor: init.actor,
    ...(init.kdf ? { kdf: init.kdf } : {}),
    ...(init.platform ? { platform: init.platform } : {}),
    pickFiles: () => host('pickFiles'),
    pickFolder: () => host('pickFolder'),
    pickBundle: () => host('pickBundle'),
    saveFile: (name, extensions) => host('saveFile', name, extensions),
    capturer: init.canCapture
      ? {
          sources: () => host('captureSources'),
          capture: async (sourceId) => {
            const shot = await host('capture', sourceId);
            return { ...shot, png: Buffer.from(shot.png.buffer, shot.png.byteOffset, shot.png.byteLength) };
          },
        }
      : null,
    previewUrl: (itemId) => init.previewUrlPrefix + encodeURIComponent(itemId),
    emit: <E extends EventName>(event: E, payload: EventOf<E>) => send({ type: 'event', event, payload }),
  });
  await service.init();
  return service;
}

// A core that cannot start (a broken native module, an unreadable prefs file) answers every request with why.
const ready: Promise<AppService | ErrorValue> = start().then(
  (service) => {
    send({ type: 'ready' });
    return service;
  },
  (err: unknown) => {
    const error = isNativeLoadFailure(err) ? errorValue('NATIVE_MODULE_BROKEN', { module: 'core' }) : toErrorValue(err);
    send({ type: 'startFailed', error });
    return error;
  },
);

port.on('message', (message: ToCore) => {
  if (message.type === 'hostReply') {
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.value);
    else call?.reject(new Error(message.message));
    return;
  }
  void ready.then(async (service) => {
    if (!(service instanceof AppService)) {
      if (message.type === 'invoke') send({ type: 'reply', id: message.id, result: { ok: false, error: service } });
      else if (message.type === 'preview') send({ type: 'previewReply', id: message.id, preview: null });
      else if (message.type === 'state') send({ type: 'stateReply', id: message.id, unlocked: false });
      else if (message.type === 'lock') send({ type: 'lockReply', id: message.id });
      return;
    }
    switch (message.type) {
      case 'invoke':
        service.touch();
        return send({ type: 'reply', id: message.id, result: await dispatch(service.handlers, message.channel, message.request) });
      case 'preview': {
        const preview = await service.readPreview(message.itemId).catch(() => null);
        if (!preview) return send({ type: 'previewReply', id: message.id, preview: null });
        // a fresh copy whose memory moves to the host instead of being cloned again
        const data = new Uint8Array(preview.data);
        return send({ type: 'previewReply', id: message.id, preview: { mediaType: preview.mediaType, data } }, [data.buffer]);
      }
      case 'state':
        return send({ type: 'stateReply', id: message.id, unlocked: service.unlocked });
      case 'lock':
        await service.lock(message.reason);
        return send({ type: 'lockReply', id: message.id });
      case 'touch':
        return service.touch();
      case 'autoLock':
        return service.autoLock.setTimeout(message.ms);
    }
  });
});
