import type { EventName, EventOf, Result } from '../../../shared/ipc/contract.js';
import type { ErrorValue } from '../../../shared/errors.js';
import type { z } from 'zod';
import type { CaptureSourceSchema } from '../../../shared/ipc/schemas.js';
import type { ActorOption } from '../data-dir.js';
import type { KdfParams } from '../vault/keys.js';

/** What the core worker needs to start: everything else it asks the host for. */
export interface CoreWorkerInit {
  dataDir: string;
  prefsFile: string;
  actor: ActorOption;
  kdf?: KdfParams;
  platform?: string;
  canCapture: boolean;
  /** the item preview URL is this prefix plus the encoded item id (a custom scheme in Electron, a route in tests) */
  previewUrlPrefix: string;
}

/** Work the core cannot do itself: dialogs and screen capture belong to the host's windows. */
export interface HostCalls {
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
  pickBundle(): Promise<string | null>;
  saveFile(suggestedName: string, extensions: string[]): Promise<string | null>;
  captureSources(): Promise<z.infer<typeof CaptureSourceSchema>[]>;
  capture(sourceId: string): Promise<{ png: Uint8Array; name: string; kind: 'screen' | 'window' }>;
}
export type HostCallName = keyof HostCalls;

export type LockReason = EventOf<'vault.locked'>['reason'];

export type ToCore =
  | { type: 'invoke'; id: number; channel: string; request: unknown }
  | { type: 'preview'; id: number; itemId: string }
  | { type: 'state'; id: number }
  | { type: 'lock'; id: number; reason: LockReason }
  | { type: 'touch' }
  | { type: 'autoLock'; ms: number }
  | { type: 'hostReply'; id: number; ok: true; value: unknown }
  | { type: 'hostReply'; id: number; ok: false; message: string };

export type FromCore =
  | { type: 'ready' }
  | { type: 'startFailed'; error: ErrorValue }
  | { type: 'reply'; id: number; result: Result<unknown> }
  | { type: 'previewReply'; id: number; preview: { mediaType: string; data: Uint8Array } | null }
  | { type: 'stateReply'; id: number; unlocked: boolean }
  | { type: 'lockReply'; id: number }
  | { type: 'event'; event: EventName; payload: unknown }
  | { type: 'hostCall'; id: number; method: HostCallName; args: unknown[] };
