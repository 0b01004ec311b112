import type { Worker } from 'node:worker_threads';
import { errorValue, type ErrorValue } from '../../../shared/errors.js';
import type { ChannelName, EventName, RequestOf, ResponseOf, Result } from '../../../shared/ipc/contract.js';
import { RedressError } from '../errors.js';
import type { CoreWorkerInit, FromCore, HostCalls, LockReason, ToCore } from './protocol.js';
import { spawnModuleWorker } from '../async/spawn-worker.js';
import { isNativeLoadFailure } from '../native/native-error.js';

const defaultSpawn = (init: CoreWorkerInit) => spawnModuleWorker(import.meta.url, 'core-worker', { workerData: init });

export interface CoreClientOptions extends CoreWorkerInit {
  host: HostCalls;
  /** events for the window: the host forwards them to the renderer */
  onEvent(event: EventName, payload: unknown): void;
}

/**
 * The host's handle on the core worker: the same channel contract as the renderer's, plus what only the host asks
 * (previews for its protocol handler, locking on power events). The host keeps windows, dialogs and capture; every
 * request it relays is validated and answered inside the worker by the one dispatch.
 */
export class CoreClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(m: FromCore): void; reject(e: Error): void }>();
  private exited: ErrorValue | null = null;
  private startError: ErrorValue | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly options: CoreClientOptions,
  ) {
    worker.on('message', (message: FromCore) => this.receive(message));
    // A dead core must not leave the window waiting forever: every open and later request gets an error value.
    const fail = (error: ErrorValue) => {
      this.exited ??= error;
      for (const [, answer] of this.waiting) answer.reject(new RedressError(this.exited.code, this.exited.params));
      this.waiting.clear();
    };
    // A native module that cannot load while the worker's modules load is an installation fault, not a crash.
    worker.on('error', (err) => fail(isNativeLoadFailure(err) ? errorValue('NATIVE_MODULE_BROKEN', { module: 'core' }) : errorValue('INTERNAL', { detail: `the core stopped: ${err.message}` })));
    worker.on('exit', (code) => fail(errorValue('INTERNAL', { detail: `the core stopped: exit ${code}` })));
  }

  /**
   * Starts the worker and waits until its service is serving, or has said why it cannot (startFailure): a core that
   * cannot start still yields a client, whose every request answers with the reason, so the window can show it.
   */
  static async start(options: CoreClientOptions, spawn: (init: CoreWorkerInit) => Worker = defaultSpawn): Promise<CoreClient> {
    const { host: _host, onEvent: _onEvent, ...init } = options;
    const worker = spawn(init);
    const client = new CoreClient(worker, options);
    await new Promise<void>((resolve) => {
      const onMessage = (m: FromCore) => {
        if (m.type === 'ready') done();
        else if (m.type === 'startFailed') {
          client.startError = m.error;
          done();
        }
      };
      // 'exit' follows 'error'; by then the constructor's handlers have recorded why.
      const onExit = () => {
        client.startError = client.exited;
        done();
      };
      const done = () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve();
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
    return client;
  }

  /** Why the core could not start, if it could not (the window shows it instead of the unlock screen). */
  get startFailure(): ErrorValue | null {
    return this.startError;
  }

  /** A request as the renderer sends it: unvalidated; the worker's dispatch validates both ways. */
  async invoke(channel: string, request: unknown): Promise<Result<unknown>> {
    try {
      const m = await this.ask((id) => ({ type: 'invoke', id, channel, request }));
      return m.type === 'reply' ? m.result : { ok: false, error: errorValue('INTERNAL', { detail: `unexpected ${m.type}` }) };
    } catch (err) {
      return { ok: false, error: err instanceof RedressError ? err.value : errorValue('INTERNAL', { detail: String(err) }) };
    }
  }

  /** Typed convenience for the host and tests: the value, or the error value thrown as a RedressError. */
  async call<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    const result = await this.invoke(channel, request);
    if (!result.ok) throw new RedressError(result.error.code, result.error.params);
    return result.value as ResponseOf<C>;
  }

  /** The decrypted bytes of a previewable item of the open vault; null when locked, unknown or not previewable. */
  async readPreview(itemId: string): Promise<{ mediaType: string; data: Buffer } | null> {
    const m = await this.ask((id) => ({ type: 'preview', id, itemId })).catch(() => null);
    if (m?.type !== 'previewReply' || !m.preview) return null;
    const { data, mediaType } = m.preview;
    return { mediaType, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  }

  async unlocked(): Promise<boolean> {
    const m = await this.ask((id) => ({ type: 'state', id }));
    return m.type === 'stateReply' && m.unlocked;
  }

  async lock(reason: LockReason): Promise<void> {
    await this.ask((id) => ({ type: 'lock', id, reason }));
  }

  /** Activity in the window postpones the auto-lock. */
  touch(): void {
    this.post({ type: 'touch' });
  }

  setAutoLockMs(ms: number): void {
    this.post({ type: 'autoLock', ms });
  }

  /** Locks the vault (closing the database cleanly), then ends the thread. */
  async close(): Promise<void> {
    if (!this.exited) await this.lock('system');
    await this.worker.terminate();
  }

  private post(message: ToCore): void {
    if (!this.exited) this.worker.postMessage(message);
  }

  private ask(make: (id: number) => ToCore): Promise<FromCore> {
    if (this.exited) return Promise.reject(new RedressError(this.exited.code, this.exited.params));
    const id = this.nextId++;
    return new Promise<FromCore>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage(make(id));
    });
  }

  private receive(message: FromCore): void {
    switch (message.type) {
      case 'reply':
      case 'previewReply':
      case 'stateReply':
      case 'lockReply': {
        const answer = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        answer?.resolve(message);
        return;
      }
      case 'event':
        return this.options.onEvent(message.event, message.payload);
      case 'hostCall':
        return void this.serveHostCall(message.id, message.method, message.args);
    }
  }

  private async serveHostCall(id: number, method: keyof HostCalls, args: unknown[]): Promise<void> {
    try {
      const fn = this.options.host[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(this.options.host, args);
      this.post({ type: 'hostReply', id, ok: true, value });
    } catch (err) {
      this.post({ type: 'hostReply', id, ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  }
}
