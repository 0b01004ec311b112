import { z } from 'zod';
import { CaseFields, IncidentType } from '../case-model.js';
import { Checklist, ChecklistState, StepState } from '../checklist.js';
import type { ErrorValue } from '../errors.js';
import {
  AddSummarySchema,
  CaptureSourceSchema,
  CaseFilterSchema,
  CaseRecordSchema,
  CustodyEntrySchema,
  Id,
  ItemRecordSchema,
  PrefsSchema,
  TimelineEntrySchema,
  VerifyJobSchema,
  VictimProfileSchema,
} from './schemas.js';
import { ASSOCIATION_CHANNELS } from './channels-association.js';
import { PACKET_CHANNELS } from './channels-packets.js';
import { RECORD_CHANNELS } from './channels-records.js';
import { VAULT_CHANNELS } from './channels-vault.js';

/** Pasted or dropped bytes; bigger files go through the file dialog, which streams from disk in the main process. */
export const MAX_INLINE_BYTES = 256 * 1024 * 1024;
const Bytes = z.instanceof(Uint8Array).refine((b) => b.byteLength > 0 && b.byteLength <= MAX_INLINE_BYTES, { message: 'empty or too large' });

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });
const caseRef = z.object({ caseId: Id }).strict();
const itemRef = z.object({ itemId: Id }).strict();

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

/**
 * Every request the renderer can make, with the schema of its request and of its response. The renderer never
 * sends a file path: files are picked in the main process (dialog, capture) or sent as bytes (paste, drop), and
 * evidence is referred to by id. Failures come back as ErrorValue (code + message key), never as a stack.
 */
export const CHANNELS = {
  'app.info': channel(empty, z.object({ version: z.string(), platform: z.string(), canCapture: z.boolean(), zone: z.string() })),
  'app.activity': channel(empty, ok),
  'prefs.get': channel(empty, PrefsSchema),
  'prefs.set': channel(PrefsSchema.partial().strict(), PrefsSchema),

  'vault.status': channel(empty, z.object({ exists: z.boolean(), unlocked: z.boolean() })),
  'vault.create': channel(z.object({ passphrase: z.string().min(1).max(1024) }).strict(), z.object({ recoveryCode: z.string() })),
  'vault.unlock': channel(z.object({ passphrase: z.string().min(1).max(1024) }).strict(), z.object({ repaired: z.number().int() })),
  'vault.recover': channel(z.object({ recoveryCode: z.string().min(1).max(200), newPassphrase: z.string().min(1).max(1024) }).strict(), ok),
  'vault.lock': channel(empty, ok),
  /** the vault must be unlocked; the current passphrase is asked again, the new one typed twice and checked by the passphrase rule */
  'vault.changePassphrase': channel(z.object({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024), nextRepeat: z.string().min(1).max(1024) }).strict(), ok),

  'profile.get': channel(empty, VictimProfileSchema),
  'profile.set': channel(VictimProfileSchema.strict(), VictimProfileSchema),

  'cases.list': channel(CaseFilterSchema.strict(), z.array(CaseRecordSchema)),
  'cases.get': channel(caseRef, CaseRecordSchema),
  'cases.create': channel(CaseFields.partial({ status: true, narrative: true, losses: true, parties: true }).strict(), CaseRecordSchema),
  'cases.update': channel(z.object({ caseId: Id, patch: CaseFields.partial().strict() }).strict(), CaseRecordSchema),
  'cases.log': channel(caseRef, z.array(CustodyEntrySchema)),

  'timeline.page': channel(
    z.object({ caseId: Id, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }).strict(),
    z.object({ total: z.number().int(), entries: z.array(TimelineEntrySchema) }),
  ),
  'items.list': channel(caseRef, z.array(ItemRecordSchema.extend({ previewUrl: z.string().nullable() }))),
  'items.get': channel(
    itemRef,
    z.object({ item: ItemRecordSchema, links: z.array(z.object({ targetType: z.string(), targetId: z.string() })), custody: z.array(CustodyEntrySchema), previewUrl: z.string().nullable() }),
  ),
  'items.pickAndAdd': channel(caseRef, AddSummarySchema),
  'items.addBytes': channel(
    z.object({ caseId: Id, name: z.string().min(1).max(255), mediaType: z.string().max(100).optional(), data: Bytes, via: z.enum(['paste', 'drop']) }).strict(),
    AddSummarySchema,
  ),
  'items.annotate': channel(
    z.object({ itemId: Id, title: z.string().max(500).optional(), notes: z.string().max(20_000).optional(), tags: z.array(z.string().min(1).max(100)).max(100).optional() }).strict(),
    ItemRecordSchema,
  ),
  'items.exclude': channel(z.object({ itemId: Id, reason: z.string().min(1).max(2000) }).strict(), ItemRecordSchema),
  'items.link': channel(z.object({ itemId: Id, targetType: z.enum(['party', 'transaction', 'message', 'step']), targetId: z.string().min(1).max(200) }).strict(), ok),

  'capture.sources': channel(empty, z.array(CaptureSourceSchema)),
  'capture.take': channel(z.object({ caseId: Id, sourceId: z.string().min(1).max(200) }).strict(), ItemRecordSchema),

  'verify.start': channel(z.object({ caseId: Id.optional() }).strict(), z.object({ jobId: z.string() })),
  'verify.status': channel(z.object({ jobId: Id }).strict(), VerifyJobSchema),
  'verify.cancel': channel(z.object({ jobId: Id }).strict(), ok),

  'checklist.get': channel(caseRef, z.object({ checklist: Checklist, state: ChecklistState })),
  'checklist.setStep': channel(z.object({ caseId: Id, stepId: z.string().min(1).max(100), state: StepState }).strict(), ChecklistState),

  'checklist.forType': channel(z.object({ incidentType: IncidentType }).strict(), Checklist),

  ...ASSOCIATION_CHANNELS,
  ...PACKET_CHANNELS,
  ...RECORD_CHANNELS,
  ...VAULT_CHANNELS,
} as const;

export type Channels = typeof CHANNELS;
export type ChannelName = keyof Channels;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];

export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ResponseOf<C extends ChannelName> = z.output<Channels[C]['response']>;

/** What every invoke resolves to: the transport never rejects, so the UI always has a message key to show. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

/** Pushed from the main process to the renderer. */
export const EVENTS = {
  /** the vault was locked (by the user, by inactivity or by the system): the renderer drops everything it holds */
  'vault.locked': z.object({ reason: z.enum(['user', 'inactivity', 'system']) }),
  /** items arrived from outside the renderer's own request (a capture finished) */
  'items.changed': z.object({ caseId: z.string() }),
} as const;
export type EventName = keyof typeof EVENTS;
export type EventOf<E extends EventName> = z.output<(typeof EVENTS)[E]>;

/** The object the preload puts on window.redress; the e2e bridge implements the same shape. */
export interface RedressBridge {
  invoke<C extends ChannelName>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** returns an unsubscribe function */
  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** IPC channel names on the wire are namespaced so they cannot collide with Electron's own. */
export const wireName = (c: ChannelName | EventName) => `redress:${c}`;
