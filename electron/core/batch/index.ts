/** Batch export for associations: a packet per matching case, built on every core, plus a summary table. */
export { batchExport, type BatchExportOptions, type BatchExportResult, type BatchProgress } from './batch-export.js';
export { STATE_FILE } from './state.js';
