import { z } from 'zod';

/**
 * The rows of the two core tables, as SQLite stores them (STRICT tables: TEXT is a string, INTEGER a number,
 * a nullable column null). The DDL in database.ts writes the same columns; a test compares the two, so neither
 * can drift. Repositories read rows with these types; bundles check incoming rows against them with caps added.
 */
export const CaseRow = z.object({
  id: z.string(),
  title: z.string(),
  incident_type: z.string(),
  status: z.string(),
  started_at: z.string().nullable(),
  discovered_at: z.string().nullable(),
  narrative: z.string(),
  losses: z.string(),
  parties: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  head_seq: z.number().int(),
  head_hash: z.string(),
});
export type CaseRow = z.infer<typeof CaseRow>;

export const ItemRow = z.object({
  id: z.string(),
  case_id: z.string(),
  kind: z.string(),
  title: z.string(),
  notes: z.string(),
  tags: z.string(),
  source: z.string(),
  original_name: z.string().nullable(),
  media_type: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  object_name: z.string(),
  captured_at: z.string(),
  captured_offset: z.number().int(),
  captured_zone: z.string(),
  derived_from: z.string().nullable(),
  excluded_reason: z.string().nullable(),
  excluded_at: z.string().nullable(),
  added_seq: z.number().int(),
});
export type ItemRow = z.infer<typeof ItemRow>;
