import { z } from 'zod';

/**
 * The result of one step check, as stored by the portal and printed by the CLI (--json).
 * Owned here; the portal and tests import it.
 */
export const assertionSchema = z.object({
  /** Stable code from the check catalogue, e.g. "L03.DR" or "IST0101". */
  code: z.string(),
  /** What was asserted, in the learner's terms. */
  title: z.string(),
  status: z.enum(['pass', 'fail', 'warn']),
  expected: z.string().optional(),
  actual: z.string().optional(),
  /** Why it is not right yet and what to change. */
  hint: z.string().optional(),
  /** One command to run next (e.g. `istioctl analyze -n intro`). */
  next: z.string().optional(),
  /** Where in which object, e.g. "VirtualService default/reviews .spec.http[0].route". */
  path: z.string().optional(),
});
export type Assertion = z.infer<typeof assertionSchema>;

/** passed: every assertion passed (warns allowed); failed: not yet right; error: the check could not run. */
export const checkOutcomeSchema = z.enum(['passed', 'failed', 'error']);
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

export const checkErrorCodeSchema = z.enum([
  'no-cluster', // the environment has no cluster attached
  'unreachable', // the API server did not answer
  'forbidden', // RBAC refused the checker's identity
  'timeout', // the check ran out of time
  'no-check', // no check is registered for this lab step
  'internal', // a bug in the check: logged with ids
]);
export type CheckErrorCode = z.infer<typeof checkErrorCodeSchema>;

export const checkResultSchema = z.object({
  labId: z.string(),
  stepId: z.string(),
  kind: z.enum(['state', 'probe', 'telemetry', 'none']),
  outcome: checkOutcomeSchema,
  /** One sentence for the learner. */
  summary: z.string(),
  assertions: z.array(assertionSchema),
  error: z.object({ code: checkErrorCodeSchema, message: z.string() }).optional(),
  /**
   * What the check measured that a step's prediction is judged against: a number in the
   * prediction's unit, or the id of one of its choices. `display` is how the page shows it.
   */
  observed: z
    .object({ value: z.union([z.number(), z.string()]), display: z.string(), source: z.string() })
    .optional(),
  startedAt: z.string(),
  durationMs: z.number(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;
