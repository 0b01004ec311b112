import { z } from 'zod';
import { IncidentType, ItemKind } from './case-model.js';

/** Text in both UI languages: checklists are data, so they carry their own translations. */
export const LocalizedText = z.object({ en: z.string().min(1), 'zh-CN': z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const ChecklistStep = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  /** urgent steps (freeze the payment, report) come before collecting evidence: minutes matter for recovering money */
  urgent: z.boolean().default(false),
  kind: z.enum(['action', 'evidence']),
  title: LocalizedText,
  detail: LocalizedText,
  /** item kinds that can satisfy an evidence step, to suggest matching items */
  evidenceKinds: z.array(ItemKind).default([]),
});
export type ChecklistStep = z.infer<typeof ChecklistStep>;

export const Checklist = z
  .object({
    incidentType: IncidentType,
    version: z.number().int().positive(),
    steps: z.array(ChecklistStep).min(1),
  })
  .refine((c) => new Set(c.steps.map((s) => s.id)).size === c.steps.length, { message: 'step ids must be unique' })
  .refine((c) => c.steps.every((s, i) => !s.urgent || c.steps.slice(0, i).every((p) => p.urgent)), { message: 'urgent steps must come first' });
export type Checklist = z.infer<typeof Checklist>;

/** What the user ticked off, per step, and which evidence items satisfy it. */
export const StepState = z.object({
  done: z.boolean(),
  itemIds: z.array(z.string()).max(1000).default([]),
  doneAt: z.string().datetime().optional(),
});
export type StepState = z.infer<typeof StepState>;

export const ChecklistState = z.record(z.string(), StepState);
export type ChecklistState = z.infer<typeof ChecklistState>;
