import type { HostCalls } from '../../electron/core/worker/protocol.js';

/** A host with no windows: every dialog is cancelled and there is nothing to capture. Override what a test needs. */
export function noHost(overrides: Partial<HostCalls> = {}): HostCalls {
  return {
    pickFiles: async () => [],
    pickFolder: async () => null,
    pickBundle: async () => null,
    saveFile: async () => null,
    captureSources: async () => [],
    capture: async () => {
      throw new Error('nothing to capture in a test host');
    },
    ...overrides,
  };
}
