import { z } from 'zod';
import { BundleSignerSchema } from '../key-fingerprint.js';
import { CaseStatus, IncidentType, Money } from '../case-model.js';
import { Bilingual } from '../recipient.js';
import { ErrorValueSchema, Id } from './schemas.js';

/**
 * Channels of the association view (issue 6): statistics, batch export and case exchange bundles. Spread into
 * CHANNELS in contract.ts. As everywhere, the renderer never names a path: folders and files are picked in
 * main-process dialogs and referred to afterwards by an opaque token.
 */

const ok = z.object({ ok: z.literal(true) });
const jobRef = z.object({ jobId: Id }).strict();
const Passphrase = z.string().min(1).max(1024);
const Lang = z.enum(['zh-CN', 'en']);
const JobState = z.enum(['running', 'done', 'cancelled', 'failed']);

function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) {
  return { request, response };
}

/** Which cases: the same filters as the CLI's --status, --type and --since. */
export const CaseSelectionSchema = z
  .object({ status: CaseStatus.optional(), incidentType: IncidentType.optional(), since: z.string().datetime({ offset: true }).optional() })
  .strict();

export const CaseStatsSchema = z.object({
  zone: z.string(),
  cases: z.number().int(),
  byType: z.array(z.object({ type: IncidentType, count: z.number().int() })),
  byPlatform: z.array(z.object({ platform: z.string(), count: z.number().int() })),
  casesWithoutPlatform: z.number().int(),
  byMonth: z.array(z.object({ month: z.string(), count: z.number().int() })),
  casesWithoutDate: z.number().int(),
  losses: z.array(z.object({ currency: z.string(), total: Money, median: Money, cases: z.number().int() })),
  sharedCounterparties: z.array(z.object({ family: z.enum(['phone', 'account', 'email', 'url']), identifier: z.string(), spellings: z.array(z.string()), caseIds: z.array(z.string()) })),
  /** titles of the cases the shared identifiers name, so the view can list them */
  caseTitles: z.record(z.string(), z.string()),
});

export const BATCH_CASE_STATES = ['queued', 'building', 'done', 'failed', 'skipped'] as const;

export const BatchJobSchema = z.object({
  jobId: z.string(),
  state: JobState,
  /** the output folder as the user picked it, for display */
  folder: z.string(),
  total: z.number().int(),
  finished: z.number().int(),
  cases: z.array(
    z.object({
      caseId: z.string(),
      title: z.string(),
      state: z.enum(BATCH_CASE_STATES),
      /** the packet builder's phase while building */
      phase: z.string().nullable(),
      packetSha256: z.string().nullable(),
      error: ErrorValueSchema.nullable(),
    }),
  ),
  result: z.object({ built: z.number().int(), skipped: z.number().int(), failed: z.number().int(), summaryCsv: z.string(), summaryXlsx: z.string() }).nullable(),
  error: ErrorValueSchema.nullable(),
});

export const BundleJobSchema = z.object({
  jobId: z.string(),
  kind: z.enum(['export', 'import']),
  state: JobState,
  phase: z.enum(['export', 'verify', 'store']).nullable(),
  done: z.number(),
  total: z.number(),
  exported: z.object({ caseId: z.string(), file: z.string(), bytes: z.number().int(), sha256: z.string(), items: z.number().int(), entries: z.number().int() }).nullable(),
  imported: z
    .object({
      caseId: z.string(),
      title: z.string(),
      /** imported: new here; updated: newer history appended; unchanged: already present */
      status: z.enum(['imported', 'updated', 'unchanged']),
      entriesAdded: z.number().int(),
      itemsAdded: z.number().int(),
      exportedBy: z.string(),
      exportedAt: z.string(),
      bundleSha256: z.string(),
      signer: BundleSignerSchema,
    })
    .nullable(),
  error: ErrorValueSchema.nullable(),
});

export const ASSOCIATION_CHANNELS = {
  'association.stats': channel(CaseSelectionSchema, CaseStatsSchema),
  /** the statistics as a chart image or a table, written where the user says in the save dialog */
  'association.exportStats': channel(
    z.object({ selection: CaseSelectionSchema, format: z.enum(['png', 'svg', 'csv', 'xlsx']), lang: Lang }).strict(),
    z.object({ saved: z.boolean(), file: z.string().nullable() }),
  ),
  'association.recipients': channel(z.object({}).strict(), z.array(z.object({ id: z.string(), name: Bilingual, kind: z.enum(['police', 'regulator', 'platform']) }))),

  /** the output folder of a batch, chosen in the main process; folderId is null when the dialog was cancelled */
  'batch.pickFolder': channel(z.object({}).strict(), z.object({ folderId: z.string().nullable(), folder: z.string().nullable() })),
  /** starting again with the same folder resumes: cases finished there are not built again */
  'batch.start': channel(
    z.object({ folderId: Id, recipientId: z.string().regex(/^[a-z0-9-]{1,60}$/), selection: CaseSelectionSchema, lang: Lang }).strict(),
    z.object({ jobId: z.string() }),
  ),
  'batch.status': channel(jobRef, BatchJobSchema),
  'batch.cancel': channel(jobRef, ok),

  /** asks where to save (main-process dialog), then exports in the background; jobId null when the dialog was cancelled */
  'bundle.exportStart': channel(z.object({ caseId: Id, passphrase: Passphrase, passphraseRepeat: Passphrase }).strict(), z.object({ jobId: z.string().nullable() })),
  'bundle.pickImport': channel(z.object({}).strict(), z.object({ fileId: z.string().nullable(), name: z.string().nullable() })),
  /** acceptSigner: the user confirmed with the sender that an update may come from another vault key, or unsigned */
  'bundle.importStart': channel(z.object({ fileId: Id, passphrase: Passphrase, acceptSigner: z.boolean().optional() }).strict(), z.object({ jobId: z.string() })),
  'bundle.status': channel(jobRef, BundleJobSchema),
  'bundle.cancel': channel(jobRef, ok),
} as const;
