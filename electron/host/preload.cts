// Sandboxed preloads must be CommonJS and may require only 'electron' (and a few built-ins): the channel names are
// therefore listed here, and a compile-time check plus tests/host keep them identical to shared/ipc/contract.ts.
import type { ChannelName, EventName, RedressBridge } from '../../shared/ipc/contract.js';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload can only require()
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');

const CHANNELS = [
  'app.info',
  'app.activity',
  'prefs.get',
  'prefs.set',
  'vault.status',
  'vault.create',
  'vault.unlock',
  'vault.recover',
  'vault.lock',
  'vault.changePassphrase',
  'vault.integrity',
  'vault.quarantine.list',
  'vault.quarantine.reattach',
  'vault.quarantine.discard',
  'vault.rollback.acknowledge',
  'vault.key',
  'vault.knownVaults.list',
  'vault.knownVaults.add',
  'vault.knownVaults.remove',
  'profile.get',
  'profile.set',
  'cases.list',
  'cases.get',
  'cases.create',
  'cases.update',
  'cases.log',
  'timeline.page',
  'records.stagePick',
  'records.stageBytes',
  'records.stageStatus',
  'records.stageConfirm',
  'records.stageCancel',
  'records.messages',
  'records.transactions',
  'records.flag',
  'items.list',
  'items.get',
  'items.pickAndAdd',
  'items.addBytes',
  'items.annotate',
  'items.exclude',
  'items.link',
  'capture.sources',
  'capture.take',
  'verify.start',
  'verify.status',
  'verify.cancel',
  'checklist.get',
  'checklist.setStep',
  'checklist.forType',
  'packets.recipients',
  'packets.preview',
  'packets.start',
  'packets.status',
  'packets.cancel',
  'items.redact',
  'association.stats',
  'association.exportStats',
  'association.recipients',
  'batch.pickFolder',
  'batch.start',
  'batch.status',
  'batch.cancel',
  'bundle.exportStart',
  'bundle.pickImport',
  'bundle.importStart',
  'bundle.status',
  'bundle.cancel',
] as const satisfies readonly ChannelName[];
const EVENTS = ['vault.locked', 'items.changed'] as const satisfies readonly EventName[];

// Fails to compile when the contract gains a channel or event this list lacks.
type Missing = Exclude<ChannelName, (typeof CHANNELS)[number]> | Exclude<EventName, (typeof EVENTS)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;

const channelSet = new Set<string>(CHANNELS);
const eventSet = new Set<string>(EVENTS);

// Only these two functions cross into the page; ipcRenderer itself never does.
const bridge: RedressBridge = {
  invoke(channel, request) {
    if (!channelSet.has(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', messageKey: 'errors.invalidInput', params: { field: 'channel', reason: 'unknown channel' } } });
    }
    return ipcRenderer.invoke(`redress:${channel}`, request);
  },
  on(event, listener) {
    if (!eventSet.has(event)) return () => {};
    const wrapped = (_e: unknown, payload: unknown) => listener(payload as never);
    ipcRenderer.on(`redress:${event}`, wrapped);
    return () => void ipcRenderer.removeListener(`redress:${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('redress', bridge);

module.exports = { CHANNELS, EVENTS };
