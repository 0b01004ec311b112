import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ErrorValue } from '../../../shared/errors.js';
import { RedressError } from '../errors.js';
import type { PacketSummary } from './protocol.js';

export const STATE_FILE = 'batch-state.json';

const Done = z.object({ status: z.literal('done'), finishedAt: z.string(), packet: z.object({ dir: z.string(), zipPath: z.string(), pdfPath: z.string(), packetSha256: z.string(), pages: z.number(), volumes: z.number() }) });
const Failed = z.object({ status: z.literal('failed'), finishedAt: z.string(), error: z.object({ code: z.string(), messageKey: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }) });
const State = z.object({ v: z.literal(1), recipientId: z.string(), lang: z.string().nullable(), cases: z.record(z.string(), z.union([Done, Failed])) });
export type BatchState = z.infer<typeof State>;
export type CaseOutcome = { status: 'done'; finishedAt: string; packet: PacketSummary } | { status: 'failed'; finishedAt: string; error: ErrorValue };

/**
 * The batch's memory across runs, in the output folder: which cases already have their packet. Rewritten
 * atomically after every case, so an interrupted run resumes without redoing finished cases.
 */
export async function loadState(outDir: string, recipientId: string, lang: string | null): Promise<BatchState> {
  let text: string;
  try {
    text = await readFile(join(outDir, STATE_FILE), 'utf8');
  } catch {
    return { v: 1, recipientId, lang, cases: {} };
  }
  let parsed;
  try {
    parsed = State.safeParse(JSON.parse(text));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) throw new RedressError('INVALID_INPUT', { field: 'out', reason: `${STATE_FILE} in ${outDir} is damaged; choose another folder` });
  if (parsed.data.recipientId !== recipientId || parsed.data.lang !== lang) {
    throw new RedressError('INVALID_INPUT', { field: 'out', reason: `${outDir} holds a batch for ${parsed.data.recipientId}${parsed.data.lang ? ` (${parsed.data.lang})` : ''}; choose another folder` });
  }
  return parsed.data;
}

export async function saveState(outDir: string, state: BatchState): Promise<void> {
  const path = join(outDir, STATE_FILE);
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(state, null, 1), { mode: 0o600 });
  await rename(tmp, path);
}
