/**
 * Importers: turn the files victims have (SMS backups, Alipay/WeChat Pay bills, bank statements, chat exports,
 * photos) into evidence items plus structured records that point back to them.
 *
 *   previewFile(path, {format?, profile?, zone?, selfName?, signal?, onProgress?}, vault?) -> Preview
 *       what would be imported (format, counts, date range, totals per direction/currency, the file's own totals
 *       checked, partial?); stores nothing.
 *   importFile(vault, caseId, path, same options) -> ImportResult
 *       stores the original as an item, then the records and one 'records.imported' custody entry, atomically.
 *   new RecordRepo(vault.context).listMessages(caseId, {flagged?, limit?, offset?}) / listTransactions(...) /
 *       setFlagged(caseId, recordIds, flagged) (one custody entry per change) / count / get
 *   new ProfileRepo(vault.context.db).save/get/list/remove: bank CSV column mappings, kept in the encrypted DB.
 *   detectFormat(path) -> FormatId, or IMPORT_FORMAT_UNKNOWN naming the formats tried.
 */
export { importFile, previewFile, IMPORTERS, type ImportOptions, type ImportProgress, type ImportResult, type Preview } from './import-file.js';
export { detectFormat } from './detect.js';
export { ProfileRepo } from './profiles.js';
export { BankCsvProfile, type BankCsvProfileInput } from './bank-csv.js';
export { FORMATS, type FormatId, type RecordDraft, type TotalLine, type TotalsCheck, type TotalsMismatch } from './types.js';
export { actualTotals } from './table.js';
export { fixedZone } from './time.js';
export { RecordRepo } from '../records/record-repo.js';
