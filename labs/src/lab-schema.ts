import { z } from 'zod';

// Ids end up in URLs, DB keys and file names, so keep them boring.
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and dashes (e.g. "l03-subsets")');

export const checkKindSchema = z.enum(['state', 'probe', 'telemetry', 'none']);
export type CheckKind = z.infer<typeof checkKindSchema>;

export const levelSchema = z.enum(['beginner', 'intermediate', 'advanced']);

export const stepSchema = z
  .object({
    id: idSchema,
    title: z.string().min(1),
    /** What kind of evidence the checker reads; `none` means an exploration step without a check. */
    check: checkKindSchema,
    /** Relative to the lab folder; the commands that make this step's check pass. */
    solution: z.string().min(1).optional(),
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
