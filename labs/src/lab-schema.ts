import { z } from 'zod';

// Ids end up in URLs, DB keys and file names, so keep them boring.
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (e.g. "l03-subsets")');

export const checkKindSchema = z.enum(['state', 'probe', 'telemetry', 'none']);
export type CheckKind = z.infer<typeof checkKindSchema>;

export const levelSchema = z.enum(['beginner', 'intermediate', 'advanced']);

/**
 * A question the learner answers before looking (e.g. "what share of requests will reach reviews v3?").
 * The portal stores the answer first; the step's check then reports the value it observed in live
 * telemetry (`CheckResult.observed`), and the page shows both, judged by `judgePrediction`.
 */
export const predictionSchema = z
  .object({
    question: z.string().min(1),
    answer: z.discriminatedUnion('kind', [
      z
        .object({
          kind: z.literal('number'),
          /** Shown after the input, e.g. "%", "s", "requests". */
          unit: z.string().min(1).max(20),
          min: z.number().optional(),
          max: z.number().optional(),
          /** A guess counts as right when |guess - observed| <= absolute, or <= relative * |observed|. */
          tolerance: z
            .object({ absolute: z.number().nonnegative().optional(), relative: z.number().nonnegative().max(1).optional() })
            .strict()
            .refine((t) => t.absolute !== undefined || t.relative !== undefined, 'give absolute or relative'),
        })
        .strict(),
      z
        .object({
          kind: z.literal('choice'),
          /** `id` is what the check reports as observed; `label` is what the learner reads. */
          choices: z.array(z.object({ id: idSchema, label: z.string().min(1) }).strict()).min(2),
        })
        .strict(),
    ]),
  })
  .strict();
export type Prediction = z.infer<typeof predictionSchema>;

export const stepSchema = z
  .object({
    id: idSchema,
    title: z.string().min(1),
    /** What kind of evidence the checker reads; `none` means an exploration step without a check. */
    check: checkKindSchema,
    /** Relative to the lab folder; the commands that make this step's check pass. */
    solution: z.string().min(1).optional(),
    /** Optional: ask the learner to predict what the check will observe (telemetry/probe steps). */
    prediction: predictionSchema.optional(),
  })
  .strict();
export type LabStep = z.infer<typeof stepSchema>;

export const labFileSchema = z
  .object({
    id: idSchema,
    title: z.string().min(1),
    summary: z.string().min(1),
    module: idSchema,
    /** Position inside its module; the catalog sorts by it. */
    order: z.number().int().min(0),
    durationMinutes: z.number().int().positive().max(600),
    level: levelSchema,
    prerequisites: z.array(idSchema).default([]),
    /** `cluster`: needs a learner cluster; `none`: reading and local shell only. */
    environment: z.enum(['cluster', 'none']).default('cluster'),
    /** Relative scripts run by the platform before/after the lab (idempotent). */
    setup: z.string().min(1).optional(),
    cleanup: z.string().min(1).optional(),
    steps: z.array(stepSchema).min(1),
  })
  .strict();
export type LabFile = z.infer<typeof labFileSchema>;

export const moduleSchema = z
  .object({
    id: idSchema,
    title: z.string().min(1),
    summary: z.string().min(1),
    order: z.number().int().min(0),
  })
  .strict();
export type LabModule = z.infer<typeof moduleSchema>;

export const modulesFileSchema = z.object({ modules: z.array(moduleSchema).min(1) }).strict();

export interface Lab extends LabFile {
  /** Absolute folder of the lab. */
  dir: string;
  /** The lesson source (index.mdx). */
  lessonPath: string;
  /** Short hash of lab.yaml + index.mdx, pinned on environments and progress. */
  contentVersion: string;
}

export interface LabCatalog {
  modules: LabModule[];
  labs: Lab[];
}
