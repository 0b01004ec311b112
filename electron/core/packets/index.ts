// The packet builder's public surface: what the CLI, the Electron host and tests call.
export { buildPacket, type BuildPacketOptions, type BuildPacketResult, type PacketProgress, type PacketVolume } from './build-packet.js';
export { recordedPacketsIn, sweepPacketLeftovers, type PacketLeftovers } from './output.js';
export { previewDisclosure, type DisclosurePreview, type DisclosedItem } from './disclosure.js';
export { listRecipients, getRecipient } from './recipients.js';
export { verifyPacket, type PacketReport, type PacketFileCheck } from './verify-packet.js';
export type { TimestampCheck } from './timestamps-check.js';
export { redactImage } from './redact.js';
export { loadPacketRecords, type PacketRecords } from './records.js';
export { selectItems, type SelectedItem } from './selection.js';
export type { RedactionBox } from './images.js';
export type { PacketLang } from './labels.js';
