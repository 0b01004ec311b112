/** Case exchange bundles (.redress): one encrypted file per case, for handing cases between vaults. */
export { exportBundle, type BundleProgress, type ExportBundleOptions, type ExportBundleResult } from './export.js';
export { importBundle, type ImportBundleOptions, type ImportBundleResult } from './import.js';
